/**
 * RULES.md 21: write access. A non-root USER that must write into a folder owned by root fails with
 * EACCES: at build time (`USER node`, `WORKDIR /app`, `RUN yarn install`: the legacy builder creates
 * WORKDIR folders as root whatever USER says) or at run time (a VOLUME the non-root app writes to,
 * left root-owned or never created on scratch).
 *
 * Conservative by design: ownership is tracked only for folders this Dockerfile certainly creates
 * (WORKDIR, COPY/ADD destinations, mkdir) on a base whose file system is known (scratch, official
 * images, distroless) and changed by chown/chmod/`install -d -o`; users are compared by name or by
 * uid as written, never one against the other. Anything else keeps the rule silent.
 */
import { ALL_TASKS } from '../engine/types';
import type { Analysis, Instr, Stage } from '../engine/analysis';
import type { Finding, Rule, StageStates } from '../engine/types';
import { isDistroless } from '../engine/image';
import type { ShellCommand } from '../engine/shell';
import { chainPlacements, commandWrites, copySpec, commandsWithCwd, expandValue, isInside, normalizePath, parseArgs, placedBy, placement, programName, resolvePath, unquote, wordPath, wordValue, workdirBefore } from './paths';
import { isRootUser, splitUserSpec } from './non-root-user';
import { volumePaths } from './volumes';
import { chainFold, t } from './util';
import { KeyMemo } from '../engine/keyMemo';
import { table } from '../engine/lookup';
import { trimTrailing } from '../engine/text';

type Owner = { kind: 'root' } | { kind: 'user'; user: string } | { kind: 'world' } | { kind: 'unknown' };

// The simulation's state holds lines and keywords, not Instr objects: a later version may take a
// stage's end state over (StageStates).
interface Dir {
  owner: Owner;
  /** The instruction that created the folder or last changed its owner: its first line and keyword. */
  line: number;
  keyword: string;
  how: 'workdir' | 'copy' | 'mkdir' | 'chown' | 'chmod';
}

const madeDir = (owner: Owner, by: Instr, how: Dir['how']): Dir => ({ owner, line: by.range.start.line, keyword: by.keyword, how });

/** `line`: the USER instruction's first line. */
type User = { kind: 'default' } | { kind: 'root' } | { kind: 'user'; user: string; line: number } | { kind: 'unknown' };

/** Folders an official image may already have: anything at these paths or below them is not ours to judge. */
const SYSTEM_TREES = ['/etc', '/usr', '/var', '/lib', '/lib32', '/lib64', '/libx32', '/bin', '/sbin', '/proc', '/sys', '/dev', '/run', '/boot', '/root'];
/** ... except these, which official images leave empty: a folder made below them is new. */
const NEW_BELOW = ['/usr/src', '/usr/local/src', '/tmp', '/srv', '/mnt', '/media', '/opt', '/home/*', '/go/src', '/go/bin', '/go/pkg'];
const NEW_BELOW_RE = NEW_BELOW.map((n) => new RegExp('^' + n.replace(/\*/g, '[^/]+') + '/.+'));

const INSTALLS: Readonly<Record<string, Set<string | undefined>>> = table({
  yarn: new Set([undefined, 'install', 'add']),
  npm: new Set(['ci', 'install', 'i', 'clean-install']),
  pnpm: new Set(['install', 'i', 'add']),
  bun: new Set(['install', 'i', 'add']),
});

export const writeAccess: Rule = {
  id: 'write-access',
  courseRule: 21,
  title: t('The non-root user can write where it must', 'Непривилегированный пользователь может писать туда, куда нужно'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    runNotWritable: t(
      '`{command}` runs as {user} (USER on line {userLine}) and writes into {dir}, which {how}: the build fails with EACCES (permission denied). Create the folder as root and hand it over before switching the user (`RUN mkdir -p {dir} && chown {user} {dir}` before `USER {user}`), or copy with `--chown={user}` into a folder that does not exist yet, or switch the user after this step.',
      '`{command}` выполняется от {user} (USER в строке {userLine}) и пишет в {dir}, а эту папку {how_ru}: сборка упадёт с EACCES (permission denied). Создайте папку от root и передайте её пользователю до переключения (`RUN mkdir -p {dir} && chown {user} {dir}` перед `USER {user}`), или копируйте с `--chown={user}` в ещё не существующую папку, или переключайте пользователя после этого шага.',
    ),
    volumeNotWritable: t(
      'The container runs as {user} (USER on line {userLine}), but the volume {volume} {state}: the app gets EACCES (permission denied) when it writes there at run time. Create the folder in a builder stage and copy it with its owner (`COPY --from=<builder> --chown={user} /upload {volume}`), or `chown` it before the VOLUME line.',
      'Контейнер работает от {user} (USER в строке {userLine}), а том {volume} {state_ru}: при записи туда во время работы приложение получит EACCES (permission denied). Создайте папку в стадии сборки и скопируйте её вместе с владельцем (`COPY --from=<стадия> --chown={user} /upload {volume}`) или сделайте `chown` до строки VOLUME.',
    ),
  },
  checkStage({ analysis, task, states }, stage) {
    const sim = simulate(analysis, stage, task.legacyBuilder, states);
    const findings = [...sim.findings];
    if (stage.isFinal) {
      const f = volumeFinding(analysis, stage, sim, task.name === 'scratch', task.legacyBuilder);
      if (f) findings.push(f);
    }
    return findings;
  },
};

interface Simulation {
  dirs: Map<string, Dir>;
  user: User;
  findings: Finding[];
  /** Paths the RUNs walked so far write to, and last names of those written at unknown places. */
  madePaths: string[];
  madeNames: Set<string>;
}

const HOW: Record<Dir['how'], { en: string; ru: string }> = {
  workdir: { en: 'the WORKDIR on line {line} created as root (the legacy builder ignores USER there)', ru: 'создал от root WORKDIR в строке {line} (legacy-сборщик не учитывает там USER)' },
  copy: { en: 'the {keyword} on line {line} created as root (without --chown)', ru: 'создал от root {keyword} в строке {line} (без --chown)' },
  mkdir: { en: '`mkdir` on line {line} created as root', ru: 'создал от root `mkdir` в строке {line}' },
  chown: { en: 'the chown on line {line} gave to root', ru: 'отдал root chown в строке {line}' },
  chmod: { en: 'the chmod on line {line} left owned by root', ru: 'оставил за root chmod в строке {line}' },
};

const describe = (dir: Dir, lang: 'en' | 'ru'): string =>
  HOW[dir.how][lang].replace('{line}', String(dir.line + 1)).replace('{keyword}', dir.keyword);

/**
 * Walk a stage's chain: users, folders and their owners; findings for this stage's own RUNs. A stage
 * starts from its parent's end state (kept per stage), so each stage's instructions are walked once.
 */
function simulate(analysis: Analysis, target: Stage, legacy: boolean, states: StageStates | undefined): Simulation {
  const empty = (): Simulation => ({ dirs: new Map(), user: { kind: 'default' }, findings: [], madePaths: [], madeNames: new Set() });
  const root = analysis.chain(target).pop() as Stage;
  if (!baseIsKnown(analysis, root)) return empty();
  const scratch = analysis.rootBase(target).kind === 'scratch';
  return chainFold(analysis, target, endStates, (stage, parent) => {
    const sim = parent ? { dirs: new Map(parent.dirs), user: parent.user, findings: [], madePaths: [...parent.madePaths], madeNames: new Set(parent.madeNames) } : empty();
    walkStage(analysis, stage, sim, scratch, legacy);
    return sim;
  }, states);
}

/** Each stage's simulation at its end (Stage objects belong to one analysis; the states may go to the next version). */
const endStates = new KeyMemo<Stage, Simulation>('endStates');

function walkStage(analysis: Analysis, stage: Stage, sim: Simulation, scratch: boolean, legacy: boolean): void {
  for (const instr of stage.instructions) {
    switch (instr.keyword) {
      case 'USER':
        sim.user = userOf(analysis, instr);
        break;
      case 'WORKDIR': {
        const dir = workdirBefore(analysis, instr);
        const raw = unquote((analysis.argsContent(instr) ?? '').trim());
        const v = raw === '' ? undefined : expandValue(analysis, instr, raw);
        const p = v === undefined ? undefined : resolvePath(dir.dir, v);
        if (p && isNew(analysis, stage, sim, p, scratch, instr)) {
          // The legacy builder creates WORKDIR folders as root whatever USER says (BuildKit as USER:
          // findings that rest on this are lowered outside the legacy-builder tasks).
          const owner: Owner = { kind: 'root' };
          sim.dirs.set(p, madeDir(owner, instr, 'workdir'));
        }
        break;
      }
      case 'COPY':
      case 'ADD': {
        const spec = copySpec(analysis, instr);
        const p = spec && placement(analysis, spec);
        if (!spec || !p) break;
        if (isNew(analysis, stage, sim, p.path, scratch, instr)) {
          const owner: Owner = spec.chownUnknown ? { kind: 'unknown' } : spec.chown !== undefined ? ownerOfSpec(spec.chown) : { kind: 'root' };
          sim.dirs.set(p.path, madeDir(owner, instr, 'copy'));
        }
        break;
      }
      case 'RUN':
        runEffects(analysis, instr, sim, stage, scratch, legacy);
        recordWrites(analysis, instr, sim);
        break;
    }
  }
}

function baseIsKnown(analysis: Analysis, root: Stage): boolean {
  if (root.base.kind === 'scratch') return true;
  if (root.base.kind !== 'image') return false;
  const ref = root.base.ref;
  return isDistroless(ref) || (ref.registry === undefined && !ref.repository.includes('/'));
}

/** Remember what a RUN writes, for isNew at later instructions (earlier RUNs are all recorded by then). */
function recordWrites(analysis: Analysis, run: Instr, sim: Simulation): void {
  for (const { cmd, cwd } of commandsWithCwd(analysis, run)) {
    for (const w of commandWrites(cmd)) {
      const v = wordValue(analysis, run, w.word);
      const made = v === undefined ? undefined : resolvePath(cwd, v);
      if (made === undefined) sim.madeNames.add(trimTrailing(v ?? w.word.value, '/').split('/').pop() ?? '');
      else sim.madePaths.push(made);
    }
  }
}

/** Does this Dockerfile certainly create `p` at `at` (it did not exist before)? */
function isNew(analysis: Analysis, stage: Stage, sim: Simulation, p: string, scratch: boolean, at: Instr): boolean {
  if (p === '/' || sim.dirs.has(p)) return false;
  // An earlier copy may have brought it along with a whole folder.
  for (const known of sim.dirs.keys()) if (sim.dirs.get(known)!.how === 'copy' && isInside(p, known)) return false;
  // An earlier RUN may have made it (`mkdir -p /app/x` makes /app too; `mkdir ~/app`; an install's node_modules).
  const name = p.slice(p.lastIndexOf('/') + 1);
  if (name === 'node_modules') return false;
  if (sim.madeNames.has(name) || sim.madePaths.some((made) => isInside(made, p) || isInside(p, made))) return false;
  if (scratch) {
    const { placements } = chainPlacements(analysis, stage, at);
    return !placedBy(placements, p);
  }
  const newBelow = NEW_BELOW_RE.some((re) => re.test(p));
  if (newBelow) return true;
  if (SYSTEM_TREES.some((tree) => isInside(p, tree)) || /^\/home(?:\/[^/]+)?$/.test(p) || /^\/go(?:\/(?:src|bin|pkg))?$/.test(p) || p === '/data') return false;
  return true;
}

function userOf(analysis: Analysis, instr: Instr): User {
  const raw = (analysis.argsContent(instr) ?? '').trim();
  const v = raw === '' ? undefined : expandValue(analysis, instr, raw);
  if (v === undefined || v === '') return { kind: 'unknown' };
  const { user } = splitUserSpec(v);
  return isRootUser(user) ? { kind: 'root' } : { kind: 'user', user, line: instr.range.start.line };
}

function ownerOfSpec(spec: string): Owner {
  const { user } = splitUserSpec(spec);
  if (user === '') return { kind: 'unknown' };
  return isRootUser(user) ? { kind: 'root' } : { kind: 'user', user };
}

/** A mode that lets everyone write (`777`, `1777`, `o+w`, `a+rwx`). */
function worldWritable(mode: string): boolean {
  if (/^[0-7]{3,4}$/.test(mode)) return (Number(mode[mode.length - 1]) & 2) !== 0;
  return mode.split(',').some((part) => /^[ugoa]*[oa][ugoa]*[+=][rwxXst]*w/.test(part));
}

function runEffects(analysis: Analysis, instr: Instr, sim: Simulation, stage: Stage, scratch: boolean, legacy: boolean): void {
  for (const { cmd, cwd } of commandsWithCwd(analysis, instr)) {
    const program = programName(cmd.words[0]);
    const args = cmd.words.slice(1);
    if (program === 'chown' || program === 'chmod' || program === 'chgrp') {
      const p = parseArgs(program, args);
      const spec = p.operands[0] ? wordValue(analysis, instr, p.operands[0]) : undefined;
      const recursive = p.flags.has('-R') || p.flags.has('--recursive');
      for (const w of p.operands.slice(1)) {
        const target = wordPath(analysis, instr, w, cwd);
        if (!target) continue;
        const set = (owner: Owner | undefined, how: Dir['how']) => {
          // Only existing entries are replaced while iterating: no copy of the map needed.
          sim.dirs.forEach((dir, path) => {
            if (path === target || (recursive && isInside(path, target))) sim.dirs.set(path, madeDir(owner ?? dir.owner, instr, how));
          });
          if (!sim.dirs.has(target) && owner) sim.dirs.set(target, madeDir(owner, instr, how));
        };
        if (program === 'chown') set(spec === undefined ? { kind: 'unknown' } : ownerOfSpec(spec), 'chown');
        else if (program === 'chgrp') set({ kind: 'unknown' }, 'chown');
        else if (spec !== undefined && worldWritable(spec)) set({ kind: 'world' }, 'chmod');
      }
      continue;
    }
    if (program === 'mkdir' || (program === 'install' && args.some((a) => a.value === '-d' || a.value === '--directory'))) {
      const p = parseArgs(program, args);
      const mode = (p.values.get('-m') ?? p.values.get('--mode') ?? [])[0]?.value;
      const ownerValue = (p.values.get('-o') ?? p.values.get('--owner') ?? [])[0];
      const ownerName = ownerValue ? wordValue(analysis, instr, ownerValue) : undefined;
      const creator: Owner = sim.user.kind === 'user' ? { kind: 'user', user: sim.user.user } : sim.user.kind === 'unknown' ? { kind: 'unknown' } : { kind: 'root' };
      for (const w of p.operands) {
        const target = wordPath(analysis, instr, w, cwd);
        if (!target) continue;
        checkWrite(analysis, instr, sim, parentOf(target), cmd, legacy);
        if (!isNew(analysis, stage, sim, target, scratch, instr)) continue;
        const owner: Owner = ownerValue ? (ownerName === undefined ? { kind: 'unknown' } : ownerOfSpec(ownerName)) : mode && worldWritable(mode) ? { kind: 'world' } : creator;
        sim.dirs.set(target, madeDir(owner, instr, 'mkdir'));
      }
      continue;
    }
    const sub = args.find((a) => !a.value.startsWith('-'))?.value;
    // A global install (`npm install -g`) writes to the tool's prefix, not to the working directory.
    const global = args.some((a) => a.value === '-g' || a.value === '--global' || a.value === 'global');
    if (INSTALLS[program]?.has(sub) && !global && cwd) checkWrite(analysis, instr, sim, cwd, cmd, legacy);
    for (const w of commandWrites(cmd)) {
      if (w.kind !== 'create' || program === 'cp' || program === 'mv' || program === 'ln') continue;
      const target = wordPath(analysis, instr, w.word, cwd);
      if (target) checkWrite(analysis, instr, sim, parentOf(target), cmd, legacy);
    }
  }
}

const parentOf = (p: string): string => normalizePath(p.slice(0, p.lastIndexOf('/')) || '/');

/** Report a write by the current (explicit, non-root) user into a folder we know is not theirs. */
function checkWrite(analysis: Analysis, instr: Instr, sim: Simulation, dir: string, cmd: ShellCommand, legacy: boolean): void {
  const user = sim.user;
  if (user.kind !== 'user') return;
  const d = sim.dirs.get(dir);
  if (!d || d.owner.kind !== 'root') return;
  if (sim.findings.some((f) => f.range.start.line === instr.range.start.line && f.data?.dir === dir)) return;
  const range = instr.node.getInstructionRange();
  const command = cmd.words.map((x) => x.value).join(' ');
  sim.findings.push({
    messageId: 'runNotWritable',
    data: {
      command: command.length > 60 ? command.slice(0, 57) + '...' : command,
      user: user.user,
      userLine: user.line + 1,
      dir,
      how: describe(d, 'en'),
      how_ru: describe(d, 'ru'),
    },
    range,
    // BuildKit creates WORKDIR folders as USER: outside the legacy-builder tasks that case is only a portability note.
    ...(d.how === 'workdir' && !legacy ? { severity: 'information' as const } : {}),
  });
}

/** The final image's volumes that its non-root user cannot write to. */
function volumeFinding(analysis: Analysis, stage: Stage, sim: Simulation, scratchTask: boolean, legacy: boolean): Finding | undefined {
  const user = sim.user;
  if (user.kind !== 'user') return undefined;
  const scratch = analysis.rootBase(stage).kind === 'scratch';
  const { placements, unknown } = chainPlacements(analysis, stage);
  for (const s of analysis.chain(stage).reverse()) {
    for (const instr of s.instructions) {
      if (instr.keyword !== 'VOLUME') continue;
      for (const v of volumePaths(analysis, instr)) {
        if (v.value === undefined || !v.value.startsWith('/')) continue;
        const volume = normalizePath(v.value);
        // The scratch task's upload-volume rule says it for /upload, with the task's own fix.
        if (scratchTask && volume === '/upload') continue;
        const d = sim.dirs.get(volume);
        let state: { en: string; ru: string } | undefined;
        if (d && d.owner.kind === 'root') {
          state = { en: `is owned by root (${describe(d, 'en')})`, ru: `принадлежит root (его ${describe(d, 'ru')})` };
        } else if (!d && scratch && !unknown && !placedBy(placements, volume) && ![...sim.dirs.keys()].some((k) => isInside(volume, k))) {
          state = {
            en: 'does not exist in the image (scratch has nothing), so Docker creates the mount point owned by root',
            ru: 'в образе нет (в scratch нет ничего), поэтому Docker создаст точку монтирования с владельцем root',
          };
        }
        if (!state) continue;
        return {
          messageId: 'volumeNotWritable',
          data: { user: user.user, userLine: user.line + 1, volume, state: state.en, state_ru: state.ru },
          range: v.range,
          ...(d?.how === 'workdir' && !legacy ? { severity: 'information' as const } : {}),
        };
      }
    }
  }
  return undefined;
}
