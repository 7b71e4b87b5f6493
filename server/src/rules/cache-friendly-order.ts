/**
 * RULES.md 12: manifests and lockfiles are copied and installed before the sources. Docker reuses a
 * layer only while everything above it is unchanged; a `COPY . .` (or a COPY of sources into the
 * project) above the dependency install makes every source edit re-run the install.
 *
 * Reported: a whole-context COPY before an install in the same stage chain, and a COPY of other files
 * into the install's folder before it. Installs are found by the shell tokenizer: yarn/npm/pnpm/bun,
 * `go mod download`, `pip install -r`, poetry, pipenv, bundler, composer.
 *
 * The fix (only where it is mechanical): `COPY . .; RUN yarn install` becomes
 * `COPY package.json yarn.lock ./; RUN yarn install; COPY . .`, with the manifests the project really
 * has, when the install RUN does nothing but install, nothing that needs the sources stands between,
 * and the install cannot need more than the manifests (no workspaces, install scripts, local deps).
 */
import { ALL_TASKS } from '../engine/types';
import type { Analysis, Instr, Stage } from '../engine/analysis';
import type { ShellCommand } from '../engine/shell';
import { readPackageJson } from '../engine/project';
import type { Finding, Fix, Rule, StageStates } from '../engine/types';
import { chainCopies, commandsWithCwd, copySpec, globMatches, hasGlob, isIgnored, isInside, isUrl, isWholeContext, parseArgs, placement, programName, readDockerignore } from './paths';
import type { CopySpec, PathArg } from './paths';
import { chainFold, indentOf, once, t } from './util';
import { KeyMemo } from '../engine/keyMemo';
import { trimTrailing } from '../engine/text';

type Eco = 'node' | 'go' | 'pip' | 'poetry' | 'pipenv' | 'bundler' | 'composer';

interface Install {
  eco: Eco;
  instr: Instr;
  cmd: ShellCommand;
  cwd: string | undefined;
  /** Requirement files named on the command line (pip). */
  files: string[];
}

/** The files an install reads, in the order they are best copied. */
const MANIFESTS: Record<Eco, string[]> = {
  node: ['package.json', 'yarn.lock', 'package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'bun.lockb', '.yarnrc', '.yarnrc.yml', '.npmrc'],
  go: ['go.mod', 'go.sum'],
  pip: [],
  poetry: ['pyproject.toml', 'poetry.lock'],
  pipenv: ['Pipfile', 'Pipfile.lock'],
  bundler: ['Gemfile', 'Gemfile.lock'],
  composer: ['composer.json', 'composer.lock'],
};
const PRIMARY: Record<Eco, string | undefined> = { node: 'package.json', go: 'go.mod', pip: undefined, poetry: 'pyproject.toml', pipenv: 'Pipfile', bundler: 'Gemfile', composer: 'composer.json' };
const MANIFEST_NAMES: Record<Eco, { en: string; ru: string }> = {
  node: { en: 'package.json and the lockfile', ru: 'package.json и lock-файл' },
  go: { en: 'go.mod and go.sum', ru: 'go.mod и go.sum' },
  pip: { en: 'the requirements file', ru: 'файл requirements' },
  poetry: { en: 'pyproject.toml and poetry.lock', ru: 'pyproject.toml и poetry.lock' },
  pipenv: { en: 'Pipfile and Pipfile.lock', ru: 'Pipfile и Pipfile.lock' },
  bundler: { en: 'Gemfile and Gemfile.lock', ru: 'Gemfile и Gemfile.lock' },
  composer: { en: 'composer.json and composer.lock', ru: 'composer.json и composer.lock' },
};
/** Installs whose fix is mechanical (composer and poetry install the project itself too). */
const FIXABLE = new Set<Eco>(['node', 'go', 'pip', 'bundler', 'pipenv']);
/** Instructions a COPY may be moved past: none reads the files it brings. */
const MOVABLE_PAST = new Set(['ENV', 'ARG', 'LABEL', 'EXPOSE', 'USER', 'STOPSIGNAL', 'MAINTAINER']);

export const cacheFriendlyOrder: Rule = {
  id: 'cache-friendly-order',
  courseRule: 12,
  title: t('Manifests and install before the sources', 'Сначала манифесты и установка, потом исходники'),
  defaultSeverity: 'warning',
  tasks: ALL_TASKS,
  messages: {
    wholeContextBeforeInstall: t(
      '`{copy}` copies the whole project before `{install}` (line {line}): a change to any file invalidates this layer, so every build reinstalls all dependencies. Copy only {manifests} first, run the install, then copy the rest{suggestion}.',
      '`{copy}` копирует весь проект до `{install}` (строка {line}): изменение любого файла сбрасывает кэш этого слоя, и каждая сборка заново ставит все зависимости. Сначала скопируйте только {manifests_ru}, выполните установку, а потом копируйте остальное{suggestion_ru}.',
    ),
    sourcesBeforeInstall: t(
      '`{copy}` copies files the install does not need before `{install}` (line {line}): each change to them re-runs the install. Move this COPY below the install and copy only {manifests} before it.',
      '`{copy}` копирует файлы, которые установке не нужны, до `{install}` (строка {line}): каждое их изменение заново запускает установку. Перенесите этот COPY ниже установки, а до неё копируйте только {manifests_ru}.',
    ),
  },
  checkStage({ analysis, states }, stage) {
    return stageVerdicts(analysis, stage, states).findings;
  },
};

interface StageVerdicts {
  /**
   * The COPYs of the stage's chain reported so far (for this stage's installs or its parents'), by
   * instruction index: a later version may take the verdicts over (StageStates).
   */
  reported: ReadonlySet<number>;
  findings: Finding[];
}

const verdictsMemo = new KeyMemo<Stage, StageVerdicts>('verdictsMemo');

/**
 * A COPY is reported once, for the first install after it in build order: a parent stage's COPY
 * already reported for the parent's own install is not reported again for a stage built on it.
 * (Two stages built on the same parent each report it.) Parents first, without recursion: chains can be long.
 */
function stageVerdicts(analysis: Analysis, target: Stage, states: StageStates | undefined): StageVerdicts {
  return chainFold(analysis, target, verdictsMemo, (stage, parent) => {
    const reported = new Set(parent?.reported);
    const findings: Finding[] = [];
    for (const install of stageInstalls(analysis, stage)) {
      for (const copy of chainCopies(analysis, stage)) {
        // In build order: parents' instructions come first in the file.
        if (copy.index >= install.instr.index) break;
        if (reported.has(copy.index)) continue;
        const spec = copySpec(analysis, copy);
        if (!spec || spec.from) continue;
        const verdict = judgeCopy(analysis, spec, install);
        if (!verdict) continue;
        reported.add(copy.index);
        const command = install.cmd.words.map((w) => w.value).join(' ');
        const manifests = manifestList(analysis, install);
        const names = MANIFEST_NAMES[install.eco];
        const data: Record<string, string | number> = {
          copy: `${spec.keyword} ${spec.sources.map((s) => s.raw).join(' ')} ${spec.dest.raw}`,
          install: command.length > 60 ? command.slice(0, 57) + '...' : command,
          line: install.instr.range.start.line + 1,
          manifests: manifests.length ? manifests.join(' ') : names.en,
          manifests_ru: manifests.length ? manifests.join(' ') : names.ru,
          suggestion: '',
          suggestion_ru: '',
        };
        if (verdict.kind === 'whole') {
          const fix = reorderFix(analysis, spec, install, manifests, stageInstalls(analysis, copy.stage as Stage));
          if (fix) {
            data.suggestion = `: \`${fix.line}\` above the install, \`${data.copy}\` below it`;
            data.suggestion_ru = `: \`${fix.line}\` над установкой, \`${data.copy}\` под ней`;
          }
          findings.push({ messageId: 'wholeContextBeforeInstall', data, range: verdict.source.range, fixes: fix ? [fix.fix] : [] });
        } else {
          findings.push({ messageId: 'sourcesBeforeInstall', data, range: verdict.source.range });
        }
      }
    }
    return { reported, findings };
  }, states);
}

// ---------------------------------------------------------------------------------------------
// Installs

const installsMemo = new KeyMemo<Stage, Install[]>('installsMemo');

/** The installs of a stage's own RUNs, in order. */
function stageInstalls(analysis: Analysis, stage: Stage): Install[] {
  return once(installsMemo, stage, () => {
    const out: Install[] = [];
    for (const instr of stage.instructions) {
      if (instr.keyword !== 'RUN') continue;
      for (const { cmd, cwd } of commandsWithCwd(analysis, instr)) {
        const found = installOf(cmd);
        if (found) out.push({ eco: found.eco, instr, cmd, cwd, files: found.files });
      }
    }
    return out;
  });
}

const operandsAfter = (program: string, cmd: ShellCommand, from: number) => parseArgs(program, cmd.words.slice(from)).operands;

const INSTALL_PROGRAMS = new Set(['yarn', 'npm', 'pnpm', 'bun', 'go', 'poetry', 'pipenv', 'bundle', 'bundler', 'composer']);

function installOf(cmd: ShellCommand): { eco: Eco; files: string[] } | undefined {
  const w = cmd.words;
  let program = programName(w[0]);
  let at = 1;
  if (/^python[\d.]*$/.test(program) && w[1]?.value === '-m' && w[2]) {
    program = w[2].value;
    at = 3;
  }
  if (!INSTALL_PROGRAMS.has(program) && !/^pip[\d.]*$/.test(program)) return undefined;
  const ops = operandsAfter(program, cmd, at);
  const sub = ops[0]?.value;
  switch (program) {
    case 'yarn':
      return sub === undefined || (sub === 'install' && ops.length === 1) ? { eco: 'node', files: [] } : undefined;
    case 'npm':
      if (sub === 'ci' || sub === 'clean-install') return { eco: 'node', files: [] };
      return (sub === 'install' || sub === 'i') && ops.length === 1 ? { eco: 'node', files: [] } : undefined;
    case 'pnpm':
    case 'bun':
      return (sub === 'install' || sub === 'i') && ops.length === 1 ? { eco: 'node', files: [] } : undefined;
    case 'go':
      return sub === 'mod' && ops[1]?.value === 'download' ? { eco: 'go', files: [] } : undefined;
    case 'poetry':
      return sub === 'install' ? { eco: 'poetry', files: [] } : undefined;
    case 'pipenv':
      return sub === 'sync' || (sub === 'install' && ops.length === 1) ? { eco: 'pipenv', files: [] } : undefined;
    case 'bundle':
    case 'bundler':
      return sub === undefined || sub === 'install' ? { eco: 'bundler', files: [] } : undefined;
    case 'composer':
      return sub === 'install' ? { eco: 'composer', files: [] } : undefined;
  }
  if (/^pip[\d.]*$/.test(program) && sub === 'install') {
    const p = parseArgs('pip', cmd.words.slice(at));
    const files = ['-r', '--requirement', '-c', '--constraint'].flatMap((o) => p.values.get(o) ?? []).map((x) => x.value);
    // `pip install flask` or `pip install .`: not an install from a manifest.
    return files.length > 0 ? { eco: 'pip', files } : undefined;
  }
  return undefined;
}

/** The manifests the project has for this install (relative to the context), in copy order. */
function manifestList(analysis: Analysis, install: Install): string[] {
  const project = analysis.project;
  if (project.dir === undefined) return [];
  const candidates = install.eco === 'pip' ? install.files.filter((f) => !f.includes('$')) : MANIFESTS[install.eco];
  const ignore = readDockerignore(project) ?? [];
  return candidates.filter((f) => project.exists(f) && !isIgnored(f.replace(/^\.\//, ''), ignore));
}

// ---------------------------------------------------------------------------------------------
// Which COPY defeats the cache

function isManifest(install: Install, source: string): boolean {
  const names = install.eco === 'pip' ? install.files.map((f) => f.replace(/^\.\//, '')) : MANIFESTS[install.eco];
  const s = trimTrailing(source.replace(/^\.\//, ''), '/');
  if (hasGlob(s)) return names.some((n) => globMatches(s, n));
  // A folder holding the requirement files (`requirements/`).
  if (install.eco === 'pip' && names.some((n) => n.startsWith(s + '/'))) return true;
  return names.includes(s) || names.includes(s.split('/').pop() ?? '');
}

type Verdict = { kind: 'whole' | 'sources'; source: PathArg } | undefined;

/** The source that copies the whole context, if any (the same for every install: computed once per COPY). */
function wholeContextSource(spec: CopySpec): PathArg | undefined {
  if (!wholeMemo.has(spec)) wholeMemo.set(spec, spec.sources.find((s) => s.value !== undefined && !isUrl(s.value) && isWholeContext(s.value)));
  return wholeMemo.get(spec);
}
const wholeMemo = new KeyMemo<CopySpec, PathArg | undefined>('wholeMemo');

function judgeCopy(analysis: Analysis, spec: CopySpec, install: Install): Verdict {
  const whole = wholeContextSource(spec);
  if (whole) return { kind: 'whole', source: whole };
  // Other files count only when they land in the install's project folder (not `/etc/nginx/`).
  if (install.cwd === undefined) return undefined;
  const p = placement(analysis, spec);
  if (!p || !isInside(p.path, install.cwd)) return undefined;
  const source = spec.sources.find((s) => s.value !== undefined && !isUrl(s.value) && !isManifest(install, s.value));
  // Unknown sources (build arguments) might be the manifests themselves.
  if (!source || spec.sources.some((s) => s.value === undefined)) return undefined;
  return { kind: 'sources', source };
}

// ---------------------------------------------------------------------------------------------
// The fix

/** `installsOfStage`: the installs of the COPY's stage. */
function reorderFix(analysis: Analysis, spec: CopySpec, install: Install, manifests: string[], installsOfStage: Install[]): { fix: Fix; line: string } | undefined {
  const copy = spec.instr;
  const run = install.instr;
  if (!FIXABLE.has(install.eco) || copy.stage !== run.stage || spec.sources.length !== 1 || spec.json) return undefined;
  // One install RUN after the copy: moving the copy below it must not starve a second one.
  const runsAfter = new Set(installsOfStage.filter((i) => i.instr.index > copy.index).map((i) => i.instr));
  if (runsAfter.size !== 1) return undefined;
  const between = (copy.stage as Stage).instructions.filter((i) => i.index > copy.index && i.index < run.index);
  if (between.some((i) => !MOVABLE_PAST.has(i.keyword))) return undefined;
  if (/\$/.test(analysis.textOf(copy.range))) return undefined;
  const { commands, features } = analysis.shell(run);
  if (features.has('heredoc') || features.has('comment') || !commands.every((c) => installOf(c)?.eco === install.eco || isCleanup(c))) return undefined;
  const dest = placement(analysis, spec);
  if (!dest || !dest.dir || install.cwd === undefined || dest.path !== install.cwd) return undefined;
  if (!onlyManifestsNeeded(analysis, install, manifests)) return undefined;
  const primary = PRIMARY[install.eco];
  if (manifests.length === 0 || (primary && !manifests.includes(primary))) return undefined;
  const rawDest = spec.dest.raw;
  const destDir = rawDest.endsWith('/') ? rawDest : rawDest === '.' ? './' : `${rawDest}/`;
  const flags = spec.flags.map((f) => analysis.textOf(f.getRange())).join(' ');
  const keyword = analysis.textOf(copy.node.getInstructionRange());
  const copyKeyword = keyword === keyword.toLowerCase() ? 'copy' : 'COPY';
  const line = [copyKeyword, flags, ...manifests, destDir].filter((x) => x !== '').join(' ');
  // Whole lines only: the copy and the run must own theirs.
  const prev = analysis.instructions[copy.index - 1];
  const next = analysis.instructions[copy.index + 1];
  if ((prev && prev.range.end.line === copy.range.start.line) || (next && next.range.start.line === copy.range.end.line)) return undefined;
  const copyStart = analysis.offsetAt({ line: copy.range.start.line, character: 0 });
  const copyLineEnd = analysis.offsetAt({ line: copy.range.end.line, character: analysis.lineText(copy.range.end.line).length });
  const copyNext = copy.range.end.line + 1 < analysis.doc.lineCount ? analysis.offsetAt({ line: copy.range.end.line + 1, character: 0 }) : copyLineEnd;
  const copyText = analysis.text.slice(copyStart, copyLineEnd);
  const runEnd = { line: run.range.end.line, character: analysis.lineText(run.range.end.line).length };
  const indent = indentOf(analysis, copy);
  const manifestLine = indent + line + (copyNext > copyLineEnd ? analysis.eol : '');
  return {
    line,
    fix: {
      title: t('Copy {manifests} first, install, then copy the rest', 'Сначала {manifests_ru}, установка, потом остальное'),
      edits: [
        { range: analysis.rangeOf(copyStart, copyNext), newText: manifestLine },
        { range: { start: runEnd, end: runEnd }, newText: analysis.eol + copyText },
      ],
    },
  };
}

/** Cache cleanup that may share the install's RUN. */
function isCleanup(cmd: ShellCommand): boolean {
  const [p, a, b] = cmd.words.map((w) => w.value);
  const program = p?.split('/').pop();
  if ((program === 'yarn' || program === 'npm') && a === 'cache' && (b === 'clean' || b === 'clear')) return true;
  if (program === 'pnpm' && a === 'store' && b === 'prune') return true;
  if (program === 'go' && a === 'mod' && b === 'verify') return true;
  // Removing absolute paths (caches, /tmp) touches nothing of the project.
  return program === 'rm' && cmd.words.slice(1).every((w) => w.value.startsWith('-') || w.value.startsWith('/'));
}

/** False when the install may read more than the manifests (workspaces, install scripts, local packages). */
function onlyManifestsNeeded(analysis: Analysis, install: Install, manifests: string[]): boolean {
  const project = analysis.project;
  switch (install.eco) {
    case 'node': {
      const pkg = readPackageJson(project);
      if (!pkg?.ok) return false;
      const v = pkg.value as Record<string, unknown>;
      if (v.workspaces !== undefined) return false;
      const scripts = (v.scripts ?? {}) as Record<string, unknown>;
      if (['preinstall', 'install', 'postinstall', 'prepare', 'prepublish'].some((s) => s in scripts)) return false;
      const deps = [v.dependencies, v.devDependencies, v.optionalDependencies].flatMap((d) => (d && typeof d === 'object' ? Object.values(d as Record<string, unknown>) : []));
      if (deps.some((d) => typeof d === 'string' && /^(?:file|link|portal):|^\.{0,2}\//.test(d))) return false;
      // yarn 2+ keeps its release and plugins in .yarn/.
      return !project.exists('.yarn');
    }
    case 'go':
      return !/=>\s*\.{1,2}\//.test(project.read('go.mod') ?? '');
    case 'pip':
      // `-r requirements/prod.txt` would land elsewhere when copied next to the others.
      if (manifests.some((f) => f.replace(/^\.\//, '').includes('/'))) return false;
      return manifests.every((f) => !/^[^\S\r\n\u2028\u2029]*-|\.\.?\/|file:/m.test(project.read(f) ?? '-'));
    case 'bundler':
      return !/^[^\S\r\n\u2028\u2029]*gemspec|path:/m.test(project.read('Gemfile') ?? 'gemspec');
    case 'pipenv':
      return !/path\s*=/.test(project.read('Pipfile') ?? 'path =');
    default:
      return false;
  }
}

