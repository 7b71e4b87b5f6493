/**
 * A check run in a worker thread and given up after a time limit, for the tests of inputs that once
 * took quadratic or exponential time: a synchronous check in the test's own thread cannot be stopped,
 * so its test would take as long as the check (days, for the exponential one) instead of failing.
 * The limit is a guard against a hang, far above the time the check takes; it measures nothing.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { checkDockerfile, CheckInput } from '../server/src/engine/engine';
import { memoryProject } from '../server/src/engine/project';
import { checkWorkflow, WorkflowCheckInput } from '../server/src/workflows/engine';

type Job = { kind: 'dockerfile'; input: CheckInput; projectFiles?: Record<string, string> } | { kind: 'workflow'; input: WorkflowCheckInput };

/** What the tests look at: the rule ids of the diagnostics, and whether the workflow builds. */
export interface Outcome {
  ruleIds: string[];
  builds?: boolean;
}

export function checkInWorker(job: Job, limitMs = 60_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: job });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`the check did not finish within ${limitMs / 1000} s`));
    }, limitMs);
    worker.once('message', (outcome: Outcome) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

if (!isMainThread && parentPort) {
  const job = workerData as Job;
  if (job.kind === 'workflow') {
    const result = checkWorkflow(job.input);
    parentPort.postMessage({ ruleIds: result.diagnostics.map((d) => d.ruleId), builds: result.builds } satisfies Outcome);
  } else {
    // A project does not cross to the worker (it holds functions): its files do.
    const input = job.projectFiles ? { ...job.input, project: memoryProject(job.projectFiles) } : job.input;
    parentPort.postMessage({ ruleIds: checkDockerfile(input).diagnostics.map((d) => d.ruleId) } satisfies Outcome);
  }
}
