/**
 * Gate task: HMAC_ALGO and HMAC_SECRET are set at run time (`docker run -e`). The code must read them
 * from the environment (hardcoded-secret points at the FIXME'd values in index.js; this rule covers a
 * code that reads neither and has no FIXME either), and the Dockerfile must not bake them in
 * (no-baked-secrets already covers HMAC_SECRET; HMAC_ALGO is this rule's). When all is right it says,
 * as information, how the container is meant to be started.
 */
import { Arg, Env, Property } from 'dockerfile-ast';
import type { Analysis, Instr } from '../engine/analysis';
import type { Finding, Range, Rule, TextEdit } from '../engine/types';
import { HmacVariable, nodeFacts } from '../engine/facts/node';
import { argumentsRange } from './exec-form';
import { startCommand } from './facts-util';
import { deleteInstruction, keywordRange, t } from './util';

const VARIABLES: HmacVariable[] = ['HMAC_ALGO', 'HMAC_SECRET'];

export const runtimeEnv: Rule = {
  id: 'runtime-env',
  courseRule: 17,
  title: t('HMAC_ALGO and HMAC_SECRET at run time', 'HMAC_ALGO и HMAC_SECRET — при запуске'),
  defaultSeverity: 'error',
  tasks: ['gate'],
  messages: {
    notRead: t(
      '{entry} never reads process.env.{name}, so `docker run -e {name}=...` changes nothing, and the task wants {name} set at run time. Read it in the code (`process.env.{name}`).',
      '{entry} нигде не читает process.env.{name}, поэтому `docker run -e {name}=...` ничего не изменит, а по заданию {name} задаётся при запуске. Читайте его в коде (`process.env.{name}`).',
    ),
    baked: t(
      '{name} is baked into the image with {keyword}: the task wants it chosen when the container starts, not when the image is built. Remove it and start the container with `docker run -e {name}=...`.',
      '{name} зашит в образ через {keyword}: по заданию он выбирается при запуске контейнера, а не при сборке образа. Уберите его и запускайте контейнер с `docker run -e {name}=...`.',
    ),
    runWith: t(
      'The app reads {names} at run time ({required}): start it as `docker run -e HMAC_ALGO=sha256 -e HMAC_SECRET=<secret> -p 9000:9000 <image>`.',
      'Приложение читает {names} при запуске ({required}): запускайте его как `docker run -e HMAC_ALGO=sha256 -e HMAC_SECRET=<секрет> -p 9000:9000 <образ>`.',
    ),
  },
  check({ analysis }) {
    const facts = nodeFacts(analysis.project);
    if (!facts.entry) return [];
    const findings: Finding[] = [];
    const anchor = startRange(analysis);
    // Baked into the image: ENV/ARG with a value in the final image (HMAC_SECRET is no-baked-secrets').
    const baked = new Set<string>();
    for (const { instr, prop, props } of bakedProperties(analysis)) {
      baked.add(prop.getName());
      if (prop.getName() !== 'HMAC_ALGO') continue;
      findings.push({
        messageId: 'baked',
        data: { name: prop.getName(), keyword: instr.keyword },
        range: prop.getRange(),
        severity: 'warning',
        fixes: [{ title: t('Remove {name} from the Dockerfile (pass it with docker run -e)', 'Убрать {name} из Dockerfile (передавать через docker run -e)'), edits: [removal(analysis, instr, props, prop)] }],
      });
    }
    // Read by the code? Only certain when every file was read and nothing reads process.env[name].
    const certain = facts.complete && !facts.dynamicEnv;
    const reads = new Map<string, boolean>();
    for (const r of facts.envReads) if (VARIABLES.includes(r.name as HmacVariable)) reads.set(r.name, (reads.get(r.name) ?? true) && r.hasDefault);
    const fixme = new Set(facts.hardcoded.map((h) => h.variable));
    if (anchor) {
      for (const name of VARIABLES) {
        if (reads.has(name) || fixme.has(name) || !certain) continue;
        findings.push({ messageId: 'notRead', data: { name, entry: facts.entry }, range: anchor });
      }
      if (reads.size > 0 && fixme.size === 0 && ![...baked].some((b) => reads.has(b))) {
        const names = VARIABLES.filter((n) => reads.has(n));
        const required = names.filter((n) => reads.get(n) === false);
        const optional = names.filter((n) => reads.get(n) === true);
        const parts = (lang: 'en' | 'ru') =>
          [
            required.length ? (lang === 'en' ? `${required.join(', ')} without a default` : `${required.join(', ')} без значения по умолчанию`) : '',
            optional.length ? (lang === 'en' ? `${optional.join(', ')} with a default` : `${optional.join(', ')} со значением по умолчанию`) : '',
          ]
            .filter(Boolean)
            .join('; ');
        const data = { names: names.join(' and '), names_ru: names.join(' и '), required: parts('en'), required_ru: parts('ru') };
        findings.push({ messageId: 'runWith', data, range: anchor, severity: 'information' });
      }
    }
    return findings;
  },
};

/** Where the container is started from: the start command, else the final FROM. */
function startRange(analysis: Analysis): Range | undefined {
  const { entrypoint, cmd } = startCommand(analysis);
  const instr = entrypoint ?? cmd;
  if (instr) return argumentsRange(analysis, instr) ?? keywordRange(instr);
  const final = analysis.finalStage;
  return final ? keywordRange(final.fromInstr) : undefined;
}

function bakedProperties(analysis: Analysis): { instr: Instr; prop: Property; props: readonly Property[] }[] {
  const final = analysis.finalStage;
  if (!final) return [];
  const out: { instr: Instr; prop: Property; props: readonly Property[] }[] = [];
  for (const stage of analysis.chain(final)) {
    for (const instr of stage.instructions) {
      const props = instr.node instanceof Env ? analysis.envProperties(instr) : instr.node instanceof Arg && instr.node.getProperty() ? [instr.node.getProperty()!] : [];
      for (const prop of props) {
        const value = prop.getValue();
        if (!VARIABLES.includes(prop.getName() as HmacVariable) || value === null || value === '') continue;
        // An ARG only lives during the build; what reaches the container is ENV.
        if (instr.node instanceof Arg) continue;
        out.push({ instr, prop, props });
      }
    }
  }
  return out;
}

/** Remove one property; the whole instruction when it is the only one. */
function removal(analysis: Analysis, instr: Instr, props: readonly Property[], p: Property): TextEdit {
  if (props.length === 1) return deleteInstruction(analysis, instr);
  const start = analysis.offsetAt(p.getRange().start);
  let end = analysis.offsetAt(p.getRange().end);
  while (end < analysis.text.length && (analysis.text[end] === ' ' || analysis.text[end] === '\t')) end++;
  return { range: analysis.rangeOf(start, end), newText: '' };
}
