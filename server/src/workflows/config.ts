/**
 * dockerfile-coach.json for a workflow: one lookup for the CLI and the language server, so both apply
 * the same `rules` levels to `.github/workflows/*.yml` and report an invalid file the same way.
 */
import * as path from 'path';
import { ENGINE_IDS, MESSAGES, format } from '../engine/engine';
import type { ProjectFiles } from '../engine/project';
import { readConfig } from '../engine/tasks';
import type { Diagnostic, Lang, Level } from '../engine/types';

export interface WorkflowConfig {
  /** The `rules` of the file (undefined: no file, no `rules`, or an invalid file). */
  levels?: Record<string, Level>;
  /** A `coach-config` warning when the file is not valid (its levels are then ignored); else empty. */
  diagnostics: Diagnostic[];
}

/**
 * The `rules` levels of dockerfile-coach.json for a workflow: the file in its repository (the folder
 * holding `.github`), else the one at the workspace root (the folder the CLI was given, the editor's
 * workspace folder), as for a Dockerfile at the repository root. `project` is the project around the
 * workflow file: `dir` its folder (`.github/workflows`), `workspaceRoot` the workspace; a workspace that
 * does not hold the repository (a workflow file given to the CLI directly) counts as the repository.
 */
export function workflowConfig(project: ProjectFiles, lang: Lang, docsBase: string): WorkflowConfig {
  if (project.dir === undefined) return { diagnostics: [] };
  const dir = project.dir;
  const repo = path.resolve(dir, '..', '..');
  const workspace = project.workspaceRoot !== undefined && isInside(repo, project.workspaceRoot) ? path.resolve(project.workspaceRoot) : repo;
  const fromWorkflow = (rel: string) => path.relative(dir, path.resolve(repo, rel));
  // The same files, seen from the repository, read through the caller's cache.
  const atRepo: ProjectFiles = {
    dir: repo,
    workspaceRoot: workspace,
    read: (rel) => project.read(fromWorkflow(rel)),
    exists: (rel) => project.exists(fromWorkflow(rel)),
    list: (rel) => project.list(fromWorkflow(rel)),
  };
  const { config, error } = readConfig(atRepo);
  if (!error) return { levels: config?.rules, diagnostics: [] };
  const at = { line: 0, character: 0 };
  return {
    diagnostics: [
      {
        ruleId: ENGINE_IDS.config,
        severity: 'warning',
        message: format(MESSAGES.badConfig, lang, { file: error.file.split(path.sep).join('/'), error: error.message }),
        range: { start: at, end: { ...at } },
        fixes: [],
        docs: `${docsBase}${ENGINE_IDS.config}.md`,
      },
    ],
  };
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(path.resolve(parent), path.resolve(child));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
