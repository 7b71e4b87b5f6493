/**
 * The CLI: `dockerfile-coach check [--task <name>] [--format text|json|sarif] [--fix] [--lang en|ru] <path>...`
 * Exit 0: no error-severity finding; 1: at least one; 2: usage or I/O error (message on stderr).
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { checkDockerfile, fixAll, CheckResult } from './engine/engine';
import { FileCache, diskProject } from './engine/project';
import { TASKS, isTaskName } from './engine/tasks';
import { RULES } from './rules';
import type { Diagnostic, Lang, TaskName } from './engine/types';
import { TASK_NAMES } from './engine/types';
import { ENGINE_RULES, toSarif } from './sarif';
import { workflowConfig } from './workflows/config';
import { checkWorkflow, fixWorkflow, isWorkflowPath } from './workflows/engine';
import { WORKFLOW_RULES } from './workflows/rules';
import type { ResolvedTask } from './engine/tasks';
import { EXPLAIN_USAGE, runExplain } from './explainCli';

const USAGE = `Usage: dockerfile-coach check [--task <${TASK_NAMES.join('|')}>] [--format text|json|sarif] [--fix] [--lang en|ru] <path>...
  <path>  a Dockerfile, a GitHub Actions workflow (.github/workflows/*.yml), or a folder: every Dockerfile in it
          (Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile) and every .github/workflows/*.yml|yaml under it
${EXPLAIN_USAGE}
Exit codes: 0 no error, 1 at least one error-severity finding, 2 usage or I/O error.`;

class UsageError extends Error {}

interface Options {
  task?: TaskName;
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
  lang: Lang;
  paths: string[];
}

function parseArgs(argv: string[]): Options {
  if (argv[0] !== 'check') throw new UsageError(argv.length ? `unknown command "${argv[0]}"` : 'missing command');
  const opts: Options = { format: 'text', fix: false, lang: 'en', paths: [] };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--task': {
        const v = value();
        if (!isTaskName(v)) throw new UsageError(`unknown task "${v}" (expected ${TASK_NAMES.join(', ')})`);
        opts.task = v;
        break;
      }
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(`unknown format "${v}" (expected text, json or sarif)`);
        opts.format = v;
        break;
      }
      case '--lang': {
        const v = value();
        if (v !== 'en' && v !== 'ru') throw new UsageError(`unknown language "${v}" (expected en or ru)`);
        opts.lang = v;
        break;
      }
      case '--fix':
        opts.fix = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option "${a}"`);
        opts.paths.push(a);
    }
  }
  if (opts.paths.length === 0) throw new UsageError('no path given');
  return opts;
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'vendor']);
export const isDockerfileName = (name: string): boolean => /^(?:Dockerfile|Containerfile)(?:\..+)?$|\.(?:Dockerfile|Containerfile)$/i.test(name);

function findDockerfiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) findDockerfiles(p, out);
    } else if (entry.isFile() && isDockerfileName(entry.name)) out.push(p);
  }
  return out;
}

/** Every `.github/workflows/*.yml|yaml` under a folder (one per repository in a folder of repositories). */
function findWorkflows(dir: string, out: string[] = []): string[] {
  // The workflows folder itself given as the path.
  const workflows = /[\\/]\.github[\\/]workflows$/.test(dir) ? dir : path.join(dir, '.github', 'workflows');
  if (fs.existsSync(workflows) && fs.statSync(workflows).isDirectory()) {
    for (const name of fs.readdirSync(workflows).sort()) {
      const p = path.join(workflows, name);
      if (/\.ya?ml$/i.test(name) && fs.statSync(p).isFile()) out.push(p);
    }
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name) && entry.name !== '.github') findWorkflows(path.join(dir, entry.name), out);
  }
  return out;
}

interface Checked {
  file: string;
  abs: string;
  result: Pick<CheckResult, 'task' | 'diagnostics'>;
  /** A workflow file's entry: its task is that of the repository's first Dockerfile. */
  workflow?: boolean;
  fixedRounds?: number;
  /** For a source file's entry (index.js, main.go): the Dockerfile whose check found it first. */
  from?: string;
}

const sameDiagnostic = (a: Diagnostic, b: Diagnostic): boolean =>
  a.ruleId === b.ruleId &&
  a.message === b.message &&
  a.range.start.line === b.range.start.line &&
  a.range.start.character === b.range.start.character &&
  a.range.end.line === b.range.end.line &&
  a.range.end.character === b.range.end.character;

/**
 * Findings reported in other files than the Dockerfile become entries of their own, right after the
 * Dockerfile that found them first; a source file that several Dockerfiles share gets one entry.
 */
function withSourceEntries(checked: Checked[]): Checked[] {
  const out: Checked[] = [];
  const bySource = new Map<string, Checked>();
  for (const c of checked) {
    out.push({ ...c, result: { ...c.result, diagnostics: c.result.diagnostics.filter((d) => d.file === undefined) } });
    for (const d of c.result.diagnostics) {
      if (d.file === undefined) continue;
      const abs = path.resolve(path.dirname(c.abs), ...d.file.split('/'));
      let entry = bySource.get(abs);
      if (!entry) {
        entry = { file: displayPath(abs), abs, result: { ...c.result, diagnostics: [] }, from: c.file };
        bySource.set(abs, entry);
        out.push(entry);
      }
      if (!entry.result.diagnostics.some((x) => sameDiagnostic(x, d))) entry.result.diagnostics.push(d);
    }
  }
  return out;
}

const displayPath = (abs: string): string => {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
};

function run(opts: Options): number {
  const targets: { abs: string; root: string; workflow?: boolean }[] = [];
  for (const p of opts.paths) {
    const abs = path.resolve(p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new Error(`cannot read ${p}: no such file or folder`);
    }
    if (stat.isDirectory()) {
      const found = findDockerfiles(abs);
      const workflows = findWorkflows(abs);
      if (found.length === 0 && workflows.length === 0) throw new Error(`no Dockerfile found in ${p}`);
      for (const f of found) targets.push({ abs: f, root: abs });
      for (const f of workflows) targets.push({ abs: f, root: abs, workflow: true });
    } else targets.push({ abs, root: path.dirname(abs), workflow: isWorkflowPath(abs) });
  }
  const docsBase = pathToFileURL(path.join(__dirname, '..', 'docs', 'rules')).href + '/';
  const cache = new FileCache();
  const checked: Checked[] = [];
  for (const { abs, root, workflow } of targets) {
    let text: string;
    try {
      text = fs.readFileSync(abs, 'utf8');
    } catch (e) {
      throw new Error(`cannot read ${displayPath(abs)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (workflow) {
      // dockerfile-coach.json of the repository, else of the folder given (workflows/config.ts, shared with the server).
      const config = workflowConfig(diskProject(path.dirname(abs), root, cache), opts.lang, docsBase);
      const input = { text, lang: opts.lang, docsBase, settingLevels: config.levels };
      const task = WORKFLOW_TASK(opts);
      if (opts.fix) {
        const fixed = fixWorkflow(input);
        if (fixed.text !== text) fs.writeFileSync(abs, fixed.text);
        checked.push({ file: displayPath(abs), abs, workflow: true, result: { task, diagnostics: [...config.diagnostics, ...fixed.result.diagnostics] }, fixedRounds: fixed.rounds });
      } else checked.push({ file: displayPath(abs), abs, workflow: true, result: { task, diagnostics: [...config.diagnostics, ...checkWorkflow(input).diagnostics] } });
      continue;
    }
    const input = { text, project: diskProject(path.dirname(abs), root, cache), uri: pathToFileURL(abs).href, lang: opts.lang, task: opts.task, docsBase };
    if (opts.fix) {
      const fixed = fixAll(input);
      if (fixed.text !== text) fs.writeFileSync(abs, fixed.text);
      // Other files the fixes created or changed (a new .dockerignore, a fixed source file): full new content.
      for (const [rel, content] of Object.entries(fixed.files ?? {})) {
        const target = path.resolve(path.dirname(abs), rel);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
        // The next Dockerfile of the same folder must see the new file, not a cached absence.
        cache.invalidate(target);
      }
      checked.push({ file: displayPath(abs), abs, result: fixed.result, fixedRounds: fixed.rounds });
    } else {
      checked.push({ file: displayPath(abs), abs, result: checkDockerfile(input) });
    }
  }
  const entries = withSourceEntries(withWorkflowTasks(checked));
  const out = process.stdout;
  if (opts.format === 'json') out.write(JSON.stringify(entries.map(toJson), null, 2) + '\n');
  else if (opts.format === 'sarif') {
    const sarif = toSarif(entries.map((c) => ({ file: c.file, diagnostics: c.result.diagnostics })), [...RULES, ...WORKFLOW_RULES, ...ENGINE_RULES], docsBase, { lang: opts.lang, readDoc });
    out.write(JSON.stringify(sarif, null, 2) + '\n');
  } else out.write(toText(entries, opts));
  return entries.some((c) => c.result.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

const DOCS_DIR = path.join(__dirname, '..', 'docs', 'rules');
const readDoc = (ruleId: string): string | undefined => {
  try {
    return fs.readFileSync(path.join(DOCS_DIR, `${ruleId}.md`), 'utf8');
  } catch {
    return undefined;
  }
};

const WORKFLOW_REASON = { en: 'GitHub Actions workflow', ru: 'workflow GitHub Actions' };
const WORKFLOW_TASK = (opts: Options): ResolvedTask => ({
  profile: TASKS[opts.task ?? 'generic'],
  source: 'setting',
  reason: WORKFLOW_REASON,
});

/** A workflow builds its repository's image: it reports the task of the first Dockerfile of that repository. */
function withWorkflowTasks(checked: Checked[]): Checked[] {
  return checked.map((c) => {
    if (!c.workflow) return c;
    const repo = path.resolve(path.dirname(c.abs), '..', '..');
    const dockerfile = checked.find((d) => !d.workflow && d.abs.startsWith(repo + path.sep));
    return dockerfile ? { ...c, result: { ...c.result, task: { ...dockerfile.result.task, reason: WORKFLOW_REASON } } } : c;
  });
}

function toJson(c: Checked) {
  return {
    file: c.file,
    task: c.result.task.profile.name,
    diagnostics: c.result.diagnostics.map((d) => ({
      ruleId: d.ruleId,
      severity: d.severity,
      message: d.message,
      range: d.range,
      fixes: d.fixes.map((f) => ({
        title: f.title,
        edits: f.edits.map((e) => ({ range: e.range, newText: e.newText })),
        // Only when set, so the contract of fixes that edit the Dockerfile alone is unchanged.
        ...(f.otherFiles && f.otherFiles.length > 0 ? { otherFiles: f.otherFiles } : {}),
      })),
    })),
  };
}

function toText(checked: Checked[], opts: Options): string {
  const color = process.stdout.isTTY && !process.env.NO_COLOR;
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sevColor: Record<Diagnostic['severity'], string> = { error: '31', warning: '33', information: '36', hint: '2' };
  const ru = opts.lang === 'ru';
  let text = '';
  let errors = 0;
  let warnings = 0;
  let fixable = 0;
  for (const c of checked) {
    const task = c.result.task;
    const why = c.from ? (ru ? `найдено при проверке ${c.from}` : `found checking ${c.from}`) : task.reason[opts.lang];
    text += `${paint('4', c.file)}  (${ru ? 'задание' : 'task'}: ${task.profile.name}, ${why})\n`;
    if (c.fixedRounds) text += `  ${ru ? 'исправлено автоматически' : 'fixed'}: ${c.fixedRounds} ${ru ? 'проход(а)' : c.fixedRounds === 1 ? 'round' : 'rounds'}\n`;
    if (c.result.diagnostics.length === 0) text += `  ${paint('32', ru ? 'замечаний нет' : 'no problems')}\n`;
    for (const d of c.result.diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      const pos = `${d.range.start.line + 1}:${d.range.start.character + 1}`;
      text += `  ${pos.padEnd(7)} ${paint(sevColor[d.severity], d.severity.padEnd(11))} ${d.message}  ${paint('2', d.ruleId)}\n`;
      const fix = d.fixes.find((f) => f.preferred) ?? d.fixes[0];
      if (fix) {
        fixable++;
        text += `  ${''.padEnd(7)} ${''.padEnd(11)} ${paint('32', (ru ? 'исправление: ' : 'fix: ') + fix.title)}\n`;
      }
    }
    text += '\n';
  }
  const problems = errors + warnings;
  text += ru
    ? `Замечаний: ${problems} (ошибок: ${errors}, предупреждений: ${warnings}); исправимо автоматически: ${fixable}${fixable && !opts.fix ? ' (--fix)' : ''}\n`
    : `${problems} problem${problems === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}), ${fixable} fixable${fixable && !opts.fix ? ' with --fix' : ''}\n`;
  return text;
}

export function main(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (argv[0] === 'explain') return runExplain(argv, USAGE);
  try {
    return run(parseArgs(argv));
  } catch (e) {
    if (e instanceof UsageError) process.stderr.write(`dockerfile-coach: ${e.message}\n${USAGE}\n`);
    else process.stderr.write(`dockerfile-coach: ${(e as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
