/**
 * The engine: one analysis, every rule of the task, then severity, suppression and language.
 * The language server, the CLI and the tests all call `checkDockerfile`.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from './analysis';
import type { ParseSnapshot } from './incremental';
import { applyOtherFiles, applyPreferredFixes } from './edits';
import type { ProjectFiles } from './project';
import { emptyProject, readPackageJson } from './project';
import { applySourceFixes, normalizeRelPath, overlayProject } from './sourceFiles';
import { RULES, ruleById } from '../rules';
import { ResolvedTask, TASKS, isTaskName, readConfig, resolveTask, taskFromComment } from './tasks';
import type { Diagnostic, Finding, Lang, Level, LocalizedText, Range, Rule, RuleContext, Severity, StageRule, TaskName, TaskProfile } from './types';
import { ProjectReads, StageFindings } from './ruleCache';
import { TASK_NAMES } from './types';
import { KeyMemo } from './keyMemo';
import { duringCheck } from './parse';
import { pushAll } from './arrays';

export interface CheckInput {
  text: string;
  project?: ProjectFiles;
  uri?: string;
  lang?: Lang;
  /** Forces the task (CLI `--task`, the task picker). */
  task?: TaskName;
  /** The `dockerfileCoach.task` setting (`auto` = detect). */
  settingTask?: string;
  /** The `dockerfileCoach.rules` setting: per-rule level. */
  settingLevels?: Record<string, Level>;
  /** Where `docs/rules/<id>.md` lives (a URL or file URI ending in `/`). */
  docsBase?: string;
  /** The rules to run (default: all); tests pass their own to check the engine's isolation. */
  rules?: readonly Rule[];
  /**
   * An earlier version of the same document (its analysis or `analysis.parseSnapshot`): the parse
   * re-parses only the instructions that changed (incremental.ts). Same result without it. The first
   * check given a version takes that version's unchanged dockerfile-ast nodes over (re-points them at
   * its own text): the earlier version's results stay as they were, but its analysis's nodes then
   * answer for the new version. The server keeps only each document's newest version.
   */
  previous?: Analysis | ParseSnapshot;
}

export interface CheckResult {
  task: ResolvedTask;
  diagnostics: Diagnostic[];
  analysis: Analysis;
  /** The level each rule of the task ran at (`off`: not run), after the task, config and setting levels. */
  levels?: ReadonlyMap<string, Level>;
}

/** Ids of diagnostics the engine itself reports (not rules). */
export const ENGINE_IDS = { config: 'coach-config', internal: 'internal-error' } as const;

const SEVERITY_ORDER: Severity[] = ['hint', 'information', 'warning', 'error'];
const lower = (a: Severity, b: Severity): Severity => (SEVERITY_ORDER.indexOf(a) <= SEVERITY_ORDER.indexOf(b) ? a : b);

/**
 * Each text split at its placeholders once, per language: [text, name, name_<lang>, text, ..., text]. A
 * regular expression and a callback per message and fix title were 3% of a 50-line check, and the
 * `name_<lang>` made per placeholder on every call 1%. Bounded, since a few rules build texts from the
 * Dockerfile's words; past the bound a text is split each time.
 */
const templates: Record<Lang, Map<string, readonly string[]>> = { en: new Map(), ru: new Map() };
const MAX_TEMPLATES = 2000;

function templateOf(source: string, lang: Lang): readonly string[] {
  const known = templates[lang].get(source);
  if (known !== undefined) return known;
  const split = source.split(/\{(\w+)\}/);
  const parts = [split[0]];
  for (let i = 1; i < split.length; i += 2) parts.push(split[i], `${split[i]}_${lang}`, split[i + 1]);
  if (templates[lang].size < MAX_TEMPLATES) templates[lang].set(source, parts);
  return parts;
}

/** Fill `{name}` placeholders; a `name_ru` entry in data overrides `name` for Russian text. */
export function format(text: LocalizedText, lang: Lang, data: Record<string, string | number> = {}): string {
  const parts = templateOf(text[lang], lang);
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 3) {
    const key = parts[i];
    const localized = parts[i + 1];
    // A placeholder without data is a rule bug: mark it so tests catch it.
    out += (localized in data ? String(data[localized]) : key in data ? String(data[key]) : `{?${key}}`) + parts[i + 2];
  }
  return out;
}

/** Relative to the project; the server and the CLI pass the file URI of the docs they ship with. */
export const DEFAULT_DOCS_BASE = 'docs/rules/';

export function checkDockerfile(input: CheckInput): CheckResult {
  return duringCheck(() => check(input));
}

function check(input: CheckInput): CheckResult {
  const lang = input.lang ?? 'en';
  // Wrapped: what the rules read of the project decides whether the previous version's findings still hold.
  const reads = new ProjectReads();
  const project = reads.wrap(input.project ?? emptyProject());
  const docsBase = input.docsBase ?? DEFAULT_DOCS_BASE;
  const analysis = new Analysis(input.text, project, input.uri, input.previous);
  const { config, error: configError } = readConfig(project);
  const task: ResolvedTask = input.task
    ? { profile: TASKS[input.task], source: 'setting', reason: { en: 'chosen explicitly', ru: 'выбрано явно' } }
    : resolveTask(input.text, project, config, input.settingTask);
  const diagnostics: Diagnostic[] = [];
  const engineDiag = (id: string, range: Range, message: LocalizedText, data: Record<string, string | number>, severity: Severity = 'warning') =>
    diagnostics.push({ ruleId: id, severity, message: format(message, lang, data), range, fixes: [], docs: `${docsBase}${id}.md` });

  if (configError) {
    engineDiag(ENGINE_IDS.config, zeroRange(), MESSAGES.badConfig, { file: configError.file, error: configError.message });
  }
  // A package.json that is not JSON breaks every install in the image: say so in that file.
  const pkg = readPackageJson(project);
  if (pkg && !pkg.ok) {
    const offset = Number(/position (\d+)/.exec(pkg.error)?.[1] ?? 0);
    const at = TextDocument.create('file:///package.json', 'json', 0, project.read('package.json') ?? '').positionAt(offset);
    diagnostics.push({
      ruleId: ENGINE_IDS.config,
      severity: 'error',
      message: format(MESSAGES.badProjectFile, lang, { file: 'package.json', error: pkg.error }),
      range: { start: at, end: at },
      fixes: [],
      docs: `${docsBase}${ENGINE_IDS.config}.md`,
      file: 'package.json',
    });
  }
  const comment = taskFromComment(input.text);
  if (comment && !isTaskName(comment.task)) {
    const line = analysis.lineText(comment.line);
    engineDiag(ENGINE_IDS.config, { start: { line: comment.line, character: 0 }, end: { line: comment.line, character: line.length } }, MESSAGES.unknownTask, {
      task: comment.task,
      tasks: TASK_NAMES.join(', '),
    });
  }

  const suppressions = readSuppressions(analysis);
  for (const s of suppressions.unknown) engineDiag(ENGINE_IDS.config, s.range, MESSAGES.unknownRule, { id: s.id });

  const previous = input.previous instanceof Analysis ? input.previous.parseSnapshot : input.previous;
  const stageFindings = new StageFindings(analysis, task.profile.name, reads, previous?.rules);
  // Maps, not records: a rule id looked up in (or added to) an object per rule was 2% of a 50-line check.
  const levels = new Map(Object.entries({ ...(input.settingLevels ?? {}), ...(config?.rules ?? {}) }));
  const taskLevels = profileLevels(task.profile);
  const ruleLevels = new Map<string, Level>();
  for (const rule of input.rules ?? RULES) {
    if (!rule.tasks.includes(task.profile.name)) continue;
    const level = levels.get(rule.id) ?? taskLevels.get(rule.id) ?? rule.defaultSeverity;
    ruleLevels.set(rule.id, level);
    if (level === 'off') continue;
    // A file-wide ignore silences the Dockerfile's findings; the rule still runs for those in other files.
    const fileSuppressed = suppressions.file.has(rule.id);
    let findings: Finding[];
    try {
      findings = runRule(rule, { analysis, task: task.profile, states: stageFindings }, stageFindings);
    } catch (e) {
      // A broken rule must not take the others down: it becomes one diagnostic and a log line.
      console.error(`dockerfile-coach: rule ${rule.id} threw: ${(e as Error).stack ?? e}`);
      engineDiag(ENGINE_IDS.internal, zeroRange(), MESSAGES.internal, { id: rule.id, error: (e as Error).message ?? String(e) }, 'information');
      continue;
    }
    for (const f of findings) {
      // coach-ignore comments live in the Dockerfile and name its lines: findings in other files stay.
      if (f.file === undefined && (fileSuppressed || suppressions.isSuppressed(rule.id, f.range.start.line))) continue;
      diagnostics.push(resolveFinding(rule, f.file === undefined ? withSafeFixes(analysis, f) : f, level, lang, docsBase));
    }
  }
  analysis.parseSnapshot.rules = stageFindings.snapshot();
  // The Dockerfile's own diagnostics first, then each other file's, each in document order.
  // localeCompare (ICU collation) only where the strings differ: most comparisons are of equal files and ids.
  const compareText = (x: string, y: string) => (x === y ? 0 : x.localeCompare(y));
  diagnostics.sort(
    (a, b) =>
      compareText(a.file ?? '', b.file ?? '') ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      compareText(a.ruleId, b.ruleId),
  );
  return { task, diagnostics, analysis, levels: ruleLevels };
}

const levelsByProfile = new WeakMap<TaskProfile, ReadonlyMap<string, Level>>();

/** A task's own rule levels as a Map, made once per profile. */
function profileLevels(profile: TaskProfile): ReadonlyMap<string, Level> {
  let levels = levelsByProfile.get(profile);
  if (!levels) levelsByProfile.set(profile, (levels = new Map(Object.entries(profile.levels))));
  return levels;
}

/** The whole-file findings, then each stage's (kept from the previous version where they still hold). */
function runRule(rule: Rule, ctx: RuleContext, stageFindings: StageFindings): Finding[] {
  const findings = rule.check ? rule.check(ctx) : [];
  if (hasCheckStage(rule)) for (const stage of ctx.analysis.stages) pushAll(findings, stageFindings.forStage(rule, ctx, stage));
  return findings;
}

const hasCheckStage = (rule: Rule): rule is StageRule => rule.checkStage !== undefined;

/** Drop fixes that would write where the text joins an earlier instruction (unclosed heredoc, dangling `\`). */
function withSafeFixes(analysis: Analysis, f: Finding): Finding {
  const from = analysis.swallowedFrom;
  if (from === undefined || !f.fixes) return f;
  return { ...f, fixes: f.fixes.filter((fix) => fix.edits.every((e) => analysis.offsetAt(e.range.start) < from)) };
}

/**
 * A finding's diagnostic, kept on the finding: one kept from the previous version (ruleCache.ts) gives
 * the same object again while its level, language and docs are the same (at 5,000 lines, 308 of them on
 * every keystroke), and its message and fix titles while only the language is the same. Nothing changes
 * a Diagnostic once made; it already shares its range and edits.
 */
const resolved = new KeyMemo<Finding, { level: Severity; lang: Lang; docsBase: string; diagnostic: Diagnostic }>('resolved');

function resolveFinding(rule: Rule, f: Finding, level: Severity, lang: Lang, docsBase: string): Diagnostic {
  const kept = resolved.get(f);
  if (kept !== undefined && kept.level === level && kept.lang === lang && kept.docsBase === docsBase) return kept.diagnostic;
  const diagnostic = makeDiagnostic(rule, f, level, lang, docsBase, kept?.lang === lang ? kept.diagnostic : undefined);
  resolved.set(f, { level, lang, docsBase, diagnostic });
  return diagnostic;
}

/** `sameTexts`: an earlier diagnostic of this finding in this language, whose texts are taken over. */
function makeDiagnostic(rule: Rule, f: Finding, level: Severity, lang: Lang, docsBase: string, sameTexts: Diagnostic | undefined): Diagnostic {
  const template = rule.messages[f.messageId];
  const message = sameTexts?.message ?? (template ? format(template, lang, f.data) : f.messageId);
  return {
    ruleId: rule.id,
    messageId: f.messageId,
    severity: f.severity ? lower(f.severity, level) : level,
    message,
    ...(f.file !== undefined ? { file: normalizeRelPath(f.file) } : {}),
    range: f.range,
    fixes: (f.fixes ?? []).map((fix, i) => ({
      title: sameTexts?.fixes[i].title ?? format(fix.title, lang, f.data),
      edits: fix.edits,
      otherFiles: fix.otherFiles,
      preferred: fix.preferred ?? i === 0,
    })),
    docs: `${docsBase}${rule.id}.md`,
  };
}

const zeroRange = (): Range => ({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });

interface Suppressions {
  file: Set<string>;
  unknown: { id: string; range: Range }[];
  isSuppressed(ruleId: string, line: number): boolean;
}

/** `# coach-ignore <id>[,<id>] [-- reason]` before an instruction, `# coach-ignore-file <id>` anywhere. */
function readSuppressions(analysis: Analysis): Suppressions {
  const file = new Set<string>();
  const unknown: { id: string; range: Range }[] = [];
  const byLine = new Map<number, Set<string>>();
  if (!analysis.text.includes('coach-ignore')) return { file, unknown, isSuppressed: () => false };
  const lines = analysis.text.split(/\r\n|\r|\n/);
  lines.forEach((text, line) => {
    const m = /^(\s*#\s*coach-ignore(-file)?\s+)([^\s].*?)\s*(?:--.*)?$/.exec(text);
    if (!m) return;
    let col = m[1].length;
    const ids = new Set<string>();
    for (const part of m[3].split(',')) {
      const id = part.trim();
      const at = text.indexOf(id, col);
      col = at + id.length;
      if (!id) continue;
      if (!ruleById(id) && !Object.values(ENGINE_IDS).includes(id as never)) {
        unknown.push({ id, range: { start: { line, character: at }, end: { line, character: at + id.length } } });
      }
      ids.add(id);
    }
    if (m[2]) ids.forEach((id) => file.add(id));
    else byLine.set(line, ids);
  });
  // An ignore comment covers the instruction right below it (a block of comments may stand between).
  const covered = new Map<number, Set<string>>();
  for (const instr of analysis.instructions) {
    const ids = new Set<string>();
    for (let l = instr.range.start.line - 1; l >= 0 && /^\s*#/.test(lines[l]); l--) byLine.get(l)?.forEach((id) => ids.add(id));
    if (ids.size === 0) continue;
    for (let l = instr.range.start.line; l <= instr.range.end.line; l++) covered.set(l, ids);
  }
  return { file, unknown, isSuppressed: (id, line) => covered.get(line)?.has(id) ?? false };
}

/** The engine's own messages; `badConfig` is shared with the workflows' config lookup (workflows/config.ts). */
export const MESSAGES = {
  badConfig: {
    en: '{file} is not valid: {error}. Its settings are ignored until it is fixed.',
    ru: 'Файл {file} некорректен: {error}. Его настройки не применяются, пока он не исправлен.',
  },
  badProjectFile: {
    en: '{file} is not valid JSON ({error}): yarn and npm will fail on it in the image, and Dockerfile Coach cannot read the project from it.',
    ru: '{file} — некорректный JSON ({error}): yarn и npm упадут на нём при сборке образа, а Dockerfile Coach не может прочитать из него проект.',
  },
  unknownTask: {
    en: 'Unknown task "{task}". Use one of: {tasks}.',
    ru: 'Неизвестное задание «{task}». Допустимые значения: {tasks}.',
  },
  unknownRule: {
    en: 'Unknown rule id "{id}" in a coach-ignore comment: it silences nothing.',
    ru: 'Неизвестный идентификатор правила «{id}» в комментарии coach-ignore: он ничего не отключает.',
  },
  internal: {
    en: 'Rule {id} failed on this file ({error}); its findings are missing. Please report this.',
    ru: 'Правило {id} упало на этом файле ({error}); его замечаний нет. Пожалуйста, сообщите об этом.',
  },
} satisfies Record<string, LocalizedText>;

export interface FixAllResult {
  text: string;
  rounds: number;
  result: CheckResult;
  /** Other files the fixes changed (findings reported in them): path relative to the Dockerfile's folder -> new content. */
  files: Record<string, string>;
}

/** Apply every diagnostic's preferred fix, re-check, repeat until nothing changes. */
export function fixAll(input: CheckInput, maxRounds = 10): FixAllResult {
  let text = input.text;
  const base = input.project ?? emptyProject();
  const files = new Map<string, string>();
  let result = checkDockerfile(input);
  let rounds = 0;
  while (rounds < maxRounds) {
    const { text: next, applied } = applyPreferredFixes(
      text,
      result.diagnostics.filter((d) => d.file === undefined),
    );
    const filesChanged = applySourceFixes(base, files, result.diagnostics);
    // Fixes of Dockerfile findings that create or extend other files (.dockerignore).
    const otherChanged = applyOtherFiles(base, files, applied);
    if ((applied.length === 0 || next === text) && !filesChanged && !otherChanged) break;
    text = next;
    rounds++;
    // The next round reads the fixed files, not the ones on disk.
    result = checkDockerfile({ ...input, text, project: overlayProject(base, files) });
  }
  return { text, rounds, result, files: Object.fromEntries(files) };
}
