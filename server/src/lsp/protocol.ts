/**
 * What the server and the VS Code client agree on beyond standard LSP. Kept free of imports so the
 * client bundle can share it without pulling in server code.
 */

/** `source` of every diagnostic, and the prefix of the fix-all code action kind. */
export const DIAGNOSTIC_SOURCE = 'dockerfile-coach';

/** Listed in `source.fixAll` so `editor.codeActionsOnSave: {"source.fixAll": ...}` picks it up. */
export const FIX_ALL_KIND = 'source.fixAll.dockerfileCoach';

/** Project files whose changes can change a check's result (the task detection and rules read them). */
export const WATCHED_FILES_GLOB =
  '**/{package.json,yarn.lock,package-lock.json,npm-shrinkwrap.json,pnpm-lock.yaml,.yarnrc.yml,.dockerignore,dockerfile-coach.json,go.mod,*.go,index.js,docker-compose.yml,docker-compose.yaml,compose.yml,compose.yaml}';

/** Sent by the server after each published check. */
export const TASK_STATUS_NOTIFICATION = 'dockerfileCoach/taskStatus';

export interface TaskStatusParams {
  uri: string;
  /** gate | scratch | distroless | generic */
  task: string;
  /** Title of the task, in the message language. */
  title: string;
  /** How the task was chosen: comment | config | setting | detected | default | override. */
  source: string;
  /** Why this task, in the message language. */
  reason: string;
}

/** Sets (task) or clears (null) a per-document task override; the document is re-checked. */
export const SET_TASK_REQUEST = 'dockerfileCoach/setTask';

export interface SetTaskParams {
  uri: string;
  task: string | null;
}

/** `initializationOptions` the VS Code client sends. Other editors may send none of it. */
export interface CoachInitializationOptions {
  /** The editor's display language (`vscode.env.language`), for `dockerfileCoach.language: auto`. */
  locale?: string;
  /** True when the client watches the project files itself (no dynamic registration needed). */
  watchesProjectFiles?: boolean;
}

/** The checklist of the task a Dockerfile is checked against, as Markdown in the message language. */
export const EXPLAIN_TASK_REQUEST = 'dockerfileCoach/explainTask';

export interface ExplainTaskParams {
  uri: string;
}

export interface ExplainTaskResult {
  markdown: string;
}
