/**
 * Build and run: `docker run --rm` of the built image in the foreground, with the task's port on
 * 127.0.0.1 and its variables. No VS Code here; the terminal in VS Code shows `onLine`.
 */
import { randomBytes } from 'crypto';
import type { TaskName } from '../../../server/src/engine/types';
import { Docker, LABEL, SESSION_LABEL } from './dockerCli';
import { Failure, classify, redact } from './failures';
import { displayCommand } from './process';
import { TASK_RUNTIME } from './taskSpec';

export interface RunRequest {
  docker: Docker;
  tag: string;
  task: TaskName;
  /** Values of the task's variables; they reach docker through its environment only. */
  env: Record<string, string>;
  /** Arguments after the image (compose's `command:`). */
  command?: string[];
  /** Overrides the task's ports (generic: the image's first EXPOSE). */
  containerPort?: number;
  hostPort?: number;
  /** Named volume for the task's volume path (scratch: uploads survive between runs). */
  volume?: string;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Names the container (`dfcoach-<session>-run`); random by default. */
  session?: string;
}

export interface RunOutcome {
  code: number | null;
  /** What went wrong starting it (busy port, no image, no daemon), in words to act on. */
  failure?: Failure;
  /** Stopped by the user (Ctrl+C, closing the terminal). */
  stopped: boolean;
}

export interface RunHandle {
  /** The container's name: `docker stop` it, `docker logs` it. */
  name: string;
  /** As shown in the terminal: `-e NAME` without values. */
  commandLine: string;
  done: Promise<RunOutcome>;
  /** Stops the container (docker stop, then rm -f) and waits for the end. */
  stop(): Promise<RunOutcome>;
}

export function runArgs(req: RunRequest, name: string, session: string): string[] {
  const spec = TASK_RUNTIME[req.task];
  const containerPort = req.containerPort ?? spec.containerPort;
  const hostPort = req.hostPort ?? spec.hostPort ?? containerPort;
  const args = ['run', '--rm', '--name', name, '--label', `${LABEL}=run`, '--label', `${SESSION_LABEL}=${session}`];
  if (containerPort) args.push('-p', `127.0.0.1:${hostPort}:${containerPort}`);
  if (spec.volumePath && req.volume) args.push('-v', `${req.volume}:${spec.volumePath}`);
  // The name only: docker copies the value from its own environment, so no value is on a command line.
  for (const name of Object.keys(req.env)) args.push('-e', name);
  args.push(req.tag, ...(req.command ?? []));
  return args;
}

export function startRun(req: RunRequest): RunHandle {
  const session = req.session ?? randomBytes(4).toString('hex');
  const name = `dfcoach-${session}-run`;
  const args = runArgs(req, name, session);
  const docker = req.docker;
  docker.secrets = [...new Set([...docker.secrets, ...Object.values(req.env).filter((v) => v.length >= 3)])];
  const abort = new AbortController();
  let stopped = false;
  const done = (async (): Promise<RunOutcome> => {
    const result = await docker.exec(args, {
      extraEnv: req.env,
      onStdoutLine: (l) => req.onLine?.(redact(l, docker.secrets), 'stdout'),
      onStderrLine: (l) => req.onLine?.(redact(l, docker.secrets), 'stderr'),
      signal: abort.signal,
    });
    // `--rm` removes it when it ends; a container that never started (busy port) may be left "Created".
    await docker.remove({ containers: [name] }).catch(() => undefined);
    await docker.removeSession(session).catch(() => undefined);
    if (stopped) return { code: result.code, stopped: true };
    const failure = result.code === 0 ? undefined : classify({ ...result, aborted: false }, docker.context(args, { image: req.tag, port: req.hostPort ?? TASK_RUNTIME[req.task].hostPort }));
    // The program's own exit code (1-124) is not a docker failure: its output is above it.
    const own = result.code !== null && result.code > 0 && result.code < 125 && !result.spawnError;
    return { code: result.code, failure: own ? undefined : failure, stopped: false };
  })();
  return {
    name,
    commandLine: redact(displayCommand(docker.command, args), docker.secrets),
    done,
    async stop() {
      stopped = true;
      await docker.exec(['stop', '-t', '10', name], { timeoutMs: 20000 });
      abort.abort();
      return done;
    },
  };
}
