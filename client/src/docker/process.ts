/**
 * Child processes for the docker commands, without VS Code. Arguments always go as an array and never
 * through a shell, so folder names, tags and values with spaces, quotes or `;` stay single arguments.
 */
import { spawn, SpawnOptions } from 'child_process';

export interface RunOptions {
  cwd?: string;
  /** The whole environment of the child (not merged here). */
  env?: NodeJS.ProcessEnv;
  /** Kill the process (SIGTERM, then SIGKILL) after this many ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Each complete line of stdout / stderr, as it arrives (for the terminal and the build parser). */
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** Raw chunks, for callers that stream binary output (docker cp) or want the exact bytes. */
  onStdoutData?: (chunk: Buffer) => void;
  /** Stop buffering stdout in the result (large binary output). */
  discardStdout?: boolean;
  input?: string | Buffer;
  /** Tests only: run as another user (root can drop to nobody to meet a socket's permissions). */
  uid?: number;
  gid?: number;
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Set when the process could not start at all (ENOENT: not installed, EACCES: not executable). */
  spawnError?: NodeJS.ErrnoException;
  timedOut: boolean;
  aborted: boolean;
}

/** Splits a byte stream into lines; `\r` progress redraws count as line ends too. */
export class LineSplitter {
  private rest = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: string): void {
    const text = this.rest + chunk;
    const parts = text.split(/\r\n|\n|\r/);
    this.rest = parts.pop() ?? '';
    for (const p of parts) this.onLine(p);
  }
  end(): void {
    if (this.rest) this.onLine(this.rest);
    this.rest = '';
  }
}

/** Runs a command to its end. Never rejects: failures are in the result. */
export function runProcess(command: string, args: readonly string[], opts: RunOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const spawnOpts: SpawnOptions = { cwd: opts.cwd, env: opts.env, shell: false, windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'] };
    if (opts.uid !== undefined) spawnOpts.uid = opts.uid;
    if (opts.gid !== undefined) spawnOpts.gid = opts.gid;
    let child;
    const result: ProcessResult = { code: null, signal: null, stdout: '', stderr: '', timedOut: false, aborted: false };
    try {
      child = spawn(command, [...args], spawnOpts);
    } catch (e) {
      resolve({ ...result, spawnError: e as NodeJS.ErrnoException });
      return;
    }
    const out = new LineSplitter((l) => opts.onStdoutLine?.(l));
    const err = new LineSplitter((l) => opts.onStderrLine?.(l));
    child.stdout!.on('data', (d: Buffer) => {
      opts.onStdoutData?.(d);
      const s = d.toString('utf8');
      if (!opts.discardStdout) result.stdout += s;
      out.push(s);
    });
    child.stderr!.on('data', (d: Buffer) => {
      const s = d.toString('utf8');
      result.stderr += s;
      err.push(s);
    });
    // A child that exits before reading its input must not crash us with EPIPE.
    child.stdin!.on('error', () => undefined);
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin!.end();

    let killTimer: NodeJS.Timeout | undefined;
    const kill = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 3000);
    };
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          result.timedOut = true;
          kill();
        }, opts.timeoutMs)
      : undefined;
    const onAbort = () => {
      result.aborted = true;
      kill();
    };
    if (opts.signal) {
      if (opts.signal.aborted) onAbort();
      else opts.signal.addEventListener('abort', onAbort, { once: true });
    }
    let settled = false;
    const finish = (patch: Partial<ProcessResult>) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      out.end();
      err.end();
      resolve({ ...result, ...patch });
    };
    child.on('error', (e: NodeJS.ErrnoException) => finish({ spawnError: e }));
    // 'close' (not 'exit'): all output has been read by then.
    child.on('close', (code, signal) => finish({ code, signal }));
  });
}

/** The environment for docker: the caller's, plus what must be set (DOCKER_BUILDKIT=0, secret values). */
export function dockerEnv(base: NodeJS.ProcessEnv, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** How a command line is shown to the user: quoted for a POSIX shell, so it can be copied; never holds secret values. */
export function displayCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map(shellQuote).join(' ');
}

export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
