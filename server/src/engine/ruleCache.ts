/**
 * Per-stage rule results kept from one version of a document to the next, so that a keystroke in one
 * stage of a long Dockerfile re-runs the costly rules for the stages it can change, not for all of them.
 *
 * A rule's `checkStage(ctx, stage)` may depend only on (the contract in types.ts):
 * - the text of the stage's chain (the stage and the stages it is built FROM) and, for a stage of the
 *   final image's chain, that whole chain ("the stage's dependencies"),
 * - the text before the first FROM (directives, global ARGs),
 * - every stage's FROM line (names, bases, how many stages, which one is final),
 * - the task, the line breaks (eol), and the project files.
 *
 * A stage's findings are taken over from the previous version when all of that is the same:
 * - the dependencies have the same text starting on the same lines ("regions": a stage's region
 *   runs from its FROM line to the next FROM line), so every position in them is unchanged;
 * - the text before the first FROM, the FROM lines, the task, the eol and the project's folders are
 *   the same (`context`);
 * - every project file read, listing and existence test the previous version made gives the same answer
 *   now (`ProjectReads`: the project is wrapped so that the check records them).
 * A finding with a Dockerfile range (or a fix edit) outside the dependencies' regions and the text before
 * the first FROM is never kept: it is computed again each time. Nothing is kept while an unclosed
 * heredoc or a trailing `\` makes the parse swallow later lines (Analysis.swallowedFrom).
 *
 * test/ruleCache.test.ts checks, over thousands of seeded edits, that the results are exactly those of
 * a check without the previous version.
 */
import type { Analysis, Stage } from './analysis';
import type { ProjectFiles } from './project';
import type { Finding, Range, Rule, RuleContext, StageRule, StageStates } from './types';

/** What the next version of the document needs to reuse this version's per-stage findings. */
export interface RuleCacheSnapshot {
  readonly context: string;
  readonly regions: readonly Region[];
  /** Per rule: the findings of each stage (by stage index); undefined = not kept. */
  readonly findings: ReadonlyMap<Rule, readonly (readonly Finding[] | undefined)[]>;
  /** Per walk (StageStates): each stage's state (by stage index); undefined = not computed. */
  readonly states: ReadonlyMap<object, readonly unknown[]>;
  /** The project reads the findings depend on, with their answers (see ProjectReads). */
  readonly projectReads: ProjectLog;
  /** In this check: per-stage results taken over from the previous version, and computed. */
  readonly kept: number;
  readonly computed: number;
  /** In this check: per-stage walk states taken over from the previous version, and computed. */
  readonly statesKept: number;
  readonly statesComputed: number;
}

interface Region {
  startLine: number;
  /** The first line of the next region (or the line count). */
  endLine: number;
  text: string;
}

type ProjectAnswer = string | boolean | readonly string[] | undefined;

/**
 * Wraps a project so that every read, existence test and listing is recorded with its answer. The
 * answers also serve the rest of the check: the files do not change during one check, and rules ask
 * the same questions many times (each install asks which manifests exist).
 */
export class ProjectReads {
  /** Per question (read, exists, list): path -> answer. */
  readonly log: ProjectLog = { read: new Map(), exists: new Map(), list: new Map() };

  wrap(project: ProjectFiles): ProjectFiles {
    const ask = <T extends ProjectAnswer>(answers: Map<string, ProjectAnswer>, rel: string, answer: (rel: string) => T): T => {
      if (answers.has(rel)) return answers.get(rel) as T;
      const value = answer(rel);
      answers.set(rel, value);
      return value;
    };
    const { read, exists, list } = this.log;
    return {
      dir: project.dir,
      workspaceRoot: project.workspaceRoot,
      read: (rel) => ask(read, rel, (r) => project.read(r)),
      exists: (rel) => ask(exists, rel, (r) => project.exists(r)),
      list: (rel) => ask(list, rel, (r) => project.list(r)) as string[],
    };
  }

  /** Does `project` (a wrapped one: the replays are recorded too) answer every earlier question the same? */
  static replay(project: ProjectFiles, earlier: ProjectLog): boolean {
    for (const [rel, answer] of earlier.read) if (project.read(rel) !== answer) return false;
    for (const [rel, answer] of earlier.exists) if (project.exists(rel) !== answer) return false;
    for (const [rel, answer] of earlier.list) if (!sameList(project.list(rel), answer as readonly string[])) return false;
    return true;
  }
}

export interface ProjectLog {
  read: Map<string, ProjectAnswer>;
  exists: Map<string, ProjectAnswer>;
  list: Map<string, ProjectAnswer>;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * One check's per-stage findings: those taken over from the previous version and those computed now.
 * Also the rules' per-stage walk states (StageStates): a stage's state is taken over when the stage
 * lies wholly in the unchanged start of the file (every region up to its own has the same text, so
 * every offset, line and instruction index in them is the same: a chain's stages come before the
 * stage), the context is the same and the project answers the same. That is the case for the stages
 * a recomputed stage is built on, so a keystroke walks only the stages it changed.
 */
export class StageFindings implements StageStates {
  private readonly regions: Region[] = [];
  private readonly context: string;
  /** Stage index -> may the previous version's findings for it be used? */
  private readonly reusable: boolean[] = [];
  /** Stage index -> the stages its findings may depend on (see above). */
  private readonly dependencies: Stage[][] = [];
  private readonly findings = new Map<Rule, (readonly Finding[] | undefined)[]>();
  /**
   * How many regions from the first on are unchanged: the walk states of the stages before that may be
   * used (a state depends on its stage's chain only, and a chain's stages come before the stage).
   */
  private samePrefix = 0;
  private readonly states = new Map<object, unknown[]>();
  private readonly enabled: boolean;
  private kept = 0;
  private computed = 0;
  private statesKept = 0;
  private statesComputed = 0;

  constructor(
    analysis: Analysis,
    taskName: string,
    private readonly reads: ProjectReads,
    private readonly previous: RuleCacheSnapshot | undefined,
  ) {
    const stages = analysis.stages;
    this.enabled = stages.length > 0 && analysis.swallowedFrom === undefined;
    this.context = '';
    if (!this.enabled) return;
    const doc = analysis.doc;
    const starts = stages.map((s) => s.fromInstr.range.start.line);
    const preludeEnd = doc.offsetAt({ line: starts[0], character: 0 });
    const fromLines = stages.map((s) => analysis.text.slice(s.fromInstr.start, s.fromInstr.end));
    const project = analysis.project;
    this.context = [taskName, analysis.eol, project.dir ?? '', project.workspaceRoot ?? '', analysis.text.slice(0, preludeEnd), ...fromLines].join('\0');
    for (let i = 0; i < stages.length; i++) {
      const startLine = starts[i];
      const endLine = i + 1 < stages.length ? starts[i + 1] : doc.lineCount;
      const from = doc.offsetAt({ line: startLine, character: 0 });
      const to = i + 1 < stages.length ? doc.offsetAt({ line: endLine, character: 0 }) : analysis.text.length;
      this.regions.push({ startLine, endLine, text: analysis.text.slice(from, to) });
    }
    const finalChain = analysis.chain(stages[stages.length - 1]);
    for (const stage of stages) {
      const chain = analysis.chain(stage);
      this.dependencies.push(finalChain.includes(stage) ? [...new Set([...chain, ...finalChain])] : chain);
    }
    const prev = previous;
    if (prev === undefined || prev.context !== this.context || prev.regions.length !== stages.length || !ProjectReads.replay(project, prev.projectReads)) return;
    const regionSame = this.regions.map((r, i) => r.startLine === prev.regions[i].startLine && r.text === prev.regions[i].text);
    for (let i = 0; i < stages.length; i++) this.reusable[i] = this.dependencies[i].every((s) => regionSame[s.index]);
    // The context holds the text before the first region.
    while (this.samePrefix < stages.length && regionSame[this.samePrefix]) this.samePrefix++;
  }

  state<T>(memo: object, stage: Stage, compute: () => T): T {
    if (!this.enabled) return compute();
    let perStage = this.states.get(memo);
    if (!perStage) this.states.set(memo, (perStage = []));
    const kept = stage.index < this.samePrefix ? (this.previous?.states.get(memo)?.[stage.index] as T | undefined) : undefined;
    if (kept !== undefined) {
      this.statesKept++;
      perStage[stage.index] = kept;
      return kept;
    }
    this.statesComputed++;
    const value = compute();
    perStage[stage.index] = value;
    return value;
  }

  /** The rule's findings for a stage: the previous version's when they still hold, otherwise computed now. */
  forStage(rule: StageRule, ctx: RuleContext, stage: Stage): readonly Finding[] {
    if (!this.enabled) return rule.checkStage(ctx, stage);
    let perStage = this.findings.get(rule);
    if (!perStage) this.findings.set(rule, (perStage = []));
    const kept = this.reusable[stage.index] ? this.previous?.findings.get(rule)?.[stage.index] : undefined;
    if (kept) {
      perStage[stage.index] = kept;
      this.kept++;
      return kept;
    }
    this.computed++;
    const found = rule.checkStage(ctx, stage);
    perStage[stage.index] = this.keepable(found, stage) ? found : undefined;
    return found;
  }

  /** For the next version (undefined when nothing can be kept). */
  snapshot(): RuleCacheSnapshot | undefined {
    if (!this.enabled) return undefined;
    return {
      context: this.context,
      regions: this.regions,
      findings: this.findings,
      states: this.states,
      projectReads: this.reads.log,
      kept: this.kept,
      computed: this.computed,
      statesKept: this.statesKept,
      statesComputed: this.statesComputed,
    };
  }

  /** Every Dockerfile position the findings hold lies in the stage's dependencies or before the first FROM. */
  private keepable(found: readonly Finding[], stage: Stage): boolean {
    const inChain = (range: Range): boolean => {
      const { start, end } = range;
      if (end.line < this.regions[0].startLine) return true;
      return this.dependencies[stage.index].some((s) => {
        const r = this.regions[s.index];
        return start.line >= r.startLine && (end.line < r.endLine || (end.line === r.endLine && end.character === 0));
      });
    };
    return found.every((f) => f.file !== undefined || (inChain(f.range) && (f.fixes ?? []).every((fix) => fix.edits.every((e) => inChain(e.range)))));
  }
}
