/**
 * The workflow engine: `.github/workflows/*.yml` files that build the workspace's Dockerfile, checked
 * against the course's "GitHub Actions and GHCR" rules. Same Diagnostic type as the Dockerfile engine.
 */
import { DEFAULT_DOCS_BASE, format } from '../engine/engine';
import { applyPreferredFixes } from '../engine/edits';
import type { Diagnostic, Finding, Lang, Level, Severity } from '../engine/types';
import { Workflow, buildsImage } from './model';
import { WORKFLOW_RULES } from './rules';
import type { WorkflowRule } from './types';

export interface WorkflowCheckInput {
  text: string;
  lang?: Lang;
  docsBase?: string;
  /** Per-rule level: the `dockerfileCoach.rules` setting and dockerfile-coach.json's `rules` (workflows/config.ts). */
  settingLevels?: Record<string, Level>;
  rules?: readonly WorkflowRule[];
}

export interface WorkflowCheckResult {
  diagnostics: Diagnostic[];
  /** Whether the workflow builds an image at all (others get no findings). */
  builds: boolean;
}

/** Is this path (or URI) a GitHub Actions workflow file? */
export const isWorkflowPath = (p: string): boolean => /(?:^|[\\/])\.github[\\/]workflows[\\/][^\\/]+\.ya?ml$/i.test(p);

export function checkWorkflow(input: WorkflowCheckInput): WorkflowCheckResult {
  const lang = input.lang ?? 'en';
  const docsBase = input.docsBase ?? DEFAULT_DOCS_BASE;
  const workflow = new Workflow(input.text);
  if (!workflow.ok) return { diagnostics: [], builds: false };
  const buildJobs = workflow.jobs.filter((j) => j.steps.some(buildsImage));
  const diagnostics: Diagnostic[] = [];
  for (const rule of input.rules ?? WORKFLOW_RULES) {
    const level = input.settingLevels?.[rule.id] ?? rule.defaultSeverity;
    if (level === 'off') continue;
    let findings: Finding[];
    try {
      findings = rule.check({ workflow, buildJobs });
    } catch (e) {
      console.error(`dockerfile-coach: workflow rule ${rule.id} threw: ${(e as Error).stack ?? e}`);
      continue;
    }
    for (const f of findings) {
      const message = rule.messages[f.messageId];
      diagnostics.push({
        ruleId: rule.id,
        messageId: f.messageId,
        severity: (f.severity ?? level) as Severity,
        message: message ? format(message, lang, f.data) : f.messageId,
        range: f.range,
        fixes: (f.fixes ?? []).map((fix, i) => ({ title: format(fix.title, lang, f.data), edits: fix.edits, preferred: fix.preferred ?? i === 0 })),
        docs: `${docsBase}${rule.id}.md`,
      });
    }
  }
  diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId));
  return { diagnostics, builds: buildJobs.length > 0 };
}

/** Apply every preferred fix, re-check, repeat until nothing changes (`--fix`). */
export function fixWorkflow(input: WorkflowCheckInput, maxRounds = 10): { text: string; rounds: number; result: WorkflowCheckResult } {
  let text = input.text;
  let result = checkWorkflow(input);
  let rounds = 0;
  while (rounds < maxRounds) {
    const { text: next, applied } = applyPreferredFixes(text, result.diagnostics);
    if (applied.length === 0 || next === text) break;
    text = next;
    rounds++;
    result = checkWorkflow({ ...input, text });
  }
  return { text, rounds, result };
}
