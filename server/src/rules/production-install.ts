/**
 * Course rule 4: production dependencies, exactly as locked.
 *
 * Every install command of every RUN (found by the shell tokenizer, never by substring) is judged by
 * the package manager the project's lockfile asks for:
 * - strictness everywhere: yarn 1 `--frozen-lockfile`, yarn 2+ `--immutable`, `npm ci`, pnpm
 *   `--frozen-lockfile`, pip pins (`==`); poetry always follows poetry.lock;
 * - production only in the final stage and the stages it is built FROM (a builder may need dev tools);
 *   NODE_ENV=production counts for yarn 1, npm and pnpm, and a later production install or prune in
 *   the same chain counts too (install everything, build, then prune);
 * - the manager must match the lockfile, a lockfile must exist, and it must be in the image before the
 *   install (copied explicitly or by a broader COPY that .dockerignore does not defeat).
 * Fixes rewrite only the words that must change, so continuation lines, comments and CRLF survive.
 */
import * as path from 'path';
import { ALL_TASKS } from '../engine/types';
import type { Analysis, Instr, Stage } from '../engine/analysis';
import type { ShellCommand, Word } from '../engine/shell';
import type { Scope } from '../engine/variables';
import { findLockfile } from '../engine/project';
import type { ProjectFiles } from '../engine/project';
import type { FileChange, Finding, Fix, Range, Rule, StageStates, TextEdit } from '../engine/types';
import { CopySpec, IgnorePattern, copySpec, globToRegExp, hasGlob, readDockerignore } from './paths';
import { chainFold, flatMap, isExecForm, once, t } from './util';
import { KeyMemo } from '../engine/keyMemo';
import { trimTrailing } from '../engine/text';
import { pushAll } from '../engine/arrays';

type Tool = 'yarn' | 'npm' | 'pnpm' | 'pip' | 'poetry';
type NodeManager = 'yarn1' | 'yarn-berry' | 'npm' | 'pnpm';
/** install: a lockfile install; ci: `npm ci`; focus: `yarn workspaces focus`; add: packages named explicitly. */
type Kind = 'install' | 'ci' | 'focus' | 'prune' | 'add' | 'pip';

interface Opt {
  /** `--name` or `-x`, without `=value`. */
  name: string;
  value: string | undefined;
  /** The flag word, and its value word when the value is separate. */
  words: Word[];
}

interface Call {
  instr: Instr;
  stage: Stage;
  cmd: ShellCommand;
  /** Document order across the file: a parent stage always comes before the stages built on it. */
  seq: number;
  tool: Tool;
  kind: Kind;
  /** The words from the tool's name on (an `env A=b` or `python -m` prefix removed). */
  argv: Word[];
  /** The subcommand (`install`, `ci`, ...); undefined for a bare `yarn`. */
  sub: Word | undefined;
  opts: Opt[];
  /** Non-flag words after the subcommand: package names, workspace names. */
  args: Word[];
  /** Environment the command sees: value undefined = unknown (e.g. an ARG without a default). */
  env: CommandEnv;
  exec: boolean;
}

/**
 * The environment of one command, read through rather than copied (a stage can hold many variables):
 * the command's own assignments first, then what the RUN exported before it, then ARG and ENV.
 */
class CommandEnv {
  constructor(
    private readonly scope: Scope,
    private readonly exported: ReadonlyMap<string, string | undefined> | undefined,
    private readonly own: ReadonlyMap<string, string | undefined>,
  ) {}

  has(name: string): boolean {
    return this.own.has(name) || !!this.exported?.has(name) || this.scope.has(name);
  }

  get(name: string): string | undefined {
    if (this.own.has(name)) return this.own.get(name);
    if (this.exported?.has(name)) return this.exported.get(name);
    const v = this.scope.get(name);
    return v?.known ? v.value : undefined;
  }
}

const NODE_TOOLS = new Set<Tool>(['yarn', 'npm', 'pnpm']);

// Flags whose value may be a separate word: without this list the value would read as a package name.
const VALUE_FLAGS: Record<Tool, Set<string>> = {
  yarn: new Set(['--cwd', '--network-timeout', '--modules-folder', '--cache-folder', '--mutex', '--registry', '--global-folder', '--link-folder', '--use-yarnrc', '--network-concurrency', '--proxy', '--https-proxy', '--preferred-cache-folder', '--otp', '--mode']),
  npm: new Set(['--prefix', '-C', '--registry', '--cache', '--loglevel', '--omit', '--include', '--only', '--also', '--userconfig', '--workspace', '-w', '--tag', '--fetch-timeout', '--fetch-retries', '--install-strategy', '--location']),
  pnpm: new Set(['--dir', '-C', '--filter', '-F', '--registry', '--store-dir', '--reporter', '--network-concurrency', '--modules-dir', '--virtual-store-dir', '--lockfile-dir']),
  pip: new Set(['-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--src', '--trusted-host', '--platform', '--python-version', '--implementation', '--abi', '--cache-dir', '--progress-bar', '--timeout', '--retries', '--proxy', '--log', '--upgrade-strategy', '--only-binary', '--no-binary', '--config-settings', '-C', '--global-option', '--report']),
  poetry: new Set(['--without', '--with', '--only', '-E', '--extras', '-C', '--directory', '-P', '--project']),
};

const NPM_CI = new Set(['ci', 'clean-install', 'ic', 'install-clean', 'isntall-clean']);
const NPM_INSTALL = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add']);
// Installer tooling, not the application's dependencies: `pip install --upgrade pip setuptools wheel`.
const PIP_TOOLING = new Set(['pip', 'setuptools', 'wheel']);

const MANAGER_NAME: Record<NodeManager | 'poetry', string> = { yarn1: 'yarn 1', 'yarn-berry': 'yarn 2+', npm: 'npm', pnpm: 'pnpm', poetry: 'poetry' };
const DEFAULT_LOCKFILE: Record<NodeManager | 'poetry', string> = { yarn1: 'yarn.lock', 'yarn-berry': 'yarn.lock', npm: 'package-lock.json', pnpm: 'pnpm-lock.yaml', poetry: 'poetry.lock' };
const GENERATE: Record<Tool, string> = { yarn: 'yarn install', npm: 'npm install', pnpm: 'pnpm install', pip: 'pip freeze', poetry: 'poetry lock' };
const BERRY_FOCUS = ' && yarn workspaces focus --all --production';

const COURSE_EN = 'The course asks for production dependencies only, in exactly the versions of the *.lock files.';
const COURSE_RU = 'Курс требует ставить только production-зависимости и только тех версий, что указаны в *.lock-файлах.';

export const productionInstall: Rule = {
  id: 'production-install',
  courseRule: 4,
  title: t('Production dependencies, exactly as locked', 'Только production-зависимости, строго по lock-файлу'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    notLocked: t(
      `\`{command}\` does not enforce the lockfile: it may install other versions than {lockfile} pins, and even rewrite it. ${COURSE_EN} Use \`{expected}\`: it fails instead of drifting when the lockfile is out of date.`,
      `\`{command}\` не требует соответствия lock-файлу: могут установиться не те версии, что зафиксированы в {lockfile}, а сам файл может переписаться. ${COURSE_RU} Используйте \`{expected}\`: при устаревшем lock-файле сборка упадёт, а не поставит другие версии.`,
    ),
    notProduction: t(
      `\`{command}\` installs development dependencies too, and this stage is the final image. ${COURSE_EN} Dev tools (test runners, linters, nodemon) only add size and attack surface. Use \`{expected}\`.`,
      `\`{command}\` ставит и dev-зависимости, а этот этап и есть итоговый образ. ${COURSE_RU} Инструменты разработки (тесты, линтеры, nodemon) только увеличивают образ и поверхность атаки. Используйте \`{expected}\`.`,
    ),
    notLockedNorProduction: t(
      `\`{command}\` neither enforces the lockfile nor skips development dependencies: the final image gets whatever versions resolve today, dev tools included. ${COURSE_EN} Use \`{expected}\`.`,
      `\`{command}\` не требует соответствия lock-файлу и ставит dev-зависимости: в итоговый образ попадут версии, которые найдутся сегодня, вместе с инструментами разработки. ${COURSE_RU} Используйте \`{expected}\`.`,
    ),
    npmInstall: t(
      `\`{command}\` resolves the version ranges of package.json and may update package-lock.json, so the image can get other versions than the lockfile pins. ${COURSE_EN} Use \`{expected}\`: it installs package-lock.json as it is and fails when it is out of date.`,
      `\`{command}\` разрешает диапазоны версий из package.json и может обновить package-lock.json, так что в образ попадут не те версии, что зафиксированы. ${COURSE_RU} Используйте \`{expected}\`: эта команда ставит package-lock.json как есть и падает, если он устарел.`,
    ),
    berryNotProduction: t(
      `\`{command}\` installs development dependencies too, and this stage is the final image; yarn 2+ has no \`--production\` for \`yarn install\`. ${COURSE_EN} Follow the install with \`yarn workspaces focus --all --production\`: \`{expected}\`.`,
      `\`{command}\` ставит и dev-зависимости, а этот этап и есть итоговый образ; у \`yarn install\` в yarn 2+ нет \`--production\`. ${COURSE_RU} После установки выполните \`yarn workspaces focus --all --production\`: \`{expected}\`.`,
    ),
    berryProductionFlag: t(
      `Yarn 2+ rejects \`--production\` on \`yarn install\` ("The --production option is deprecated on 'install'"), so \`{command}\` fails the build. ${COURSE_EN} With yarn 2+ that is \`yarn install --immutable\`, and \`yarn workspaces focus --all --production\` in the final image: \`{expected}\`.`,
      `Yarn 2+ не принимает \`--production\` у \`yarn install\` («The --production option is deprecated on 'install'»), и \`{command}\` валит сборку. ${COURSE_RU} В yarn 2+ это \`yarn install --immutable\`, а в итоговом образе ещё \`yarn workspaces focus --all --production\`: \`{expected}\`.`,
    ),
    managerMismatch: t(
      `The project locks its dependencies with {manager} ({lockfile}), but \`{command}\` runs {used}, which ignores that lockfile and resolves the versions anew. ${COURSE_EN} Use \`{expected}\`.`,
      `Зависимости проекта зафиксированы через {manager} ({lockfile}), а \`{command}\` запускает {used}: он не читает этот lock-файл и подбирает версии заново. ${COURSE_RU} Используйте \`{expected}\`.`,
    ),
    noLockfile: t(
      `\`{command}\` installs dependencies, but the project has no lockfile ({lockfiles} not found): nothing pins the versions, so every build may install different ones. ${COURSE_EN} Run \`{generate}\` in the project, commit the lockfile, copy it into the image and install from it.`,
      `\`{command}\` ставит зависимости, но в проекте нет lock-файла (не найдено: {lockfiles}): версии ничем не зафиксированы, и каждая сборка может поставить другие. ${COURSE_RU} Выполните \`{generate}\` в проекте, закоммитьте lock-файл, скопируйте его в образ и ставьте по нему.`,
    ),
    lockfileNotCopied: t(
      `{lockfile} is not in the image when \`{command}\` runs: no COPY or ADD before it in this stage brings it in, so the install cannot follow the locked versions (it resolves them anew or fails). ${COURSE_EN} Copy {lockfile} together with {manifest} before the install.`,
      `Когда выполняется \`{command}\`, {lockfile} в образе ещё нет: ни один COPY или ADD до этой команды в этом этапе его не копирует, и установка не может следовать зафиксированным версиям (подберёт их заново или упадёт). ${COURSE_RU} Копируйте {lockfile} вместе с {manifest} до установки.`,
    ),
    lockfileIgnored: t(
      `.dockerignore excludes {lockfile} (pattern \`{pattern}\`), so it never reaches the build context and \`{command}\` cannot follow it. ${COURSE_EN} Stop ignoring {lockfile} and copy it before the install.`,
      `.dockerignore исключает {lockfile} (шаблон \`{pattern}\`), поэтому он не попадает в контекст сборки и \`{command}\` не может по нему ставить. ${COURSE_RU} Уберите {lockfile} из исключений и копируйте его до установки.`,
    ),
    pipUnpinned: t(
      `\`{command}\` installs {packages} without an exact version, so each build may get a different one. ${COURSE_EN} Pin them (\`name==1.2.3\`) or install from a pinned requirements file (\`pip install -r requirements.txt\`).`,
      `\`{command}\` ставит {packages} без точной версии, и каждая сборка может получить другую. ${COURSE_RU} Укажите версии (\`name==1.2.3\`) или ставьте из файла с зафиксированными версиями (\`pip install -r requirements.txt\`).`,
    ),
    explicitPackages: t(
      `\`{command}\` installs packages by name, outside the lockfile: they get whatever version resolves today, and package.json and the lockfile change inside the image. ${COURSE_EN} Declare them in package.json, lock them in the project, and let the lockfile install bring them.`,
      `\`{command}\` ставит пакеты по имени, мимо lock-файла: версии будут те, что найдутся сегодня, а package.json и lock-файл изменятся внутри образа. ${COURSE_RU} Добавьте их в package.json, зафиксируйте в проекте и ставьте вместе со всем по lock-файлу.`,
    ),
  },
  checkStage({ analysis, states }, stage) {
    const own = stageCalls(analysis, stage);
    if (own.length === 0) return [];
    const prodStages = new Set(analysis.chain(analysis.finalStage as Stage));
    // What a call's verdict may look at: earlier calls of its chain, later prunes in the final image's chain.
    const related = new Set([...analysis.chain(stage), ...(prodStages.has(stage) ? prodStages : [])]);
    // Lazy: most calls need neither, and the other stages' calls cost their shell parses.
    let relatedCalls: Call[] | undefined;
    const calls = () => (relatedCalls ??= flatMap(analysis.stages.filter((s) => related.has(s)), (s) => stageCalls(analysis, s)));
    const project = analysis.project;
    const lock = findLockfile(project);
    const nodeLock = lock && lock.manager !== 'poetry' && lock.manager !== 'pip' ? { manager: lock.manager as NodeManager, file: lock.file } : undefined;
    const ignore = readDockerignore(project) ?? [];
    const findings: Finding[] = [];

    for (const call of own) {
      const inProd = prodStages.has(call.stage);
      const range = analysis.rangeOf(call.cmd.words[0].start, call.cmd.words[call.cmd.words.length - 1].end);
      const command = shorten(call.argv.map((w) => w.value).join(' '));

      if (call.kind === 'pip') {
        const unpinned = unpinnedPipPackages(call);
        if (unpinned.length) findings.push({ messageId: 'pipUnpinned', range, data: { command, packages: unpinned.join(', ') } });
        continue;
      }
      if (call.kind === 'add') {
        findings.push({ messageId: 'explicitPackages', range, data: { command }, severity: 'information' });
        continue;
      }
      if (call.kind === 'prune') continue;

      const isNode = NODE_TOOLS.has(call.tool);
      const manifest = isNode ? 'package.json' : 'pyproject.toml';
      const projectLock = isNode ? nodeLock : project.exists('poetry.lock') ? { manager: 'poetry' as const, file: 'poetry.lock' } : undefined;

      // A project we can see (its manifest is there) but without any lockfile: nothing to be strict about.
      if (!projectLock && project.dir !== undefined && project.exists(manifest)) {
        const lockfiles = isNode ? 'yarn.lock, package-lock.json, pnpm-lock.yaml' : 'poetry.lock';
        findings.push({ messageId: 'noLockfile', range, severity: 'warning', data: { command, lockfiles, generate: GENERATE[call.tool] } });
        continue;
      }

      const needProd = inProd && !prunedLater(call, calls, prodStages, nodeLock?.manager);
      const manager = managerOf(call, nodeLock?.manager);
      const lockfile = projectLock?.file ?? DEFAULT_LOCKFILE[manager];

      if (isNode && projectLock && toolOf(projectLock.manager as NodeManager) !== call.tool) {
        const target = projectLock.manager as NodeManager;
        findings.push(mismatchFinding(analysis, call, range, target, needProd, { command, lockfile, manager: MANAGER_NAME[target], used: call.tool }));
      } else {
        const f = judge(analysis, call, range, manager, needProd, calls, { command, lockfile });
        if (f) findings.push(f);
      }

      if (projectLock) {
        const f = lockfileInImage(analysis, states, call, range, projectLock.file, manifest, ignore, { command, lockfile: projectLock.file, manifest });
        if (f) findings.push(f);
      }
    }
    return findings;
  },
};

// ---------------------------------------------------------------------------------------------------
// Finding the install commands

const callsMemo = new KeyMemo<Stage, Call[]>('callsMemo');

/** The install calls of a stage's own RUNs, in order. */
function stageCalls(analysis: Analysis, stage: Stage): Call[] {
  return once(callsMemo, stage, () => collectCalls(analysis, stage));
}

function collectCalls(analysis: Analysis, stage: Stage): Call[] {
  const calls: Call[] = [];
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN') continue;
    const exec = isExecForm(instr);
    // ARG and ENV values are both in the environment of RUN; `export` carries on to later commands.
    let exported: Map<string, string | undefined> | undefined;
    const commands = analysis.shell(instr).commands;
    for (let k = 0; k < commands.length; k++) {
      const cmd = commands[k];
      // Build order across stages: the instruction, then the command within it.
      const seq = instr.index + k / commands.length;
      const words = cmd.words;
      if (words.length === 0) continue;
      if (words[0].value === 'export') {
        exported ??= new Map();
        for (let k = 1; k < words.length; k++) assign(analysis, instr, exported, words[k]);
        continue;
      }
      let i = 0;
      if (basename(words[0].value) === 'env') {
        for (i = 1; i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].value) || words[i].value.startsWith('-')); i++);
      }
      // Classify first: the environment is only needed for install calls (and most commands are no tool at all).
      if (i >= words.length || !mayBeTool(words[i].value)) continue;
      const call = classify(words.slice(i));
      if (!call) continue;
      const own = new Map<string, string | undefined>();
      for (const w of cmd.assignments) assign(analysis, instr, own, w);
      for (let k = 1; k < i; k++) assign(analysis, instr, own, words[k]);
      // The exports as they stand now: a later `export` in the RUN does not reach back to this command.
      const env = new CommandEnv(analysis.scopeAt(instr), exported && new Map(exported), own);
      // Fields named, not spread: a spread of the classified call was 2% of a 50-line check.
      calls.push({ instr, stage, cmd, seq, tool: call.tool, kind: call.kind, argv: call.argv, sub: call.sub, opts: call.opts, args: call.args, env, exec });
    }
  }
  return calls;
}

function assign(analysis: Analysis, instr: Instr, env: Map<string, string | undefined>, w: Word): void {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.value);
  if (!m) return;
  env.set(m[1], w.expands ? analysis.expandAt(instr, m[2]).value : m[2]);
}

const basename = (s: string): string => s.slice(s.lastIndexOf('/') + 1);

function parseArgs(words: Word[], valueFlags: Set<string>): { opts: Opt[]; positionals: Word[] } {
  const opts: Opt[] = [];
  const positionals: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.value === '--') {
      pushAll(positionals, words.slice(i + 1));
      break;
    }
    if (w.value.length > 1 && w.value.startsWith('-')) {
      const eq = w.value.indexOf('=');
      const name = eq < 0 ? w.value : w.value.slice(0, eq);
      if (eq >= 0) opts.push({ name, value: w.value.slice(eq + 1), words: [w] });
      else if (valueFlags.has(name) && i + 1 < words.length) opts.push({ name, value: words[++i].value, words: [w, words[i]] });
      else opts.push({ name, value: undefined, words: [w] });
    } else {
      positionals.push(w);
    }
  }
  return { opts, positionals };
}

/** Cheap: could `classify` find a package manager in a command starting with this word? */
function mayBeTool(word: string): boolean {
  const name = basename(word);
  return name === 'yarn' || name === 'yarnpkg' || name === 'npm' || name === 'pnpm' || name === 'poetry' || name.startsWith('pip') || name.startsWith('python');
}

type Classified = Pick<Call, 'tool' | 'kind' | 'argv' | 'sub' | 'opts' | 'args'>;

function classify(words: Word[]): Classified | undefined {
  if (words.length === 0) return undefined;
  let argv = words;
  let name = basename(argv[0].value);
  if (/^python[0-9.]*$/.test(name) && argv[1]?.value === '-m' && argv[2]?.value === 'pip') {
    argv = argv.slice(2);
    name = 'pip';
  }
  const tool: Tool | undefined =
    name === 'yarn' || name === 'yarnpkg' ? 'yarn' : name === 'npm' ? 'npm' : name === 'pnpm' ? 'pnpm' : /^pip[0-9.]*$/.test(name) ? 'pip' : name === 'poetry' ? 'poetry' : undefined;
  if (!tool) return undefined;
  const { opts, positionals } = parseArgs(argv.slice(1), VALUE_FLAGS[tool]);
  const sub = positionals[0]?.value;
  const rest = positionals.slice(1);
  const has = (...names: string[]) => opts.some((o) => names.includes(o.name));
  const global = has('-g', '--global') || opts.some((o) => o.name === '--location' && o.value === 'global');
  const make = (kind: Kind, args = rest): Classified => ({ tool, kind, argv, sub: positionals[0], opts, args });
  switch (tool) {
    case 'yarn':
      if (sub === undefined) return has('--version', '-v', '--help', '-h') ? undefined : make('install');
      if (sub === 'install') return rest.length === 0 ? make('install') : undefined;
      if (sub === 'add') return make('add');
      if (sub === 'workspaces' && rest[0]?.value === 'focus') return make('focus', rest.slice(1));
      return undefined;
    case 'npm':
      if (sub === undefined || global) return undefined;
      if (NPM_CI.has(sub)) return make('ci');
      if (NPM_INSTALL.has(sub)) return make(rest.length ? 'add' : 'install');
      if (sub === 'prune') return make('prune');
      return undefined;
    case 'pnpm':
      if (sub === undefined || global) return undefined;
      if (sub === 'install' || sub === 'i') return make(rest.length ? 'add' : 'install');
      if (sub === 'add') return make('add');
      if (sub === 'prune') return make('prune');
      return undefined;
    case 'pip':
      return sub === 'install' ? make('pip') : undefined;
    case 'poetry':
      return sub === 'install' ? make('install') : undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Judging a command

const toolOf = (m: NodeManager): Tool => (m === 'yarn1' || m === 'yarn-berry' ? 'yarn' : m);

/** The flags a command is judged by. Yarn 1 or 2+: the project decides; without one, `--immutable` or a focus gives 2+ away. */
function managerOf(call: Call, projectManager: NodeManager | undefined): NodeManager | 'poetry' {
  if (call.tool === 'poetry' || call.tool === 'pip') return 'poetry';
  if (call.tool !== 'yarn') return call.tool;
  if (projectManager === 'yarn1' || projectManager === 'yarn-berry') return projectManager;
  return call.opts.some((o) => o.name === '--immutable') || call.kind === 'focus' ? 'yarn-berry' : 'yarn1';
}

const isFalse = (v: string | undefined) => v === 'false' || v === '0';
const values = (o: Opt) => (o.value ?? '').split(',').map((s) => s.trim());

/** What the flags say about dev dependencies: 'prod', 'dev' (explicitly kept) or undefined (not said). */
function flagsSay(call: Call, manager: NodeManager | 'poetry'): { say: 'prod' | 'dev' | undefined; devOpts: Opt[] } {
  let say: 'prod' | 'dev' | undefined;
  const devOpts: Opt[] = [];
  const prod = () => (say = say ?? 'prod');
  const dev = (o: Opt) => {
    say = 'dev';
    devOpts.push(o);
  };
  for (const o of call.opts) {
    switch (manager) {
      case 'yarn1':
        if (o.name === '--production') isFalse(o.value) ? dev(o) : prod();
        break;
      case 'yarn-berry':
        if (o.name === '--production' && call.kind === 'focus') prod();
        break;
      case 'npm':
        if ((o.name === '--omit' && values(o).includes('dev')) || (o.name === '--only' && /^prod/.test(o.value ?? ''))) prod();
        else if (o.name === '--production') isFalse(o.value) ? dev(o) : prod();
        else if (((o.name === '--include' || o.name === '--also') && values(o).includes('dev')) || o.name === '--dev' || (o.name === '--only' && /^dev/.test(o.value ?? ''))) dev(o);
        break;
      case 'pnpm':
        if (o.name === '--prod' || o.name === '-P' || o.name === '--production') isFalse(o.value) ? dev(o) : prod();
        else if (o.name === '--dev' || o.name === '-D') dev(o);
        break;
      case 'poetry':
        if ((o.name === '--without' && values(o).includes('dev')) || o.name === '--no-dev' || o.name === '--only-root') prod();
        else if (o.name === '--only' && values(o).every((g) => g === 'main')) prod();
        else if (o.name === '--with' && values(o).includes('dev')) dev(o);
        break;
    }
  }
  return { say, devOpts };
}

/** NODE_ENV=production in effect (an unknown value gets the benefit of the doubt). */
function nodeEnvProduction(call: Call): boolean {
  if (!call.env.has('NODE_ENV')) return false;
  const v = call.env.get('NODE_ENV');
  return v === undefined || v === 'production';
}

function isProduction(call: Call, manager: NodeManager | 'poetry'): boolean {
  const { say } = flagsSay(call, manager);
  if (say) return say === 'prod';
  // yarn 1, npm and pnpm skip devDependencies under NODE_ENV=production; yarn 2+ and poetry do not.
  return (manager === 'yarn1' || manager === 'npm' || manager === 'pnpm') && call.kind !== 'focus' && nodeEnvProduction(call);
}

/** A later production install or prune in the final chain removes the dev dependencies again. */
function prunedLater(call: Call, calls: () => Call[], prodStages: Set<Stage>, projectManager: NodeManager | undefined): boolean {
  if (!NODE_TOOLS.has(call.tool)) return false;
  return calls().some((p) => p.seq > call.seq && prodStages.has(p.stage) && NODE_TOOLS.has(p.tool) && p.kind !== 'add' && isProduction(p, managerOf(p, projectManager)));
}

function immutableEnv(call: Call): boolean {
  const v = call.env.get('YARN_ENABLE_IMMUTABLE_INSTALLS');
  return call.env.has('YARN_ENABLE_IMMUTABLE_INSTALLS') && (v === undefined || v === 'true' || v === '1');
}

interface Data {
  command: string;
  lockfile: string;
  [key: string]: string;
}

function judge(analysis: Analysis, call: Call, range: Range, manager: NodeManager | 'poetry', needProd: boolean, calls: () => Call[], data: Data): Finding | undefined {
  const rw = new Rewrite();
  const named = (...names: string[]) => call.opts.filter((o) => names.includes(o.name));
  let locked = true;
  let prod = !needProd || isProduction(call, manager);
  const { devOpts } = flagsSay(call, manager);
  let messageId: string | undefined;

  switch (manager) {
    case 'yarn1': {
      const frozen = call.opts.some((o) => o.name === '--frozen-lockfile' && !isFalse(o.value));
      if (!frozen) {
        locked = false;
        rw.flag('--frozen-lockfile', named('--pure-lockfile', '--no-lockfile', '--immutable', '--frozen-lockfile'));
      }
      if (!prod) rw.flag('--production', devOpts);
      break;
    }
    case 'pnpm': {
      const frozen = call.opts.some((o) => o.name === '--frozen-lockfile' && !isFalse(o.value));
      if (!frozen) {
        locked = false;
        rw.flag('--frozen-lockfile', named('--no-frozen-lockfile', '--prefer-frozen-lockfile', '--frozen-lockfile'));
      }
      if (!prod) rw.flag('--prod', devOpts);
      break;
    }
    case 'npm': {
      if (call.kind === 'install') {
        messageId = 'npmInstall';
        rw.set(call.sub!, ['ci']);
      }
      if (!prod) rw.flag('--omit=dev', devOpts);
      break;
    }
    case 'poetry': {
      if (!prod) rw.flag('--only', devOpts, 'main');
      break;
    }
    case 'yarn-berry': {
      if (call.kind === 'focus') {
        // The focus installs; it follows the lockfile strictly only after an immutable install (or with the setting).
        const earlier = calls().some(
          (c) => c.seq < call.seq && c.tool === 'yarn' && c.kind === 'install' && analysis.chain(call.stage).includes(c.stage) && (c.opts.some((o) => o.name === '--immutable' || o.name === '--frozen-lockfile') || immutableEnv(c)),
        );
        if (!earlier && !immutableEnv(call)) {
          locked = false;
          rw.prependRaw = 'yarn install --immutable && ';
        }
        if (!prod) rw.flag('--production', []);
        break;
      }
      const strict = call.opts.some((o) => o.name === '--immutable' || o.name === '--frozen-lockfile') || immutableEnv(call);
      const productionFlag = named('--production');
      if (!strict) {
        locked = false;
        rw.flag('--immutable', productionFlag.slice(0, 1));
      } else if (!call.opts.some((o) => o.name === '--immutable')) {
        // yarn 2+ still takes the deprecated --frozen-lockfile; a rewrite may as well modernise it.
        rw.flag('--immutable', named('--frozen-lockfile'));
      }
      for (const o of strict ? productionFlag : productionFlag.slice(1)) rw.remove(o);
      if (!prod) rw.appendRaw = BERRY_FOCUS;
      if (productionFlag.length) {
        messageId = 'berryProductionFlag';
        prod = true;
      }
      break;
    }
  }

  if (!messageId) {
    if (locked && prod) return undefined;
    messageId = !locked && !prod ? 'notLockedNorProduction' : !locked ? 'notLocked' : manager === 'yarn-berry' ? 'berryNotProduction' : 'notProduction';
  }
  const expected = rw.render(call.argv);
  const finding: Finding = { messageId, range, data: { ...data, expected } };
  const edits = rw.edits(analysis, call);
  if (edits) finding.fixes = [{ title: t('Use {expected}', 'Использовать {expected}'), edits }];
  return finding;
}

function mismatchFinding(analysis: Analysis, call: Call, range: Range, target: NodeManager, needProd: boolean, data: Data): Finding {
  const canonical: Record<NodeManager, string[]> = {
    yarn1: ['yarn', 'install', '--frozen-lockfile', ...(needProd ? ['--production'] : [])],
    'yarn-berry': ['yarn', 'install', '--immutable'],
    npm: ['npm', 'ci', ...(needProd ? ['--omit=dev'] : [])],
    pnpm: ['pnpm', 'install', '--frozen-lockfile', ...(needProd ? ['--prod'] : [])],
  };
  const rw = new Rewrite();
  // The other manager's flags mean nothing to this one: the whole argv is replaced.
  rw.set(call.argv[0], canonical[target]);
  for (const w of call.argv.slice(1)) rw.set(w, []);
  if (target === 'yarn-berry' && needProd) rw.appendRaw = BERRY_FOCUS;
  const expected = rw.render(call.argv);
  const finding: Finding = { messageId: 'managerMismatch', range, data: { ...data, expected } };
  const edits = rw.edits(analysis, call);
  if (edits) finding.fixes = [{ title: t('Use {expected}', 'Использовать {expected}'), edits }];
  return finding;
}

function unpinnedPipPackages(call: Call): string[] {
  // A constraints file pins whatever is named on the command line.
  if (call.opts.some((o) => o.name === '-c' || o.name === '--constraint')) return [];
  const out: string[] = [];
  for (const w of call.args) {
    const spec = w.value;
    if (w.expands) continue;
    // Paths, archives and URLs are not index packages; `pkg @ url` and `==` pin.
    if (/[/\\]|^\.|\.(whl|zip|tar\.gz|tgz)$|:\/\/|==|@/.test(spec)) continue;
    const name = /^[A-Za-z0-9._-]+/.exec(spec)?.[0] ?? spec;
    if (PIP_TOOLING.has(name.toLowerCase())) continue;
    out.push(spec);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Rewriting a command word by word

class Rewrite {
  private readonly replaced = new Map<Word, string[]>();
  private readonly appended: string[] = [];
  /** Shell text after the command (` && ...`): impossible in exec form. */
  appendRaw = '';
  prependRaw = '';

  set(w: Word, words: string[]): void {
    this.replaced.set(w, words);
  }

  remove(o: Opt): void {
    for (const w of o.words) this.replaced.set(w, []);
  }

  /** Put a flag in place of the first of `instead` (removing the rest of them), or append it. */
  flag(name: string, instead: Opt[], value?: string): void {
    const words = value === undefined ? [name] : [name, value];
    if (instead.length === 0) {
      pushAll(this.appended, words);
      return;
    }
    instead.forEach((o, i) => o.words.forEach((w, j) => this.replaced.set(w, i === 0 && j === 0 ? words : [])));
  }

  render(argv: Word[]): string {
    const out = flatMap(argv, (w) => this.replaced.get(w) ?? [w.value]);
    return shorten(this.prependRaw + [...out, ...this.appended].join(' ') + this.appendRaw);
  }

  /** Edits that touch only the words that change; undefined when exec form cannot express the change. */
  edits(analysis: Analysis, call: Call): TextEdit[] | undefined {
    const { exec } = call;
    if (exec && (this.appendRaw || this.prependRaw)) return undefined;
    const words = call.cmd.words;
    const fmt = (list: string[]) => (exec ? list.map((s) => JSON.stringify(s)).join(', ') : list.join(' '));
    const sep = exec ? ', ' : ' ';
    let lastKept = 0;
    words.forEach((w, i) => {
      if ((this.replaced.get(w) ?? [w.value]).length > 0) lastKept = i;
    });
    const tail = (this.appended.length ? sep + fmt(this.appended) : '') + this.appendRaw;
    const out: { start: number; end: number; newText: string }[] = [];
    words.forEach((w, i) => {
      const rep = this.replaced.get(w);
      if (rep && rep.length === 0) {
        // Removing a word takes the space (or continuation) before it along.
        out.push({ start: words[i - 1].end, end: w.end, newText: '' });
      } else if (rep) {
        out.push({ start: w.start, end: w.end, newText: fmt(rep) + (i === lastKept ? tail : '') });
      } else if (i === lastKept && tail) {
        out.push({ start: w.end, end: w.end, newText: tail });
      }
    });
    if (this.prependRaw) out.push({ start: call.cmd.start, end: call.cmd.start, newText: this.prependRaw });
    return out.map((e) => ({ range: analysis.rangeOf(e.start, e.end), newText: e.newText }));
  }
}

const shorten = (s: string): string => (s.length > 100 ? s.slice(0, 97) + '...' : s);

// ---------------------------------------------------------------------------------------------------
// Is the lockfile in the image before the install?

/** The pattern that excludes a context path, or undefined (Docker: the last matching pattern wins). */
function ignoredBy(rel: string, patterns: IgnorePattern[]): string | undefined {
  const parts = rel.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let by: string | undefined;
  for (const p of patterns) {
    if (candidates.some((c) => p.re.test(c))) by = p.negate ? undefined : p.text;
  }
  return by;
}


function normContext(s: string): string {
  let n = normalized.get(s);
  if (n === undefined) {
    n = trimTrailing(path.posix.normalize(s.replace(/^\/+/, '')).replace(/^(\.\/)+/, ''), '/');
    // The same few sources are asked about for every install: kept, within a bound.
    if (normalized.size > 1000) normalized.clear();
    normalized.set(s, n);
  }
  return n;
}
const normalized = new Map<string, string>();


/** Does a context source bring `file` (relative to the context) into the image? */
function sourceIncludes(source: string, file: string): boolean {
  const s = normContext(source);
  if (s === '' || s === '.') return true;
  if (hasGlob(s)) return globToRegExp(s, false).test(file);
  return s === file || file.startsWith(s + '/');
}

function lockfileInImage(
  analysis: Analysis,
  states: StageStates | undefined,
  call: Call,
  range: Range,
  lockfile: string,
  manifest: string,
  ignore: IgnorePattern[],
  data: Data,
): Finding | undefined {
  // The stages the call's stage is built on, as one answer (kept from version to version); then the
  // COPYs of its own stage before it.
  const parent = call.stage.base.kind === 'stage' ? call.stage.base.stage : undefined;
  const copies = copiesOf(analysis, call.stage, call.instr.index);
  const brought = broughtBy(copies, lockfile, parent ? chainBrings(analysis, parent, lockfile, states) : 'no');
  // An unknown source (a build argument) may well be the lockfile: no rule fails on what it cannot know.
  if (brought === 'maybe') return undefined;
  const fromContext = brought === 'context';
  const pattern = ignoredBy(lockfile, ignore);
  if (fromContext && !pattern) return undefined;

  const fix = extendManifestCopy(analysis, call, lockfile, manifest, copies);
  const edits = fromContext ? [] : fix?.edits ?? [];
  if (pattern) {
    const otherFiles = [reincludeInDockerignore(analysis.project, lockfile)];
    const title = edits.length
      ? t('Stop ignoring {lockfile} in .dockerignore and copy it with {manifest}', 'Не исключать {lockfile} в .dockerignore и копировать его вместе с {manifest}')
      : t('Stop ignoring {lockfile} in .dockerignore', 'Не исключать {lockfile} в .dockerignore');
    const fixes: Fix[] = [{ title, edits, otherFiles }];
    return { messageId: 'lockfileIgnored', range, data: { ...data, pattern }, fixes };
  }
  return { messageId: 'lockfileNotCopied', range, data, fixes: fix ? [fix] : undefined };
}

type Brought = 'context' | 'maybe' | 'no';

/** Per lockfile name (findLockfile's few), the walk of chainBrings. */
const chainBringsMemos = new Map<string, KeyMemo<Stage, Brought>>();

/**
 * What the COPYs of a stage and of the stages it is built on bring of the lockfile: `maybe` if any
 * may bring it, else `context` if any brings it from the build context. A plain word per stage, so a
 * later version may take it over (StageStates).
 */
function chainBrings(analysis: Analysis, stage: Stage, lockfile: string, states: StageStates | undefined): Brought {
  let memo = chainBringsMemos.get(lockfile);
  if (!memo) chainBringsMemos.set(lockfile, (memo = new KeyMemo<Stage, Brought>(`chainBrings ${lockfile}`)));
  return chainFold(
    analysis,
    stage,
    memo,
    (s, parent) => broughtBy(copiesOf(analysis, s), lockfile, parent ?? 'no'),
    states,
  );
}

/** What `copies`, after what came before them (`before`), bring of the lockfile. */
function broughtBy(copies: readonly CopySpec[], lockfile: string, before: Brought): Brought {
  if (before === 'maybe') return 'maybe';
  let answer = before;
  for (const c of copies) {
    const brings = bringsLockfile(c, lockfile);
    if (brings === 'maybe') return 'maybe';
    if (brings === 'context') answer = 'context';
  }
  return answer;
}

/** The COPY/ADD specs of a stage before instruction `before` (heredoc copies and broken ones have none). */
function copiesOf(analysis: Analysis, stage: Stage, before = Infinity): CopySpec[] {
  const copies: CopySpec[] = [];
  for (const i of stage.instructions) {
    if (i.index >= before) break;
    const c = copySpec(analysis, i);
    if (c) copies.push(c);
  }
  return copies;
}

/**
 * Does a COPY bring the lockfile: from the build context, or maybe (an unknown source, or a file of that
 * name from another stage or image)? Once per COPY and lockfile: every install after the COPY asks.
 */
function bringsLockfile(c: CopySpec, lockfile: string): 'context' | 'maybe' | 'no' {
  let known = bringsMemo.get(c);
  if (known?.lockfile === lockfile) return known.answer;
  let answer: 'context' | 'maybe' | 'no' = 'no';
  for (const s of c.sources) {
    if (s.value === undefined) {
      answer = 'maybe';
      break;
    }
    if (c.from) {
      if (basename(trimTrailing(s.value, '/')) === basename(lockfile)) {
        answer = 'maybe';
        break;
      }
    } else if (!/^[a-z]+:\/\//i.test(s.value) && sourceIncludes(s.value, lockfile)) answer = 'context';
  }
  known = { lockfile, answer };
  bringsMemo.set(c, known);
  return answer;
}
const bringsMemo = new KeyMemo<CopySpec, { lockfile: string; answer: 'context' | 'maybe' | 'no' }>('bringsMemo');

/** `COPY package.json ./` in the install's stage becomes `COPY package.json yarn.lock ./`. */
function extendManifestCopy(analysis: Analysis, call: Call, lockfile: string, manifest: string, copies: CopySpec[]): Fix | undefined {
  const candidates = copies.filter((c) => c.instr.stage === call.stage && !c.from && c.instr.keyword === 'COPY' && c.sources.some((s) => s.value !== undefined && sourceIncludes(s.value, manifest)));
  const copy = candidates[candidates.length - 1];
  if (!copy || copy.dest.value === undefined) return undefined;
  const dest = copy.dest.value;
  // The legacy builder wants a destination ending in `/` once there is more than one source.
  const destEdit = dest.endsWith('/') ? '' : dest === '.' || dest.endsWith('/.') ? '/' : undefined;
  if (destEdit === undefined) return undefined;
  const last = [...copy.sources].reverse().find((s) => s.value !== undefined && sourceIncludes(s.value, manifest))!;
  const edits: TextEdit[] = [{ range: analysis.rangeOf(last.end, last.end), newText: copy.json ? `, ${JSON.stringify(lockfile)}` : ` ${lockfile}` }];
  if (destEdit) {
    const at = copy.json ? copy.dest.end - 1 : copy.dest.end;
    edits.push({ range: analysis.rangeOf(at, at), newText: destEdit });
  }
  return { title: t('Copy {lockfile} along with {manifest}', 'Копировать {lockfile} вместе с {manifest}'), edits };
}

function reincludeInDockerignore(project: ProjectFiles, lockfile: string): FileChange {
  const text = project.read('.dockerignore') ?? '';
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const lines = text.split('\n');
  const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
  const lead = text === '' || text.endsWith('\n') ? '' : eol;
  return { file: '.dockerignore', edits: [{ range: { start: end, end }, newText: `${lead}!${lockfile}${eol}` }] };
}
