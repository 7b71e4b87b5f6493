/**
 * Facts are computed once per check (every rule asks the same project object) and each source file is
 * lexed once per content: typing in the Dockerfile re-reads nothing, an edit in index.js re-lexes that
 * one file.
 */
import type { ProjectFiles } from '../project';
import { KeyMemo } from '../keyMemo';

// On the project object (the engine's per-check wrapper), not in a WeakMap: see keyMemo.ts.
const perProject = new KeyMemo<ProjectFiles, Map<string, unknown>>('perProject');

export function memoByProject<T>(project: ProjectFiles, key: string, compute: () => T): T {
  let map = perProject.get(project);
  if (!map) {
    map = new Map();
    perProject.set(project, map);
  }
  if (map.has(key)) return map.get(key) as T;
  const value = compute();
  map.set(key, value);
  return value;
}

/** Least recently used first; a few projects' worth of files. */
const byContent = new Map<string, { text: string; value: unknown }>();
const MAX_ENTRIES = 200;

export function memoByContent<T>(key: string, text: string, compute: () => T): T {
  const hit = byContent.get(key);
  if (hit && hit.text === text) {
    byContent.delete(key);
    byContent.set(key, hit);
    return hit.value as T;
  }
  const value = compute();
  byContent.delete(key);
  byContent.set(key, { text, value });
  if (byContent.size > MAX_ENTRIES) byContent.delete(byContent.keys().next().value as string);
  return value;
}
