/**
 * RULES.md 9: every course task builds with `DOCKER_BUILDKIT=0 docker build .`, the legacy builder.
 * BuildKit-only syntax fails there (exact behaviour measured on dockerd 20.10: docs/rules/legacy-builder.md).
 */
import { Arg, Flag, From } from 'dockerfile-ast';
import { ALL_TASKS } from '../engine/types';
import type { Analysis, Instr } from '../engine/analysis';
import type { Finding, Fix, Range, Rule, TaskProfile, TextEdit } from '../engine/types';
import { t } from './util';

/** Platform args BuildKit fills in automatically; the legacy builder leaves them empty. */
export const PLATFORM_ARGS = ['BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT'];
/** `$NAME` or `${NAME` per platform ARG, made once (eight new RegExps on every FROM were 1% of a 50-line check). */
const PLATFORM_ARG_USES = PLATFORM_ARGS.map((a) => new RegExp(`\\$\\{?${a}\\b`));
const COPY_ADD_BUILDKIT_FLAGS = new Set(['link', 'chmod', 'parents', 'exclude', 'checksum', 'keep-git-dir']);
const GIT_SOURCE = /^(?:git@|git:\/\/|ssh:\/\/)|^https?:\/\/\S+\.git(?:#\S*)?$/;

export const legacyBuilder: Rule = {
  id: 'legacy-builder',
  courseRule: 9,
  title: t('Builds with the legacy builder', 'Собирается legacy-сборщиком'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    runFlag: t(
      '`RUN --{flag}` needs BuildKit; {builder} stops here: "{builderError}".',
      '`RUN --{flag}` требует BuildKit; {builder} остановится здесь: "{builderError}".',
    ),
    runNetwork: t(
      '`RUN --network` needs BuildKit; the legacy builder rejects the Dockerfile ("Unknown flag: network"). Remove it; if a step needs the host network, build with `docker build --network host`.',
      '`RUN --network` требует BuildKit; legacy-сборщик отвергнет Dockerfile ("Unknown flag: network"). Уберите флаг; если шагу нужна сеть хоста, собирайте с `docker build --network host`.',
    ),
    copyFlag: t(
      '`{keyword} --{flag}` needs BuildKit; the legacy builder fails with "{builderError}". {advice}',
      '`{keyword} --{flag}` требует BuildKit; legacy-сборщик упадёт с ошибкой "{builderError}". {advice}',
    ),
    gitSource: t(
      '`ADD` of a git repository needs BuildKit. Clone it in a RUN step of a builder stage (or vendor it into the context) instead.',
      '`ADD` git-репозитория требует BuildKit. Клонируйте его в RUN в стадии сборки (или положите в контекст сборки).',
    ),
    heredoc: t(
      'Heredocs (`<<{name}`) need BuildKit; the legacy builder reads the next line as an instruction ("unknown instruction"). Write the commands on the {keyword} line, joined with `&&`.',
      'Heredoc (`<<{name}`) требует BuildKit; legacy-сборщик прочитает следующую строку как инструкцию ("unknown instruction"). Запишите команды в самой строке {keyword} через `&&`.',
    ),
    platformFrom: t(
      '`${name}` is set only by BuildKit; under the legacy builder it is empty and `FROM --platform=` fails ("failed to parse platform"). Remove the flag, or give a literal platform.',
      '`${name}` задаёт только BuildKit; у legacy-сборщика он пуст, и `FROM --platform=` падает ("failed to parse platform"). Уберите флаг или укажите платформу явно.',
    ),
    platformArg: t(
      '`ARG {name}` is filled in automatically only by BuildKit; under the legacy builder it stays empty, so whatever uses it gets "". Give it a default (e.g. `ARG {name}={example}`).',
      '`ARG {name}` заполняется автоматически только в BuildKit; у legacy-сборщика он останется пустым, и всё, что его использует, получит "". Задайте значение по умолчанию (например, `ARG {name}={example}`).',
    ),
    syntaxDirective: t(
      'The legacy builder ignores `# syntax=`: the features it enables will not be there. Remove the line so the Dockerfile says what really happens.',
      'Legacy-сборщик игнорирует `# syntax=`: возможности, которые он включает, работать не будут. Уберите строку, чтобы Dockerfile не обещал лишнего.',
    ),
  },
  check({ analysis, task }) {
    const findings: Finding[] = [];
    for (const line of syntaxDirectiveLines(analysis)) {
      const range: Range = { start: { line, character: 0 }, end: { line, character: analysis.lineText(line).length } };
      const nextLine = line + 1 < analysis.doc.lineCount ? { line: line + 1, character: 0 } : range.end;
      findings.push({
        messageId: 'syntaxDirective',
        range,
        severity: 'warning',
        fixes: [{ title: t('Remove the # syntax= line', 'Удалить строку # syntax='), edits: [{ range: { start: range.start, end: nextLine }, newText: '' }] }],
      });
    }
    // The global ARGs before the first FROM.
    instructionFindings(analysis, task, analysis.instructions.filter((i) => !i.stage), findings);
    return findings;
  },
  checkStage({ analysis, task }, stage) {
    const findings: Finding[] = [];
    instructionFindings(analysis, task, [stage.fromInstr, ...stage.instructions], findings);
    return findings;
  },
};

/** Findings of BuildKit-only syntax in these instructions (a stage's, or the global ARGs). */
function instructionFindings(analysis: Analysis, task: TaskProfile, instructions: Instr[], findings: Finding[]): void {
  // In a task without the legacy-builder requirement this is advice, not an error.
  const severity = task.legacyBuilder ? undefined : 'information';
  const builder = task.legacyBuilder
    ? { builder: 'the task builds with `DOCKER_BUILDKIT=0 docker build`, which', builder_ru: 'задание собирается через `DOCKER_BUILDKIT=0 docker build`, и сборка' }
    : { builder: 'a build with `DOCKER_BUILDKIT=0 docker build`', builder_ru: 'сборка через `DOCKER_BUILDKIT=0 docker build`' };
  const push = (f: Finding) => findings.push({ ...f, data: { ...builder, ...f.data }, ...(severity ? { severity } : {}) });
  for (const instr of instructions) {
    const node = instr.node;
    const flags = analysis.flags(instr);
    if (instr.keyword === 'RUN') {
      for (const flag of flags) {
        const name = flag.getName();
        if (name === 'network') {
          push({ messageId: 'runNetwork', range: flag.getRange(), fixes: [removeFlagFix(analysis, flag)] });
        } else {
          const isCache = name === 'mount' && flag.getOptions().some((o) => o.getName() === 'type' && o.getValue() === 'cache');
          push({
            messageId: 'runFlag',
            data: { flag: name, builderError: name === 'mount' ? 'the --mount option requires BuildKit' : `Unknown flag: ${name}` },
            range: flag.getRange(),
            // Dropping a cache mount changes only speed; other mounts carry data the command needs.
            fixes: isCache ? [removeFlagFix(analysis, flag)] : [],
          });
        }
      }
    }
    if (instr.keyword === 'COPY' || instr.keyword === 'ADD') {
      for (const flag of flags) {
        const name = flag.getName();
        if (!COPY_ADD_BUILDKIT_FLAGS.has(name)) continue;
        const builderError = name === 'chmod' ? 'the --chmod option requires BuildKit' : `Unknown flag: ${name}`;
        const advice = ADVICE[name];
        push({
          messageId: 'copyFlag',
          data: { keyword: instr.keyword, flag: name, builderError, advice: advice.en, advice_ru: advice.ru },
          range: flag.getRange(),
          fixes: name === 'link' ? [removeFlagFix(analysis, flag)] : [],
        });
      }
      if (instr.keyword === 'ADD') {
        const args = analysis.args(instr);
        for (const a of args.slice(0, -1)) {
          if (GIT_SOURCE.test(a.getValue())) push({ messageId: 'gitSource', range: a.getRange() });
        }
      }
    }
    if (instr.keyword === 'RUN' || instr.keyword === 'COPY') {
      const heredocs = analysis.heredocCount(instr) === 0 ? [] : (node as unknown as { getHeredocs?: () => { getName(): string; getStartRange(): Range | null; getNameRange(): Range }[] }).getHeredocs?.() ?? [];
      for (const h of heredocs) {
        const range = h.getStartRange() ?? h.getNameRange();
        const fix = instr.keyword === 'RUN' && heredocs.length === 1 ? heredocToAndFix(analysis, instr) : undefined;
        push({ messageId: 'heredoc', data: { name: h.getName(), keyword: instr.keyword }, range, fixes: fix ? [fix] : [] });
      }
    }
    if (node instanceof From) {
      const platform = node.getPlatformFlag();
      const value = platform?.getValue() ?? '';
      const used = platform ? PLATFORM_ARGS.find((a, i) => PLATFORM_ARG_USES[i].test(value)) : undefined;
      if (platform && used && !analysis.globalScope.has(used)) {
        push({ messageId: 'platformFrom', data: { name: used }, range: platform.getRange(), fixes: [removeFlagFix(analysis, platform)] });
      }
    }
    if (node instanceof Arg && instr.stage) {
      const p = node.getProperty();
      if (p && PLATFORM_ARGS.includes(p.getName()) && p.getAssignmentOperator() === null) {
        const name = p.getName();
        const example = EXAMPLES[name] ?? 'amd64';
        push({
          messageId: 'platformArg',
          data: { name, example },
          range: p.getRange(),
          severity: 'warning',
          fixes: [{ title: t('Give {name} a default: {name}={example}', 'Задать {name} по умолчанию: {name}={example}'), edits: [{ range: p.getRange(), newText: `${name}=${example}` }] }],
        });
      }
    }
  }
}

const EXAMPLES: Record<string, string> = {
  BUILDPLATFORM: 'linux/amd64',
  TARGETPLATFORM: 'linux/amd64',
  BUILDOS: 'linux',
  TARGETOS: 'linux',
  BUILDARCH: 'amd64',
  TARGETARCH: 'amd64',
  BUILDVARIANT: '',
  TARGETVARIANT: '',
};

const ADVICE: Record<string, { en: string; ru: string }> = {
  link: { en: 'Remove it: without --link the copy works the same, only the layer cache differs.', ru: 'Уберите его: без --link копирование работает так же, отличается только кэш слоёв.' },
  chmod: {
    en: 'Set the mode on the file in the context (git keeps the executable bit), or in a builder stage before `COPY --from`.',
    ru: 'Задайте права файлу в контексте сборки (git хранит бит исполнения) или в стадии сборки перед `COPY --from`.',
  },
  parents: { en: 'Copy each folder with its own COPY and full destination path.', ru: 'Копируйте каждую папку отдельным COPY с полным путём назначения.' },
  exclude: { en: 'Exclude the files in .dockerignore instead.', ru: 'Исключите файлы через .dockerignore.' },
  checksum: { en: 'Download in a RUN step and check the sum with `sha256sum -c`.', ru: 'Скачайте файл в RUN и проверьте сумму через `sha256sum -c`.' },
  'keep-git-dir': { en: 'Clone the repository in a RUN step instead.', ru: 'Клонируйте репозиторий в RUN.' },
};

/** Lines of `# syntax=` in the directive block at the top (each one; a repeated directive is ignored too). */
function syntaxDirectiveLines(analysis: Analysis): number[] {
  const lines: number[] = [];
  for (let line = 0; line < analysis.doc.lineCount; line++) {
    const m = /^\s*#\s*([A-Za-z]+)\s*=/.exec(analysis.lineText(line));
    if (!m) break;
    if (m[1].toLowerCase() === 'syntax') lines.push(line);
  }
  return lines;
}

/** Remove a flag and the whitespace after it. */
function removeFlagFix(analysis: Analysis, flag: Flag): Fix {
  const start = analysis.offsetAt(flag.getRange().start);
  let end = analysis.offsetAt(flag.getRange().end);
  while (end < analysis.text.length && (analysis.text[end] === ' ' || analysis.text[end] === '\t')) end++;
  const edit: TextEdit = { range: analysis.rangeOf(start, end), newText: '' };
  return { title: t(`Remove --${flag.getName()}`, `Убрать --${flag.getName()}`), edits: [edit] };
}

/**
 * `RUN <<EOF` + simple lines + `EOF` -> `RUN line1 && \ line2`: only when the heredoc is the whole
 * instruction and every body line is one plain command (no continuation, no nested heredoc).
 */
function heredocToAndFix(analysis: Analysis, instr: Instr): Fix | undefined {
  const first = analysis.lineText(instr.range.start.line);
  const m = /^(\s*\S+\s+)<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\3\s*$/.exec(first);
  if (!m) return undefined;
  const stripTabs = m[2] === '-';
  const delimiter = m[4];
  const body: string[] = [];
  let line = instr.range.start.line + 1;
  for (; line <= instr.range.end.line; line++) {
    let text = analysis.lineText(line);
    if (stripTabs) text = text.replace(/^\t+/, '');
    if (text === delimiter) break;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (/\\$|<<|^set\s/.test(trimmed)) return undefined;
    body.push(trimmed);
  }
  if (line > instr.range.end.line || body.length === 0) return undefined;
  const esc = analysis.escape;
  const joined = body.join(` && ${esc}${analysis.eol}    `);
  const edit: TextEdit = { range: instr.range, newText: `${m[1]}${joined}` };
  return { title: t('Join the heredoc lines with &&', 'Объединить строки heredoc через &&'), edits: [edit] };
}

