import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, ResolvedFix, TextEdit } from './types';

interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

function toOffsets(doc: TextDocument, edits: TextEdit[]): OffsetEdit[] {
  return edits.map((e) => ({ start: doc.offsetAt(e.range.start), end: doc.offsetAt(e.range.end), newText: e.newText }));
}

function overlaps(a: OffsetEdit, b: OffsetEdit): boolean {
  // Two insertions at the same point conflict too: their order would be arbitrary.
  return a.start < b.end && b.start < a.end ? true : a.start === b.start && (a.start === a.end || b.start === b.end);
}

/** Apply non-overlapping edits to a text; throws on overlapping edits (a fix must never corrupt a file). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const doc = TextDocument.create('file:///x', 'dockerfile', 0, text);
  const sorted = toOffsets(doc, edits).sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end) throw new Error('overlapping edits');
  }
  let out = '';
  let last = 0;
  for (const e of sorted) {
    out += text.slice(last, e.start) + e.newText;
    last = e.end;
  }
  return out + text.slice(last);
}

/** The fix `--fix` and "fix all" apply for a diagnostic: the preferred one, else the first. */
export function preferredFix(d: Diagnostic): ResolvedFix | undefined {
  return d.fixes.find((f) => f.preferred) ?? d.fixes[0];
}

/**
 * Apply the preferred fix of every diagnostic whose edits do not collide with an earlier one.
 * Returns the new text and the fixes applied (skipped ones are left for the next round).
 */
export function applyPreferredFixes(text: string, diagnostics: Diagnostic[]): { text: string; applied: ResolvedFix[] } {
  const doc = TextDocument.create('file:///x', 'dockerfile', 0, text);
  const chosen: OffsetEdit[] = [];
  const applied: ResolvedFix[] = [];
  for (const d of diagnostics) {
    const fix = preferredFix(d);
    if (!fix || fix.edits.length === 0) continue;
    const offs = toOffsets(doc, fix.edits);
    if (offs.some((o) => chosen.some((c) => overlaps(o, c)))) continue;
    chosen.push(...offs);
    applied.push(fix);
  }
  return { text: applyEdits(text, applied.flatMap((f) => f.edits)), applied };
}
