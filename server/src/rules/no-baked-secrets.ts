/**
 * RULES.md 8: no secret in ENV/ARG: it stays in the image config or `docker history`.
 * Secrets come at `docker run -e`.
 */
import { Arg, Env, Property } from 'dockerfile-ast';
import { ALL_TASKS } from '../engine/types';
import type { Analysis, Instr } from '../engine/analysis';
import type { Finding, Rule, TextEdit } from '../engine/types';
import { deleteInstruction, t } from './util';

const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE_?KEY|API_?KEY|(?:^|_)KEY$/i;
// Names that only look secret: public key ids and paths to where a secret will be mounted.
const NOT_SECRET = /(?:GPG|PUBLIC)_?KEY$|_(?:FILE|PATH|DIR|URL|ID|NAME)$/i;

export const isSecretName = (name: string): boolean => SECRET_NAME.test(name) && !NOT_SECRET.test(name);

export const noBakedSecrets: Rule = {
  id: 'no-baked-secrets',
  courseRule: 8,
  title: t('No secrets baked into the image', 'Никаких секретов внутри образа'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    env: t(
      '{name} is set with ENV: its value is stored in the image config for anyone who pulls the public image (`docker inspect`). Remove it and pass it at run time: `docker run -e {name}=...`.',
      '{name} задан через ENV: значение сохранится в конфигурации образа, и его увидит любой, кто скачает публичный образ (`docker inspect`). Уберите его и передавайте при запуске: `docker run -e {name}=...`.',
    ),
    urlCredentials: t(
      '{name} holds a URL with a password (`user:password@`): it stays in the image config for anyone who pulls the image. Pass the URL at run time: `docker run -e {name}=...`.',
      '{name} содержит URL с паролем (`user:password@`): он сохранится в конфигурации образа для всех, кто скачает образ. Передавайте URL при запуске: `docker run -e {name}=...`.',
    ),
    arg: t(
      '{name} has a default value in ARG: build arguments are recorded in `docker history`. Remove the default and pass the secret at run time: `docker run -e {name}=...`.',
      'У {name} есть значение по умолчанию в ARG: аргументы сборки сохраняются в `docker history`. Уберите значение и передавайте секрет при запуске: `docker run -e {name}=...`.',
    ),
  },
  check({ analysis }) {
    // The global ARGs before the first FROM.
    return secretFindings(analysis, analysis.instructions.filter((i) => !i.stage));
  },
  checkStage({ analysis }, stage) {
    return secretFindings(analysis, stage.instructions);
  },
};

function secretFindings(analysis: Analysis, instructions: Instr[]): Finding[] {
  const findings: Finding[] = [];
  const finalChain = analysis.finalStage ? analysis.chain(analysis.finalStage) : [];
  for (const instr of instructions) {
    const inFinalImage = instr.stage !== undefined && finalChain.includes(instr.stage);
    let props: readonly Property[] = [];
    let isArg = false;
    if (instr.node instanceof Env) props = analysis.envProperties(instr);
    else if (instr.node instanceof Arg) {
      const p = instr.node.getProperty();
      props = p ? [p] : [];
      isArg = true;
    }
    for (const p of props) {
      const value = p.getValue();
      if (value === null || value === '') continue;
      const urlWithPassword = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@$]+@/i.test(value);
      if (!isSecretName(p.getName()) && !urlWithPassword) continue;
      findings.push({
        messageId: isSecretName(p.getName()) ? (isArg ? 'arg' : 'env') : 'urlCredentials',
        data: { name: p.getName() },
        range: p.getRange(),
        // A secret in a builder stage never reaches the final image's config: still worth fixing, less urgent.
        severity: inFinalImage || !instr.stage ? undefined : 'warning',
        fixes: [{ title: t('Remove {name} from the Dockerfile (pass it with docker run -e)', 'Убрать {name} из Dockerfile (передавать через docker run -e)'), edits: [removal(analysis, instr, props, p)] }],
      });
    }
  }
  return findings;
}

/** Remove one property; the whole instruction when it is the only one. */
function removal(analysis: Analysis, instr: Instr, props: readonly Property[], p: Property): TextEdit {
  if (props.length === 1) return deleteInstruction(analysis, instr);
  let start = analysis.offsetAt(p.getRange().start);
  let end = analysis.offsetAt(p.getRange().end);
  const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
  if (props[props.length - 1] === p) {
    // The last pair: take the space before it, so no trailing space is left behind.
    while (start > 0 && isBlank(analysis.text[start - 1])) start--;
  } else {
    while (end < analysis.text.length && isBlank(analysis.text[end])) end++;
  }
  return { range: analysis.rangeOf(start, end), newText: '' };
}
