import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ProjectFiles } from './project';
import type { Diagnostic, ResolvedFix, TextEdit } from './types';
import { pushAll } from './arrays';

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
  const touched = new Set<string>();
  const applied: ResolvedFix[] = [];
  for (const d of diagnostics) {
    const fix = preferredFix(d);
    const others = (fix?.otherFiles ?? []).map((c) => otherFileKey(c.file));
    // A fix may change only other files (create .dockerignore): it still counts.
    if (!fix || (fix.edits.length === 0 && others.length === 0)) continue;
    const offs = toOffsets(doc, fix.edits);
    if (offs.some((o) => chosen.some((c) => overlaps(o, c)))) continue;
    // Two fixes that change one other file (two appends to .dockerignore) would collide: the later waits a round.
    if (others.some((f) => touched.has(f))) continue;
    pushAll(chosen, offs);
    others.forEach((f) => touched.add(f));
    applied.push(fix);
  }
  return { text: applyEdits(text, applied.flatMap((f) => f.edits)), applied };
}

const otherFileKey = (rel: string): string => path.posix.normalize(rel.replace(/\\/g, '/')).replace(/^(\.\/)+/, '');

/**
 * Apply the `otherFiles` of applied fixes in memory: `files` maps a path (relative to the Dockerfile's
 * folder) to its new content. `create` only when the file exists neither on `base` nor in `files`;
 * `edits` to the current content. Returns whether anything changed.
 */
export function applyOtherFiles(base: ProjectFiles, files: Map<string, string>, fixes: readonly ResolvedFix[]): boolean {
  let changed = false;
  for (const change of fixes.flatMap((f) => f.otherFiles ?? [])) {
    const file = otherFileKey(change.file);
    const current = files.get(file) ?? base.read(file);
    if (change.create !== undefined) {
      if (current !== undefined || base.exists(file)) continue;
      files.set(file, change.create);
      changed = true;
    } else if (change.edits && change.edits.length > 0 && current !== undefined) {
      let next: string;
      try {
        next = applyEdits(current, change.edits);
      } catch {
        continue;
      }
      if (next !== current) {
        files.set(file, next);
        changed = true;
      }
    }
  }
  return changed;
}
