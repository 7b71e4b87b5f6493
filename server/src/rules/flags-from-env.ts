/**
 * Distroless task: the app takes flags, and the task wants every flag settable from an environment
 * variable, with `app` itself as the entry point and no shell (distroless has none; exec form passes
 * `$APP_PORT` literally). Whether that works is decided by the Go code: a flag whose default reads
 * the environment (`flag.String("port", envOr("APP_PORT", "9000"), ...)`) can be set with
 * `docker run -e`; a flag without one cannot, and the task forbids editing the code. This rule reads
 * the flags from the sources and says exactly which can be reached and which cannot, and why.
 */
import type { Analysis, Instr } from '../engine/analysis';
import type { Word } from '../engine/shell';
import type { Finding, Range, Rule, TextEdit } from '../engine/types';
import type { GoFacts, GoFlag } from '../engine/facts/go';
import { goFactsFor } from './app-facts';
import { startCommand, where } from './facts-util';
import { argumentsRange } from './exec-form';
import { flatMap, keywordRange, t } from './util';
import { pushAll } from '../engine/arrays';

const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'];

export const flagsFromEnv: Rule = {
  id: 'flags-from-env',
  courseRule: 17,
  title: t('Flags from environment variables, as the code allows', 'Флаги из переменных окружения — как позволяет код'),
  defaultSeverity: 'warning',
  tasks: ['distroless'],
  messages: {
    unreachable: t(
      'The flag -{flag} ({source}) takes no value from the environment: its default is a constant{default}, and nothing in the code reads an environment variable for it. `docker run -e ...` cannot set it, and with no shell in distroless a `$VARIABLE` in ENTRYPOINT stays literal. {others}The task forbids editing the code: pass -{flag} as an argument (`docker run <image> -{flag}=...`, or `command:` in docker-compose.yml), and tell the developers that -{flag} needs an environment default in the code.',
      'Флаг -{flag} ({source}) не берёт значение из окружения: по умолчанию это константа{default}, и никакую переменную окружения для него код не читает. `docker run -e ...` его не задаст, а без shell в distroless `$ПЕРЕМЕННАЯ` в ENTRYPOINT останется буквальной. {others}Задание запрещает править код: передавайте -{flag} аргументом (`docker run <образ> -{flag}=...` или `command:` в docker-compose.yml) и сообщите разработчикам, что -{flag} нужно значение по умолчанию из окружения в коде.',
    ),
    unreachableVariable: t(
      '`{word}` relies on a shell to expand ${variable}, and distroless has none (exec form passes it literally); the code never reads {variable}: the flag -{flag} ({source}) takes no value from the environment. Pass the value itself as an argument (`docker run <image> -{flag}=...`, or `command:` in docker-compose.yml); the developers must add an environment default for -{flag} to make `-e` work.',
      '`{word}` рассчитывает на shell, который подставит ${variable}, а в distroless его нет (exec-форма передаёт текст буквально); сам код {variable} не читает: флаг -{flag} ({source}) не берёт значение из окружения. Передавайте само значение аргументом (`docker run <образ> -{flag}=...` или `command:` в docker-compose.yml); чтобы работал `-e`, разработчикам нужно добавить для -{flag} значение по умолчанию из окружения.',
    ),
    redundant: t(
      '`{word}` is not needed: the code already takes -{flag} from {variable} ({source}), while exec form passes `${variable}` literally and distroless has no shell to expand it. Drop the argument and set `-e {variable}=...` at run time.',
      '`{word}` не нужен: код и так берёт -{flag} из {variable} ({source}), а exec-форма передаёт `${variable}` буквально, и shell, чтобы его подставить, в distroless нет. Уберите аргумент и задавайте `-e {variable}=...` при запуске.',
    ),
    otherVariable: t(
      '`{word}` names ${variable}, but the code takes -{flag} from {env} ({source}); and exec form passes `${variable}` literally. Drop the argument and set `-e {env}=...` at run time.',
      '`{word}` ссылается на ${variable}, а код берёт -{flag} из {env} ({source}); к тому же exec-форма передаёт `${variable}` буквально. Уберите аргумент и задавайте `-e {env}=...` при запуске.',
    ),
    composeUnread: t(
      '{variable} is passed to the app, but the code never reads it: the flag -{flag} ({source}) takes no value from the environment. Only the old shell-form command turned it into `-{flag}=...`; with `app` run directly it is ignored. Pass `-{flag}=...` in `command:` instead.',
      '{variable} передаётся приложению, но код его не читает: флаг -{flag} ({source}) не берёт значение из окружения. В `-{flag}=...` его превращала только старая команда в shell-форме; при прямом запуске `app` он игнорируется. Передавайте `-{flag}=...` в `command:`.',
    ),
  },
  check({ analysis }) {
    const facts = goFactsFor(analysis);
    // A generic environment-to-flags bridge (flag.VisitAll, an env/flag library) may reach any flag.
    if (!facts.complete || facts.envBridge) return [];
    const flags = facts.flags.filter((f): f is GoFlag & { name: string } => f.name !== undefined);
    if (flags.length === 0) return [];
    const findings: Finding[] = [];
    const { entrypoint, cmd } = startCommand(analysis);
    const handled = new Set<string>();
    const passedLiterally = new Set<string>();
    for (const instr of [entrypoint, cmd]) {
      if (!instr) continue;
      for (const command of analysis.shell(instr).commands) {
        command.words.forEach((w, k) => {
          const m = /^--?([A-Za-z0-9_.-]+)=(.*)$/s.exec(w.value);
          if (!m) return;
          const flag = flags.find((f) => f.name === m[1]);
          if (!flag) return;
          const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(m[2])?.[1];
          if (!variable) {
            if (!/\$/.test(m[2])) passedLiterally.add(flag.name);
            return;
          }
          handled.add(flag.name);
          const range = analysis.rangeOf(w.start, w.end);
          const data = { word: w.value, variable, flag: flag.name, source: where(flag), env: flag.env?.name ?? '' };
          if (flag.envUnknown && !flag.env) return;
          if (flag.env?.name === variable) {
            findings.push({ messageId: 'redundant', data, range, fixes: [{ title: t('Drop `{word}`', 'Убрать `{word}`'), edits: [removeWord(analysis, command.words, k)] }] });
          } else if (flag.env) {
            findings.push({ messageId: 'otherVariable', data, range });
          } else {
            findings.push({ messageId: 'unreachableVariable', data, range });
          }
        });
      }
    }
    const anchor = anchorRange(analysis, entrypoint ?? cmd);
    const reachable = flags.filter((f) => f.env);
    const others = reachable.map((f) => `-${f.name} (${f.env!.name})`).join(', ');
    for (const flag of flags) {
      if (flag.env || flag.envUnknown || handled.has(flag.name) || passedLiterally.has(flag.name) || !anchor) continue;
      const def = flag.default.kind === 'string' ? ` ("${mask(flag.default.value)}")` : flag.default.kind === 'number' ? ` (${flag.default.value})` : '';
      findings.push({
        messageId: 'unreachable',
        data: {
          flag: flag.name,
          source: where(flag),
          default: def,
          others: others ? `Only ${others} ${reachable.length === 1 ? 'reads' : 'read'} the environment. ` : '',
          others_ru: others ? `Из окружения берутся только ${others}. ` : '',
        },
        range: anchor,
        severity: 'information',
      });
    }
    pushAll(findings, composeFindings(analysis, facts, flags));
    return findings;
  },
};

/** A URL's password does not belong in a message. */
const mask = (value: string): string => value.replace(/(\/\/[^:/@]+:)[^@/]+@/, '$1***@');

function anchorRange(analysis: Analysis, instr: Instr | undefined): Range | undefined {
  if (instr) return argumentsRange(analysis, instr) ?? keywordRange(instr);
  const final = analysis.finalStage;
  return final ? keywordRange(final.fromInstr) : undefined;
}

/** Remove one argument with the separator before it (`, "-port=$APP_PORT"` or ` -port=$APP_PORT`). */
function removeWord(analysis: Analysis, words: Word[], k: number): TextEdit {
  const w = words[k];
  const prev = words[k - 1];
  if (prev) return { range: analysis.rangeOf(prev.end, w.end), newText: '' };
  // The first word (never the program in practice): take the separator after it instead.
  const next = words[k + 1];
  return { range: analysis.rangeOf(w.start, next ? next.start : w.end), newText: '' };
}

/** Compose `environment:` entries meant for a flag the code cannot take from the environment. */
function composeFindings(analysis: Analysis, facts: GoFacts, flags: (GoFlag & { name: string })[]): Finding[] {
  const file = COMPOSE_FILES.find((f) => analysis.project.read(f) !== undefined);
  if (!file) return [];
  const text = analysis.project.read(file)!;
  const unreachable = flags.filter((f) => !f.env && !f.envUnknown);
  if (unreachable.length === 0) return [];
  const readByCode = new Set([...facts.envReads, ...flatMap(flags, (f) => (f.env ? [f.env.name] : []))]);
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const out: Finding[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, n) => {
    // `KEY: value` under environment:, or `- KEY=value` in the list form.
    const m = /^(\s*(?:-\s*)?)["']?([A-Za-z_][A-Za-z0-9_]*)["']?\s*(?::(?!\S)|=)/.exec(line);
    if (!m) return;
    const variable = m[2];
    if (readByCode.has(variable) || variable !== variable.toUpperCase()) return;
    const flag = unreachable.find((f) => norm(f.name).length >= 3 && norm(variable).endsWith(norm(f.name)));
    if (!flag) return;
    const start = m[1].length + (line[m[1].length] === '"' || line[m[1].length] === "'" ? 1 : 0);
    out.push({
      messageId: 'composeUnread',
      file,
      data: { variable, flag: flag.name, source: where(flag) },
      range: { start: { line: n, character: start }, end: { line: n, character: start + variable.length } },
    });
  });
  return out;
}
