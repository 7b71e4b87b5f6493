/**
 * Facts are computed once per check (every rule asks the same project object), and taken over from an
 * earlier check while every project question they asked gets the same answer; each source file is
 * lexed once per content: typing in the Dockerfile re-reads nothing, an edit in index.js re-lexes that
 * one file.
 */
import type { ProjectFiles } from '../project';
import { KeyMemo } from '../keyMemo';

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
  const earlier = acrossChecks.get(scope);
  let value: T;
  if (earlier && answersSame(project, earlier.asked)) {
    value = earlier.value as T;
    acrossChecks.delete(scope);
    acrossChecks.set(scope, earlier);
  } else {
    const asked: Question[] = [];
    value = deepFreeze(compute(recording(project, asked)));
    acrossChecks.delete(scope);
    acrossChecks.set(scope, { asked, value });
    if (acrossChecks.size > MAX_ENTRIES) acrossChecks.delete(acrossChecks.keys().next().value as string);
  }
  map.set(key, value);
  return value;
}

type Question = { kind: 'read'; rel: string; answer: string | undefined } | { kind: 'exists'; rel: string; answer: boolean } | { kind: 'list'; rel: string; answer: readonly string[] };

/** Per project folder and key, least recently used first. */
const acrossChecks = new Map<string, { asked: readonly Question[]; value: unknown }>();

/** `project`, writing down each question and its answer. */
function recording(project: ProjectFiles, asked: Question[]): ProjectFiles {
  return {
    dir: project.dir,
    workspaceRoot: project.workspaceRoot,
    read: (rel) => {
      const answer = project.read(rel);
      asked.push({ kind: 'read', rel, answer });
      return answer;
    },
    exists: (rel) => {
      const answer = project.exists(rel);
      asked.push({ kind: 'exists', rel, answer });
      return answer;
    },
    list: (rel) => {
      const answer = project.list(rel);
      asked.push({ kind: 'list', rel, answer: [...answer] });
      return answer;
    },
  };
}

function answersSame(project: ProjectFiles, asked: readonly Question[]): boolean {
  for (const q of asked) {
    if (q.kind === 'read' && project.read(q.rel) !== q.answer) return false;
    if (q.kind === 'exists' && project.exists(q.rel) !== q.answer) return false;
    if (q.kind === 'list') {
      const now = project.list(q.rel);
      if (now.length !== q.answer.length || now.some((x, i) => x !== q.answer[i])) return false;
    }
  }
  return true;
}

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
