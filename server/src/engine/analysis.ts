/**
 * The one analysis of a Dockerfile that every rule shares: computed once per document version.
 * Stages, instructions per stage, variables with Docker's scoping, shell commands of RUN, and the
 * project files around the Dockerfile.
 */
import { Dockerfile, Instruction, From, Arg, Env, Argument, Flag, Property } from 'dockerfile-ast';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from './types';
import { ImageRef, parseImageRef } from './image';
import { Expansion, Scope, ScopeSnapshot, VarValue, UNKNOWN, expand, known } from './variables';
import { ShellParse, moveShellParse, parseShellCommands } from './shell';
import { ProjectFiles, emptyProject } from './project';
import { ParseSnapshot, ParseStats, StageEnv, parseIncremental } from './incremental';
import { nodeTokens } from './parse';
import { ModifiableInstruction } from 'dockerfile-ast/lib/modifiableInstruction';
import { trimTrailing } from './text';

export interface Instr {
  node: Instruction;
  /** Upper-cased keyword. */
  keyword: string;
  index: number;
  /** Undefined for the global ARGs before the first FROM. */
  stage: Stage | undefined;
  range: Range;
  start: number;
  end: number;
}

export type Base =
  | { kind: 'scratch' }
  | { kind: 'stage'; stage: Stage }
  | { kind: 'image'; ref: ImageRef; text: string }
  /** Depends on a build argument whose value cannot be known. */
  | { kind: 'unknown'; text: string };

export interface Stage {
  index: number;
  /** Lower-cased, as Docker stores stage names. */
  name: string | undefined;
  from: From;
  fromInstr: Instr;
  /** Instructions after the FROM, up to the next FROM. */
  instructions: Instr[];
  base: Base;
  isFinal: boolean;
}

export type RootBase = { kind: 'scratch' } | { kind: 'image'; ref: ImageRef } | { kind: 'unknown' };

export interface EffectiveUser {
  /** The USER instruction in force, possibly inherited from a parent stage. */
  instr: Instr;
  value: Expansion;
}

/**
 * vscode-languageserver-textdocument computes a document's line starts char by char on first use (1%
 * of a 50-line check). Without a CR they are 0 and the position after each LF, which indexOf finds;
 * the document gets them before its first use. With a CR (or another version of the library, without
 * its `_lineOffsets` field) it computes them itself, as before. test/analysis.test.ts compares both.
 */
export function seedLineOffsets(doc: TextDocument, text: string): void {
  const fields = doc as unknown as { _lineOffsets?: number[]; _content?: string };
  if (!Object.prototype.hasOwnProperty.call(fields, '_lineOffsets') || fields._lineOffsets !== undefined || fields._content !== text || text.includes('\r')) return;
  const offsets = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) offsets.push(i + 1);
  fields._lineOffsets = offsets;
}

export class Analysis {
  readonly doc: TextDocument;
  readonly df: Dockerfile;
  readonly escape: string;
  readonly eol: '\n' | '\r\n';
  readonly instructions: Instr[] = [];
  readonly stages: Stage[] = [];
  readonly globalScope = new Map<string, VarValue>();
  private readonly shellCache = new Map<number, ShellParse>();
  /** This version's shell parses by instruction text, and the previous version's (see ParseSnapshot.shells). */
  private readonly shellsByText = new Map<string, { start: number; parse: ShellParse }>();
  private readonly previousShells: ReadonlyMap<string, { start: number; parse: ShellParse }> | undefined;
  private scopeCache = new Map<Stage, Map<number, Scope>>();

  /** What the parse re-parsed and reused (incremental.ts). */
  readonly parseStats: ParseStats;
  /** This version's parse, for the next version of the same document (`CheckInput.previous`). */
  readonly parseSnapshot: ParseSnapshot;

  /**
   * `previous`: an earlier version's analysis (or its `parseSnapshot`) of the same document; the parse
   * reuses its nodes where the text is unchanged (incremental.ts). The result is the same without it.
   */
  constructor(
    readonly text: string,
    readonly project: ProjectFiles = emptyProject(),
    readonly uri = 'file:///Dockerfile',
    previous?: Analysis | ParseSnapshot,
  ) {
    this.doc = TextDocument.create(uri, 'dockerfile', 0, text);
    seedLineOffsets(this.doc, text);
    // A lone CR is a line break for LSP clients but not for dockerfile-ast: give the parser the same lines.
    const parsed = text.replace(/\r(?!\n)/g, '\n');
    const prev = previous instanceof Analysis ? previous.parseSnapshot : previous;
    const { df, stats } = parseIncremental(parsed, this.doc, prev);
    this.df = df;
    this.parseStats = stats;
    this.parseSnapshot = { text: parsed, doc: this.doc, df, shells: this.shellsByText, envAtEnd: this.envByStage };
    this.escape = this.df.getEscapeCharacter();
    // Shell parses are keyed by the instruction's text alone: they hold for the same escape character.
    this.previousShells = prev && prev.df.getEscapeCharacter() === this.escape ? prev.shells : undefined;
    this.previousEnv = prev?.envAtEnd;
    this.eol = /\r\n/.test(text) ? '\r\n' : '\n';
    this.build();
  }

  get finalStage(): Stage | undefined {
    return this.stages[this.stages.length - 1];
  }

  offsetAt(pos: Range['start']): number {
    return this.doc.offsetAt(pos);
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.doc.positionAt(start), end: this.doc.positionAt(end) };
  }

  textOf(range: Range): string {
    return this.doc.getText(range);
  }

  lineText(line: number): string {
    const start = this.doc.offsetAt({ line, character: 0 });
    const end = line + 1 < this.doc.lineCount ? this.doc.offsetAt({ line: line + 1, character: 0 }) : this.text.length;
    return this.text.slice(start, end).replace(/(?:\r\n|\r|\n)$/, '');
  }

  stageByName(name: string): Stage | undefined {
    const lower = name.toLowerCase();
    return this.stages.find((s) => s.name === lower);
  }

  /** Variables visible to an instruction: its stage's ARG/ENV declared before it, and ENV inherited from a parent stage. */
  scopeAt(instr: Instr): Scope {
    const stage = instr.stage;
    if (!stage) return new Map(this.globalScope);
    let perStage = this.scopeCache.get(stage);
    if (!perStage) {
      perStage = this.computeStageScopes(stage);
      this.scopeCache.set(stage, perStage);
    }
    return perStage.get(instr.index) ?? new Map();
  }

  /**
   * The ENV values a stage hands to a stage built FROM it (per stage once). A stage wholly in the
   * unchanged start of the text, ending where it ended before, takes the previous version's: its
   * chain and the global ARGs are the same, so are its values, and a keystroke does not walk the
   * scopes of every stage below it. (The same end matters: a FROM typed below a stage's last line
   * leaves the text before it unchanged but takes the stage's later lines away.)
   */
  private envAtEnd(stage: Stage): ReadonlyMap<string, VarValue> {
    const known = this.envByStage[stage.index];
    if (known) return known.env;
    const end = this.stageEnd(stage);
    const kept = this.previousEnv?.[stage.index];
    let env: ReadonlyMap<string, VarValue>;
    if (kept && kept.end === end && end <= this.parseStats.samePrefix) {
      env = kept.env;
    } else {
      const scopes = this.scopeCache.get(stage) ?? this.computeStageScopes(stage);
      this.scopeCache.set(stage, scopes);
      const scope = scopes.get(-1);
      const made = new Map<string, VarValue>();
      // The parent's ENV names first, then this stage's: every ENV name of the chain, in order.
      if (stage.base.kind === 'stage') {
        for (const name of this.envAtEnd(stage.base.stage).keys()) {
          const v = scope?.get(name);
          if (v) made.set(name, v);
        }
      }
      for (const i of stage.instructions) {
        for (const p of this.envProperties(i)) {
          const v = scope?.get(p.getName());
          if (v) made.set(p.getName(), v);
        }
      }
      env = made;
    }
    this.envByStage[stage.index] = { end, env };
    return env;
  }
  /** Per stage index; the next version's `previousEnv` (ParseSnapshot.envAtEnd). */
  private readonly envByStage: StageEnv[] = [];
  private readonly previousEnv: readonly (StageEnv | undefined)[] | undefined;

  /** Where a stage's text ends: the start of the next FROM's line (the text's end for the last stage). */
  private stageEnd(stage: Stage): number {
    const next = this.stages[stage.index + 1];
    return next ? this.doc.offsetAt({ line: next.fromInstr.range.start.line, character: 0 }) : this.text.length;
  }

  private computeStageScopes(stage: Stage): Map<number, Scope> {
    const result = new Map<number, Scope>();
    const scope = new Map<string, VarValue>(stage.base.kind === 'stage' ? this.envAtEnd(stage.base.stage) : []);
    // Instructions between two ARG/ENV see the same variables: they share one (read-only) snapshot. A
    // snapshot is a base copied every 32 changes plus the changes since (shared lists, see ScopeSnapshot).
    let base = new Map(scope);
    let names: string[] = [];
    let values: VarValue[] = [];
    const set = (name: string, value: VarValue) => {
      scope.set(name, value);
      names.push(name);
      values.push(value);
      if (names.length > 32) {
        base = new Map(scope);
        names = [];
        values = [];
      }
    };
    let snapshot: Scope | undefined;
    const current = (): Scope => (snapshot ??= new ScopeSnapshot(base, names, values, names.length));
    result.set(stage.fromInstr.index, current());
    for (const instr of stage.instructions) {
      result.set(instr.index, current());
      if (instr.node instanceof Arg || instr.node instanceof Env) snapshot = undefined;
      if (instr.node instanceof Arg) {
        const prop = instr.node.getProperty();
        if (!prop) continue;
        const name = prop.getName();
        const raw = prop.getValue();
        if (raw !== null && prop.getAssignmentOperator() !== null) {
          set(name, this.valueOf(expand(raw, scope, this.escape)));
        } else if (!scope.has(name)) {
          // Re-declaring a global ARG brings its default into the stage; otherwise only --build-arg can set it.
          set(name, this.globalScope.get(name) ?? UNKNOWN);
        }
      } else if (instr.node instanceof Env) {
        for (const p of this.envProperties(instr)) {
          const raw = p.getValue() ?? '';
          set(p.getName(), this.valueOf(expand(raw, scope, this.escape)));
        }
      }
    }
    result.set(-1, current());
    return result;
  }

  private valueOf(e: Expansion): VarValue {
    return e.value === undefined ? UNKNOWN : known(e.value);
  }

  /** Expand variables in text as the builder would when running `instr`. */
  expandAt(instr: Instr, text: string): Expansion {
    return expand(text, this.scopeAt(instr), this.escape);
  }

  /** The shell commands of a RUN/CMD/ENTRYPOINT (split on operators, newlines and heredoc scripts). */
  shell(instr: Instr): ShellParse {
    let parsed = this.shellCache.get(instr.index);
    if (!parsed) {
      // The parse is a function of the instruction's text and the escape character only: an instruction
      // the edit did not touch takes the previous version's parse, moved to its new offset.
      const key = this.text.slice(instr.start, instr.end);
      const before = this.previousShells?.get(key);
      parsed = before ? moveShellParse(before.parse, instr.start - before.start) : parseShellCommands(this, instr);
      this.shellCache.set(instr.index, parsed);
      // The next version gets the kept entry itself, not the moved copy: the copy dies with this check
      // instead of surviving into the old generation on every keystroke.
      this.shellsByText.set(key, before ?? { start: instr.start, parse: parsed });
    }
    return parsed;
  }

  /**
   * Where the rest of the file is swallowed by the instruction before it (the end of an unterminated
   * heredoc's first line, or a last instruction ending in a line continuation), or undefined. Text
   * inserted there would join that instruction, so fixes must not write past it.
   */
  get swallowedFrom(): number | undefined {
    if (this.unclosedHeredoc === null) {
      this.unclosedHeredoc = undefined;
      const last = this.instructions[this.instructions.length - 1];
      if (last) {
        const tail = trimTrailing(this.text.slice(last.start, last.end), ' \t\r\n');
        if (tail.endsWith(this.escape)) this.unclosedHeredoc = last.start + tail.length;
      }
      for (const instr of this.instructions) {
        if (instr.keyword !== 'RUN' && instr.keyword !== 'COPY' && instr.keyword !== 'ADD') continue;
        if (this.heredocCount(instr) === 0) continue;
        const heredocs = (instr.node as unknown as { getHeredocs(): { getDelimiterRange(): unknown }[] }).getHeredocs();
        if (heredocs.some((h) => h.getDelimiterRange() === null)) {
          const firstLine = this.lineText(instr.range.start.line);
          this.unclosedHeredoc = Math.min(this.unclosedHeredoc ?? Infinity, this.doc.offsetAt({ line: instr.range.start.line, character: firstLine.length }));
          break;
        }
      }
    }
    return this.unclosedHeredoc;
  }
  private unclosedHeredoc: number | undefined | null = null;

  /** The external base at the bottom of a stage's FROM chain. */
  rootBase(stage: Stage): RootBase {
    const seen = new Set<Stage>();
    let s: Stage = stage;
    while (s.base.kind === 'stage' && !seen.has(s)) {
      seen.add(s);
      s = s.base.stage;
    }
    if (s.base.kind === 'scratch') return { kind: 'scratch' };
    if (s.base.kind === 'image') return { kind: 'image', ref: s.base.ref };
    return { kind: 'unknown' };
  }

  /** Stages this stage is built on, itself first. */
  chain(stage: Stage): Stage[] {
    const out: Stage[] = [];
    let s: Stage | undefined = stage;
    while (s && !out.includes(s)) {
      out.push(s);
      s = s.base.kind === 'stage' ? s.base.stage : undefined;
    }
    return out;
  }

  /** The last USER in force at the end of a stage, following FROM <stage> inheritance. */
  effectiveUser(stage: Stage): EffectiveUser | undefined {
    for (const s of this.chain(stage)) {
      const users = s.instructions.filter((i) => i.keyword === 'USER');
      const last = users[users.length - 1];
      if (last) {
        const raw = this.argsContent(last) ?? '';
        return { instr: last, value: this.expandAt(last, raw.trim()) };
      }
    }
    return undefined;
  }

  // dockerfile-ast rescans an instruction's text char by char on every getArguments() (and its
  // getArgumentsContent/Range, getFlags, getHeredocs call that again): rules share one result each.
  // The results are read-only: nothing may mutate them.
  private readonly argsMemo: Argument[][] = [];
  private readonly contentMemo: (string | null)[] = [];
  private readonly argsRangeMemo: (Range | null)[] = [];
  private readonly flagsMemo: Flag[][] = [];
  private readonly heredocCountMemo: number[] = [];

  /**
   * The instruction's arguments, as dockerfile-ast's getArguments() gives them (its tokens less the
   * flags), from the tokens the parse made.
   */
  args(instr: Instr): readonly Argument[] {
    return memo(this.argsMemo, instr.index, () => {
      const tokens = nodeTokens(instr.node);
      return instr.node instanceof ModifiableInstruction ? tokens.slice(instr.node.getFlags().length) : tokens;
    });
  }

  /** The text of the arguments with escaped newlines removed (getArgumentsContent(), computed once). */
  argsContent(instr: Instr): string | null {
    return memo(this.contentMemo, instr.index, () => {
      const range = this.argsRange(instr);
      if (range === null) return null;
      // Arguments on one line: dockerfile-ast's getArgumentsRanges() is that one range, and the content its text.
      if (range.start.line !== range.end.line) return instr.node.getArgumentsContent();
      const document = (instr.node as unknown as { document: TextDocument }).document;
      return document.getText().substring(document.offsetAt(range.start), document.offsetAt(range.end));
    });
  }

  /** From the first argument to the last (getArgumentsRange(), computed once). */
  argsRange(instr: Instr): Range | null {
    return memo(this.argsRangeMemo, instr.index, () => {
      const args = this.args(instr);
      return args.length === 0 ? null : { start: args[0].getRange().start, end: args[args.length - 1].getRange().end };
    });
  }

  /** An ENV's `name=value` pairs (getProperties(), computed once: it makes new Property objects each call); none for other instructions. */
  envProperties(instr: Instr): readonly Property[] {
    return memo(this.envPropertiesMemo, instr.index, () => (instr.node instanceof Env ? instr.node.getProperties() : []));
  }
  private readonly envPropertiesMemo: Property[][] = [];

  /** The `--name=value` flags of COPY/ADD/FROM/RUN...; none for other instructions. */
  flags(instr: Instr): readonly Flag[] {
    return memo(this.flagsMemo, instr.index, () => (instr.node as unknown as { getFlags?(): Flag[] }).getFlags?.() ?? []);
  }

  /** How many heredocs a RUN/COPY/ADD has (0 without a `<` in its text: getHeredocs() is costly). */
  heredocCount(instr: Instr): number {
    return memo(this.heredocCountMemo, instr.index, () => {
      if (!this.hasLessThan(instr.start, instr.end)) return 0;
      return (instr.node as unknown as { getHeredocs?(): unknown[] }).getHeredocs?.().length ?? 0;
    });
  }

  /** Is there a `<` in [start, end)? One scan of the text per version, then a binary search. */
  private hasLessThan(start: number, end: number): boolean {
    if (!this.lessThans) {
      this.lessThans = [];
      for (let i = this.text.indexOf('<'); i !== -1; i = this.text.indexOf('<', i + 1)) this.lessThans.push(i);
    }
    const lts = this.lessThans;
    let lo = 0;
    let hi = lts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lts[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    return lo < lts.length && lts[lo] < end;
  }
  private lessThans: number[] | undefined;

  private build(): void {
    const nodes = this.df.getInstructions();
    let current: Stage | undefined;
    nodes.forEach((node, index) => {
      const range = node.getRange();
      const instr: Instr = {
        node,
        keyword: node.getKeyword(),
        index,
        stage: undefined,
        range,
        start: this.doc.offsetAt(range.start),
        end: this.doc.offsetAt(range.end),
      };
      this.instructions.push(instr);
      if (node instanceof From) {
        current = {
          index: this.stages.length,
          name: node.getBuildStage()?.toLowerCase() ?? undefined,
          from: node,
          fromInstr: instr,
          instructions: [],
          base: this.resolveBase(node),
          isFinal: false,
        };
        instr.stage = current;
        this.stages.push(current);
        return;
      }
      if (!current) {
        if (node instanceof Arg) {
          const prop = node.getProperty();
          if (prop) {
            const raw = prop.getValue();
            this.globalScope.set(
              prop.getName(),
              raw !== null && prop.getAssignmentOperator() !== null ? this.valueOf(expand(raw, this.globalScope, this.escape)) : UNKNOWN,
            );
          }
        }
        return;
      }
      instr.stage = current;
      current.instructions.push(instr);
    });
    const last = this.stages[this.stages.length - 1];
    if (last) last.isFinal = true;
  }

  private resolveBase(from: From): Base {
    const raw = from.getImage() ?? '';
    const e = expand(raw, this.globalScope, this.escape);
    if (e.value === undefined) return { kind: 'unknown', text: raw };
    const text = e.value.trim();
    if (text.toLowerCase() === 'scratch') return { kind: 'scratch' };
    const stage = this.stageByName(text);
    if (stage) return { kind: 'stage', stage };
    const ref = parseImageRef(text);
    if (!ref) return { kind: 'unknown', text: raw };
    return { kind: 'image', ref, text };
  }
}

function memo<T>(cache: T[], index: number, compute: () => T): T {
  if (index in cache) return cache[index];
  const value = compute();
  cache[index] = value;
  return value;
}

export function analyze(text: string, project?: ProjectFiles, uri?: string, previous?: Analysis | ParseSnapshot): Analysis {
  return new Analysis(text, project, uri, previous);
}
