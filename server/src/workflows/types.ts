import type { Finding, LocalizedText, Severity } from '../engine/types';
import type { Job, Workflow } from './model';

export interface WorkflowRuleContext {
  workflow: Workflow;
  /** The jobs that build an image (with build-push-action or `docker build`). */
  buildJobs: Job[];
}

/** Like the Dockerfile rules' `Rule`, for `.github/workflows/*.yml`. */
export interface WorkflowRule {
  id: string;
  title: LocalizedText;
  defaultSeverity: Severity;
  messages: Record<string, LocalizedText>;
  check(ctx: WorkflowRuleContext): Finding[];
}
