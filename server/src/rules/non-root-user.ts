/**
 * Course rule 1: the final stage runs as an explicit non-root USER.
 * Follows FROM <stage> inheritance and Docker's variable scoping; the quick fix adds a USER that
 * exists in (or is created for) the final stage's base image.
 */
import { Arg, Env } from 'dockerfile-ast';
import { ALL_TASKS } from '../engine/types';
import type { Analysis, Instr, Stage } from '../engine/analysis';
import type { Fix, Finding, LocalizedText, Range, Rule, TextEdit } from '../engine/types';
import { isDistroless } from '../engine/image';
import { flatMap, indentOf, keywordRange, t } from './util';

/** `user[:group]` as written after expansion. */
export interface UserSpec {
  user: string;
  group: string | undefined;
}

export function splitUserSpec(value: string): UserSpec {
  const colon = value.indexOf(':');
  return colon < 0 ? { user: value, group: undefined } : { user: value.slice(0, colon), group: value.slice(colon + 1) };
}

/** `root`, uid 0 (`0`, `00`), or no user at all (`:1000`): all mean root. */
export function isRootUser(user: string): boolean {
  return user === '' || user === 'root' || /^0+$/.test(user);
}

export const isNumericId = (id: string): boolean => /^\d+$/.test(id);

/** The range of an instruction's arguments, or its keyword when it has none. */
export function argumentsRange(instr: Instr): Range {
  return instr.node.getArgumentsRange() ?? keywordRange(instr);
}

const stageLabel = (stage: Stage): string => stage.name ?? `#${stage.index}`;

/** A value that can be written after `ARG NAME=` or `USER ` without quoting. */
const PLAIN_VALUE = /^[A-Za-z0-9_.:\/-]+$/;
const PLAIN_USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/;

export const nonRootUser: Rule = {
  id: 'non-root-user',
  courseRule: 1,
  title: t('Run the final stage as a non-root user', 'Запуск финальной стадии не от root'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    noUser: t(
      'The final stage never sets USER, so the container runs as root. Set a non-root USER explicitly.',
      'Финальная стадия не задаёт USER, поэтому контейнер запускается от root. Явно укажите USER с непривилегированным пользователем.',
    ),
    userOnlyInBuilder: t(
      'USER is set only in stage {stage} (line {line}), which the final stage is not built on: the container runs as root. Set USER in the final stage.',
      'USER задан только в стадии {stage} (строка {line}), на которой финальная стадия не основана: контейнер запускается от root. Укажите USER в финальной стадии.',
    ),
    rootUser: t(
      'USER {user} runs the container as root. Use a non-root user.',
      'USER {user} запускает контейнер от root. Используйте непривилегированного пользователя.',
    ),
    rootAfterNonRoot: t(
      'USER {user} overrides the earlier USER {previous} (line {line}): the container runs as root. Switch back to a non-root user before the container starts.',
      'USER {user} отменяет заданный ранее USER {previous} (строка {line}): контейнер запускается от root. Вернитесь к непривилегированному пользователю до запуска.',
    ),
    emptyUser: t(
      'USER has no user, so the container runs as root. Name a non-root user or uid.',
      'У USER не указан пользователь, поэтому контейнер запускается от root. Укажите непривилегированного пользователя или uid.',
    ),
    variableFromOtherStage: t(
      '${name} is not declared in this stage (only in stage {stage}): ARG and ENV do not cross stages, so it expands to an empty string here and USER does not get the value you expect (an empty user is root).',
      'Переменная ${name} не объявлена в этой стадии (только в стадии {stage}): ARG и ENV не переходят между стадиями, поэтому здесь она раскрывается в пустую строку и USER получает не то значение (пустой пользователь — это root).',
    ),
    globalArgNotRedeclared: t(
      '${name} is declared before the first FROM but not re-declared in this stage: without `ARG {name}` here it expands to an empty string (an empty user is root).',
      'Переменная ${name} объявлена до первого FROM, но не объявлена заново в этой стадии: без `ARG {name}` здесь она раскрывается в пустую строку (пустой пользователь — это root).',
    ),
    undeclaredVariable: t(
      '${name} is not declared by any ARG or ENV: Docker expands it to an empty string, so USER does not get the value you expect (an empty user is root).',
      'Переменная ${name} не объявлена ни в одном ARG или ENV: Docker раскрывает её в пустую строку, и USER получает не то значение (пустой пользователь — это root).',
    ),
  },
  check({ analysis, task }) {
    // A task that needs a separate final stage gets that split first (multi-stage's fix); a user
    // created now would land in the builder, or in a final stage that has no shell to create it.
    const findings = checkFinalUser(analysis);
    if (task.multiStage === 'required' && analysis.stages.length < 2) return findings.map((f) => ({ ...f, fixes: [] }));
    return findings;
  },
};

function checkFinalUser(analysis: Analysis): Finding[] {
  const final = analysis.finalStage;
  if (!final) return [];
  const effective = analysis.effectiveUser(final);

  if (!effective) {
    const fixes = addUserFixes(analysis, final, undefined);
    const builderUser = userOutsideChain(analysis, final);
    if (builderUser?.stage) {
      return [
        {
          messageId: 'userOnlyInBuilder',
          data: { stage: stageLabel(builderUser.stage), line: builderUser.range.start.line + 1 },
          range: keywordRange(final.fromInstr),
          fixes,
        },
      ];
    }
    return [{ messageId: 'noUser', range: keywordRange(final.fromInstr), fixes }];
  }

  const { instr, value } = effective;
  const range = argumentsRange(instr);

  const undeclared = [...new Set(value.undeclared)];
  if (undeclared.length > 0) return [undeclaredFinding(analysis, final, instr, undeclared, range)];
  // A build argument without a default may be set with --build-arg: nothing to judge.
  if (value.value === undefined) return [];

  const text = value.value;
  if (text === '') return [{ messageId: 'emptyUser', range: keywordRange(instr), fixes: addUserFixes(analysis, final, undefined) }];
  if (!isRootUser(splitUserSpec(text).user)) return [];

  const previous = earlierNonRootUser(analysis, final, instr);
  const fixes = addUserFixes(analysis, final, previous);
  if (previous) {
    return [
      {
        messageId: 'rootAfterNonRoot',
        data: { user: text, previous: previous.value, line: previous.instr.range.start.line + 1 },
        range,
        fixes,
      },
    ];
  }
  return [{ messageId: 'rootUser', data: { user: text }, range, fixes }];
}

/** A USER somewhere outside the final stage's FROM chain: it does not reach the final image. */
function userOutsideChain(analysis: Analysis, final: Stage): Instr | undefined {
  const chain = analysis.chain(final);
  return flatMap(analysis.stages.filter((s) => !chain.includes(s)), (s) => s.instructions.filter((i) => i.keyword === 'USER'))[0];
}

interface KnownUser {
  instr: Instr;
  /** The expanded `user[:group]`. */
  value: string;
}

/** The last non-root USER set before `rootInstr` along the final stage's chain, to switch back to. */
function earlierNonRootUser(analysis: Analysis, final: Stage, rootInstr: Instr): KnownUser | undefined {
  const users = flatMap(analysis.chain(final).reverse(), (s) => s.instructions).filter((i) => i.keyword === 'USER' && i.index < rootInstr.index);
  for (let k = users.length - 1; k >= 0; k--) {
    const e = analysis.expandAt(users[k], (analysis.argsContent(users[k]) ?? '').trim());
    if (e.value === undefined || e.undeclared.length > 0) return undefined;
    if (e.value !== '' && !isRootUser(splitUserSpec(e.value).user)) return { instr: users[k], value: e.value };
  }
  return undefined;
}

function undeclaredFinding(analysis: Analysis, final: Stage, userInstr: Instr, names: string[], range: Range): Finding {
  const name = names[0];
  const declaringStage = analysis.stages.find((s) => s !== userInstr.stage && declarationIn(s, name));
  const declarations = names.map((n) => declarationLine(analysis, userInstr, n));
  const fixes: Fix[] = declarations.every((d): d is string => d !== undefined)
    ? [
        {
          title: t(`Declare ${declarations.join(', ')} in this stage`, `Объявить ${declarations.join(', ')} в этой стадии`),
          edits: [insertLinesAbove(analysis, userInstr, declarations)],
          preferred: true,
        },
      ]
    : addUserFixes(analysis, final, undefined);
  if (analysis.globalScope.has(name)) return { messageId: 'globalArgNotRedeclared', data: { name }, range, fixes };
  if (declaringStage) return { messageId: 'variableFromOtherStage', data: { name, stage: stageLabel(declaringStage) }, range, fixes };
  return { messageId: 'undeclaredVariable', data: { name }, range, fixes };
}

/** The ARG or ENV instruction of a stage that declares `name`. */
function declarationIn(stage: Stage, name: string): Instr | undefined {
  return stage.instructions.find(
    (i) =>
      (i.node instanceof Arg && i.node.getProperty()?.getName() === name) ||
      (i.node instanceof Env && i.node.getProperties().some((p) => p.getName() === name)),
  );
}

/**
 * The `ARG` line that makes `name` visible to the USER: a plain re-declaration for a global ARG (its
 * default then applies), else the value the other stage gives it. Undefined when there is no safe one.
 */
function declarationLine(analysis: Analysis, userInstr: Instr, name: string): string | undefined {
  if (analysis.globalScope.has(name)) return `ARG ${name}`;
  for (const stage of analysis.stages) {
    if (stage === userInstr.stage) continue;
    const decl = declarationIn(stage, name);
    if (!decl) continue;
    const prop = decl.node instanceof Arg ? decl.node.getProperty() : (decl.node as Env).getProperties().find((p) => p.getName() === name);
    if (!prop) continue;
    const raw = prop.getValue();
    if (decl.node instanceof Arg && (raw === null || prop.getAssignmentOperator() === null)) return `ARG ${name}`;
    const value = analysis.expandAt(decl, raw ?? '').value;
    // ARG, not ENV: the USER needs the value at build time only.
    if (value !== undefined && PLAIN_VALUE.test(value)) return `ARG ${name}=${value}`;
    return undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The quick fix: a USER that fits the base image.

interface UserPlan {
  lines: string[];
  title: LocalizedText;
}

function addUserFixes(analysis: Analysis, final: Stage, previous: KnownUser | undefined): Fix[] {
  const plan = planUser(analysis, final, previous);
  return plan ? [{ title: plan.title, edits: [insertUserLines(analysis, final, plan.lines)], preferred: true }] : [];
}

const switchTo = (user: string): UserPlan => ({ lines: [`USER ${user}`], title: t(`Add USER ${user}`, `Добавить USER ${user}`) });

const createAndSwitch = (run: string): UserPlan => ({
  lines: [run, 'USER app'],
  title: t('Create user app and add USER app', 'Создать пользователя app и добавить USER app'),
});

function planUser(analysis: Analysis, final: Stage, previous: KnownUser | undefined): UserPlan | undefined {
  const base = analysis.rootBase(final);
  if (base.kind === 'scratch') {
    // No /etc/passwd on scratch: only a numeric user works (see scratch-named-user).
    const numeric = previous && splitUserSpec(previous.value);
    if (numeric && isNumericId(numeric.user) && (numeric.group === undefined || isNumericId(numeric.group))) return switchTo(previous.value);
    return switchTo('65534:65534');
  }
  // The user the Dockerfile already switched to earlier, or created, surely exists.
  if (previous) return switchTo(previous.value);
  const created = createdUser(analysis, final);
  if (created) return switchTo(created);
  if (base.kind === 'unknown') return undefined;
  const ref = base.ref;
  if (isDistroless(ref)) return switchTo('nonroot');
  if (ref.registry === undefined && ref.repository === 'node') return switchTo('node');
  if (ref.repository === 'alpine' || ref.repository.endsWith('/alpine') || (ref.tag ?? '').includes('alpine')) {
    return createAndSwitch('RUN addgroup -S app && adduser -S -G app app');
  }
  return createAndSwitch('RUN groupadd --system app && useradd --system --gid app --no-create-home app');
}

/** Options of adduser (Debian and BusyBox) and useradd that take a value in the next word. */
const SHORT_WITH_VALUE = new Set('bcdefgGkKpRPsuZh'.split(''));
const LONG_WITH_VALUE = new Set([
  '--base-dir', '--comment', '--home-dir', '--expiredate', '--inactive', '--gid', '--groups', '--skel', '--key',
  '--password', '--root', '--prefix', '--shell', '--uid', '--selinux-user', '--home', '--ingroup', '--gecos',
  '--firstuid', '--lastuid', '--firstgid', '--lastgid', '--conf',
]);

/** The last user a RUN of the final stage's chain creates with adduser/useradd. */
function createdUser(analysis: Analysis, final: Stage): string | undefined {
  let found: string | undefined;
  const runs = flatMap(analysis.chain(final).reverse(), (s) => s.instructions).filter((i) => i.keyword === 'RUN');
  for (const run of runs) {
    for (const cmd of analysis.shell(run).commands) {
      const program = cmd.words[0]?.value.split('/').pop();
      if (program !== 'adduser' && program !== 'useradd') continue;
      // adduser's second operand is a group to add the user to; the user is always the first one.
      let operand: (typeof cmd.words)[number] | undefined;
      for (let k = 1; k < cmd.words.length; k++) {
        const w = cmd.words[k].value;
        if (w === '--') {
          operand = cmd.words[k + 1];
          break;
        }
        if (w.startsWith('--')) {
          if (!w.includes('=') && LONG_WITH_VALUE.has(w)) k++;
        } else if (w.startsWith('-') && w.length > 1) {
          if (SHORT_WITH_VALUE.has(w[w.length - 1])) k++;
        } else {
          operand = cmd.words[k];
          break;
        }
      }
      if (!operand) continue;
      const name = operand.expands ? analysis.expandAt(run, operand.value).value : operand.value;
      if (name && PLAIN_USER.test(name)) found = name;
    }
  }
  return found;
}

/**
 * Where the new USER goes: before the first CMD/ENTRYPOINT after the final stage's last USER (so files
 * are still copied as root), else at the end of the stage.
 */
function insertUserLines(analysis: Analysis, final: Stage, lines: string[]): TextEdit {
  const instrs = final.instructions;
  const lastUser = instrs.map((i) => i.keyword).lastIndexOf('USER');
  const start = instrs.slice(lastUser + 1).find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  if (start) return insertLinesAbove(analysis, start, lines);
  const last = instrs[instrs.length - 1] ?? final.fromInstr;
  const indent = instrs.length > 0 ? indentOf(analysis, last) : indentOf(analysis, final.fromInstr);
  const line = last.range.end.line;
  const pos = { line, character: analysis.lineText(line).length };
  return { range: { start: pos, end: pos }, newText: lines.map((l) => analysis.eol + indent + l).join('') };
}

/**
 * Insert whole lines above an instruction and above the comments right over it, so that a
 * `# coach-ignore` meant for that instruction keeps covering it.
 */
export function insertLinesAbove(analysis: Analysis, instr: Instr, lines: string[]): TextEdit {
  const previousEnd = analysis.instructions[instr.index - 1]?.range.end.line ?? -1;
  let line = instr.range.start.line;
  while (line - 1 > previousEnd && /^\s*#/.test(analysis.lineText(line - 1))) line--;
  const indent = indentOf(analysis, instr);
  const pos = { line, character: 0 };
  return { range: { start: pos, end: pos }, newText: lines.map((l) => indent + l + analysis.eol).join('') };
}
