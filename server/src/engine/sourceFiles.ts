/**
 * Findings in other files than the Dockerfile (index.js, cmd/main.go, docker-compose.yml): their
 * paths, and fixing them in memory over a project (`fixAll`, the CLI's `--fix`).
 */
import * as path from 'path';
import { applyPreferredFixes } from './edits';
import type { ProjectFiles } from './project';
import type { Diagnostic } from './types';

/** `./cmd//main.go` and `cmd\main.go` both become `cmd/main.go`: one spelling per file, for grouping. */
export function normalizeRelPath(rel: string): string {
  return path.posix.normalize(rel.replace(/\\/g, '/')).replace(/^(\.\/)+/, '');
}

/** Diagnostics by file: `undefined` for the Dockerfile itself, else the relative path. */
export function groupByFile(diagnostics: readonly Diagnostic[]): Map<string | undefined, Diagnostic[]> {
  const groups = new Map<string | undefined, Diagnostic[]>();
  for (const d of diagnostics) {
    const list = groups.get(d.file);
    if (list) list.push(d);
    else groups.set(d.file, [d]);
  }
  return groups;
}

/** The project with some files' content replaced (fixed in memory, or open in an editor). */
export function overlayProject(base: ProjectFiles, overrides: ReadonlyMap<string, string>): ProjectFiles {
  if (overrides.size === 0) return base;
  const get = (rel: string) => overrides.get(normalizeRelPath(rel));
  return {
    dir: base.dir,
    workspaceRoot: base.workspaceRoot,
    read: (rel) => get(rel) ?? base.read(rel),
    exists: (rel) => get(rel) !== undefined || base.exists(rel),
    list: (rel) => base.list(rel),
  };
}

/**
 * Apply the preferred fixes of the diagnostics reported in other files, each file in its own text
 * (`files` holds what earlier rounds already changed). Returns whether any file changed.
 */
export function applySourceFixes(base: ProjectFiles, files: Map<string, string>, diagnostics: readonly Diagnostic[]): boolean {
  let changed = false;
  for (const [file, group] of groupByFile(diagnostics)) {
    if (file === undefined) continue;
    const current = files.get(file) ?? base.read(file);
    if (current === undefined) continue;
    let next: string;
    try {
      next = applyPreferredFixes(current, group).text;
    } catch {
      // Overlapping edits from a broken rule: leave the file as it is rather than corrupt it.
      continue;
    }
    if (next !== current) {
      files.set(file, next);
      changed = true;
    }
  }
  return changed;
}
