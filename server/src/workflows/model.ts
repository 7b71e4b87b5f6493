/**
 * A GitHub Actions workflow parsed once (with the `yaml` package, which keeps source offsets) into the
 * few things the workflow rules read: triggers, env, permissions, jobs and their steps.
 */
import { Document, Node, Pair, Scalar, YAMLMap, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Range } from '../engine/types';

export interface Step {
  node: YAMLMap;
  uses?: Scalar;
  run?: Scalar;
  /** The `run` script as YAML reads it. */
  script: string;
  env: Record<string, string>;
  with: Record<string, string>;
  withNode?: YAMLMap;
}

export interface Job {
  id: string;
  key: Scalar;
  node: YAMLMap;
  env: Record<string, string>;
  permissions?: Pair;
  steps: Step[];
}

/**
 * The YAML document, with its errors as plain records: the model only asks whether there are any. The
 * yaml package makes an Error per problem, with the problem's line copied and searched for its context
 * (`prettyErrors`) and a stack trace captured; a line of 100,000 `}` is 100,000 problems, which took
 * 26 s. Without the context and the traces, 1 s.
 */
function parseQuietly(text: string): Document.Parsed {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseDocument(text, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export class Workflow {
  readonly doc: Document.Parsed;
  readonly ok: boolean;
  readonly on?: Pair;
  readonly env: Record<string, string>;
  readonly permissions?: Pair;
  readonly jobs: Job[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
    this.doc = parseQuietly(text);
    const root = this.doc.contents;
    this.ok = this.doc.errors.length === 0 && isMap(root);
    this.env = {};
    if (!this.ok || !isMap(root)) return;
    this.on = pair(root, 'on') ?? pair(root, 'true');
    this.env = strings(get(root, 'env'));
    this.permissions = pair(root, 'permissions');
    const jobs = get(root, 'jobs');
    if (!isMap(jobs)) return;
    for (const p of jobs.items) {
      if (!isScalar(p.key) || !isMap(p.value)) continue;
      const node = p.value;
      const stepsNode = get(node, 'steps');
      const steps: Step[] = [];
      if (isSeq(stepsNode)) {
        for (const s of stepsNode.items) {
          if (!isMap(s)) continue;
          const uses = get(s, 'uses');
          const run = get(s, 'run');
          const w = get(s, 'with');
          steps.push({
            node: s,
            uses: isScalar(uses) ? uses : undefined,
            run: isScalar(run) ? run : undefined,
            script: isScalar(run) ? String(run.value ?? '') : '',
            env: strings(get(s, 'env')),
            with: strings(w),
            withNode: isMap(w) ? w : undefined,
          });
        }
      }
      this.jobs.push({ id: String(p.key.value), key: p.key, node, env: strings(get(node, 'env')), permissions: pair(node, 'permissions'), steps });
    }
  }

  position(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.lineStarts[lo] };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  /** The range of a node's value (without trailing comments and newlines). */
  nodeRange(node: Node): Range {
    const [start, valueEnd] = node.range ?? [0, 0];
    let end = valueEnd;
    while (end > start && /\s/.test(this.text[end - 1])) end--;
    return this.range(start, end);
  }

  lineStart(offset: number): number {
    return this.lineStarts[this.position(offset).line];
  }

  /** Offset just past the end of the line holding `offset` (after its newline). */
  lineEnd(offset: number): number {
    const line = this.position(offset).line;
    return line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
  }

  column(node: Node): number {
    return this.position(node.range?.[0] ?? 0).character;
  }

  /** The raw source of a node, as typed. */
  source(node: Node): string {
    const [start, end] = node.range ?? [0, 0];
    return this.text.slice(start, end);
  }
}

export function get(node: unknown, key: string): unknown {
  return isMap(node) ? pair(node, key)?.value : undefined;
}

export function pair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
}

function strings(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isMap(node)) return out;
  for (const p of node.items) if (isScalar(p.key) && isScalar(p.value)) out[String(p.key.value)] = String(p.value.value ?? '');
  return out;
}

export const usesAction = (step: Step, action: string): boolean => {
  const v = step.uses ? String(step.uses.value ?? '') : '';
  return v.toLowerCase().split('@')[0] === action;
};

/** `docker build`, `docker image build`, `docker buildx build` / `docker builder build` in a script. */
export const DOCKER_BUILD = /\bdocker\s+(?:image\s+)?build\b/;
export const DOCKER_BUILDX = /\bdocker\s+(?:buildx|builder)\b/;

/** Steps that build an image of the workspace. */
export function buildsImage(step: Step): boolean {
  return usesAction(step, 'docker/build-push-action') || DOCKER_BUILD.test(step.script) || /\bdocker\s+buildx\s+build\b/.test(step.script);
}

export function workflowBuilds(wf: Workflow): boolean {
  return wf.jobs.some((j) => j.steps.some(buildsImage));
}
