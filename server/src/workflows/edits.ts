/** Text edits on workflow YAML: whole steps replaced, removed or inserted, keeping the indentation. */
import type { Node } from 'yaml';
import type { TextEdit } from '../engine/types';
import type { Step, Workflow } from './model';

/** Start and end offsets of a node without the trailing blank lines and comments yaml counts in. */
export function nodeSpan(wf: Workflow, node: Node): [number, number] {
  const [start, valueEnd] = node.range ?? [0, 0];
  let end = valueEnd;
  while (end > start && /\s/.test(wf.text[end - 1])) end--;
  return [start, end];
}

/** The step's `- ` sits alone before it on its line (block sequence): the step owns whole lines. */
function dashLine(wf: Workflow, step: Step): number | undefined {
  const [start] = nodeSpan(wf, step.node);
  const lineStart = wf.lineStart(start);
  return /^\s*-\s+$/.test(wf.text.slice(lineStart, start)) ? lineStart : undefined;
}

export function replaceStep(wf: Workflow, step: Step, body: string): TextEdit | undefined {
  if (dashLine(wf, step) === undefined) return undefined;
  const [start, end] = nodeSpan(wf, step.node);
  const indent = ' '.repeat(wf.column(step.node));
  return { range: wf.range(start, end), newText: body.split('\n').join('\n' + indent) };
}

export function deleteStep(wf: Workflow, step: Step): TextEdit | undefined {
  const from = dashLine(wf, step);
  if (from === undefined) return undefined;
  const [, end] = nodeSpan(wf, step.node);
  return { range: wf.range(from, wf.lineEnd(end)), newText: '' };
}

/** Insert a step (YAML of a map, no dash) right before another step of the same list. */
export function insertStepBefore(wf: Workflow, step: Step, body: string): TextEdit | undefined {
  const from = dashLine(wf, step);
  if (from === undefined) return undefined;
  const [start] = nodeSpan(wf, step.node);
  const dash = wf.text.slice(from, start);
  const indent = ' '.repeat(dash.length);
  return { range: wf.range(from, from), newText: dash + body.split('\n').join('\n' + indent) + '\n' };
}

/** Insert lines (relative indentation) before the line of `offset`, indented to `column`. */
export function insertLinesBefore(wf: Workflow, offset: number, column: number, lines: string[]): TextEdit {
  const at = wf.lineStart(offset);
  const indent = ' '.repeat(column);
  return { range: wf.range(at, at), newText: lines.map((l) => indent + l + '\n').join('') };
}
