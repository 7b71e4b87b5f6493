/**
 * Facts are computed once per check (every rule asks the same project object), and taken over from an
 * earlier check while every project question they asked gets the same answer; each source file is
 * lexed once per content: typing in the Dockerfile re-reads nothing, an edit in index.js re-lexes that
 * one file.
 */
import type { ProjectFiles } from '../project';
import { KeyMemo } from '../keyMemo';
import { ProjectLog, ProjectReads } from '../ruleCache';

// On the project object (the engine's per-check wrapper), not in a WeakMap: see keyMemo.ts.
const perProject = new KeyMemo<ProjectFiles, Map<string, unknown>>('perProject');

/**
 * `compute(project)` once per check, and the same value as an earlier check's while the project answers
 * every question that computation asked the same (the questions are asked again, through `project`, so
 * the engine's ProjectReads sees them). The value is frozen, deeply: checks share it, so nothing may
 * change it. Facts hold file names, offsets and ranges, never objects of one analysis.
 */
export function memoByProject<T>(project: ProjectFiles, key: string, compute: (project: ProjectFiles) => T): T {
  let map = perProject.get(project);
  if (!map) {
    map = new Map();
    perProject.set(project, map);
  }
  if (map.has(key)) return map.get(key) as T;
  const scope = `${project.dir ?? ''}\0${project.workspaceRoot ?? ''}\0${key}`;
  let entry = acrossChecks.get(scope);
  if (!entry || !ProjectReads.replay(project, entry.asked)) {
    // The rule cache's record of questions and answers, here for one computation.
    const reads = new ProjectReads();
    entry = { asked: reads.log, value: deepFreeze(compute(reads.wrap(project))) };
  }
  acrossChecks.delete(scope);
  acrossChecks.set(scope, entry);
  if (acrossChecks.size > MAX_ENTRIES) acrossChecks.delete(acrossChecks.keys().next().value as string);
  map.set(key, entry.value);
  return entry.value as T;
}

/** Per project folder and key, least recently used first. */
const acrossChecks = new Map<string, { asked: ProjectLog; value: unknown }>();

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value as object)) deepFreeze(v);
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
