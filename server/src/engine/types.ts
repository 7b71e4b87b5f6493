import type { Range } from 'vscode-languageserver-types';
import type { Analysis, Stage } from './analysis';

export type { Range };

export type Severity = 'error' | 'warning' | 'information' | 'hint';
/** A configured level: a severity, or `off` to turn the rule off. */
export type Level = Severity | 'off';
export type Lang = 'en' | 'ru';
export type TaskName = 'gate' | 'scratch' | 'distroless' | 'generic';
export const TASK_NAMES: readonly TaskName[] = ['gate', 'scratch', 'distroless', 'generic'];
/** For course-wide rules. */
export const ALL_TASKS = TASK_NAMES;

/** A message in both languages; `{name}` placeholders are filled from a finding's `data`. */
export interface LocalizedText {
  en: string;
  ru: string;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A change to another file than the checked document (relative to the Dockerfile's folder). */
export interface FileChange {
  file: string;
  /** Full content of a new file (created only when absent). */
  create?: string;
  /** Edits to an existing file. */
  edits?: TextEdit[];
}

export interface Fix {
  title: LocalizedText;
  edits: TextEdit[];
  /** Changes to other files, e.g. creating `.dockerignore`. */
  otherFiles?: FileChange[];
  /** The fix the lightbulb and `--fix` apply by default. */
  preferred?: boolean;
}

export interface Finding {
  /** Key into the rule's `messages`. */
  messageId: string;
  data?: Record<string, string | number>;
  /**
   * Set when the finding is in another file than the Dockerfile (a source file such as `index.js`):
   * its path relative to the Dockerfile's folder, posix separators. `range` and the fixes' `edits`
   * then refer to that file.
   */
  file?: string;
  range: Range;
  fixes?: Fix[];
  /** Lower the severity when the rule is not sure (never raise it). */
  severity?: Severity;
}

export interface TaskProfile {
  name: TaskName;
  title: LocalizedText;
  /** Per-rule level for this task where it differs from the rule's default (`off` removes the rule). */
  levels: Record<string, Level>;
  multiStage: 'required' | 'forbidden' | 'any';
  legacyBuilder: boolean;
}

export interface RuleContext {
  analysis: Analysis;
  task: TaskProfile;
  /** Per-stage states a later version may take over (engine/ruleCache.ts); absent: computed each time. */
  states?: StageStates;
}

/**
 * Per-stage states of a rule's walk along a stage's chain (util.ts chainFold), kept from one version of
 * the document to the next. A state may depend only on the stage's chain (not on the final image's
 * chain, unlike checkStage), the text before the first FROM, the FROM lines, the task and the project.
 * It is taken over only where all of the file up to the stage's end is unchanged, so it may hold
 * offsets, ranges, lines and instruction indices; it must not hold objects of one analysis (Instr,
 * Stage, dockerfile-ast nodes): later versions read it, and those would keep old versions alive.
 */
export interface StageStates {
  /** `memo` names the walk (one module-level memo per walk); `compute` runs when nothing can be taken over. */
  state<T>(memo: object, stage: Stage, compute: () => T): T;
}

export interface Rule {
  id: string;
  /** The rule's number in the course's RULES.md. */
  courseRule: number;
  title: LocalizedText;
  defaultSeverity: Severity;
  /** The tasks the rule belongs to (course-wide rules: all of them). */
  tasks: readonly TaskName[];
  messages: Record<string, LocalizedText>;
  /** Findings over the whole file (a rule has this, `checkStage`, or both). */
  check?(ctx: RuleContext): Finding[];
  /**
   * Findings of one stage. They may depend only on that stage's chain (the stage and the stages it is
   * built FROM; for a stage of the final image's chain, that whole chain too), the text before the
   * first FROM, every stage's FROM line (names, bases, which stage is final), the task and the project
   * files: the language server keeps them from one version of the document to the next while all of
   * that is unchanged (engine/ruleCache.ts).
   */
  checkStage?(ctx: RuleContext, stage: Stage): Finding[];
}

/** A rule with findings per stage. */
export type StageRule = Rule & Required<Pick<Rule, 'checkStage'>>;

/** A finding after the engine applied language, severity and suppression. */
export interface Diagnostic {
  ruleId: string;
  /** Which of the rule's messages (for tests and tools; not part of the CLI's JSON). */
  messageId?: string;
  severity: Severity;
  message: string;
  /** The finding's file relative to the Dockerfile's folder (posix) when it is not the Dockerfile. */
  file?: string;
  range: Range;
  fixes: ResolvedFix[];
  docs: string;
}

export interface ResolvedFix {
  title: string;
  edits: TextEdit[];
  otherFiles?: FileChange[];
  preferred: boolean;
}
