/**
 * The docker command line, as the course uses it: the legacy builder (DOCKER_BUILDKIT=0), `docker run`,
 * inspect, history, top, cp. No VS Code here. Every argument is an array element; secret values travel
 * only in the child's environment (`-e NAME` takes the value from there), never in an argument.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { Analysis } from '../../../server/src/engine/analysis';
import { BuildError, BuildOutput, stripAnsi } from './buildOutput';
import { ClassifyContext, DockerFailure, classify, defaultHost, redact } from './failures';
import { ProcessResult, RunOptions, displayCommand, dockerEnv, runProcess } from './process';

export interface DockerOptions {
  /** The docker executable (the `dockerfileCoach.docker.path` setting). */
  command: string;
  /** The environment docker runs in (DOCKER_HOST, DOCKER_CONFIG, ...). */
  env: NodeJS.ProcessEnv;
  /** Tests only: run docker as this user (root testing a socket it may not open). */
  user?: { uid: number; gid: number };
}

export interface ExecOptions extends Omit<RunOptions, 'env'> {
  /** Variables added to the child's environment (secret values go here). */
  extraEnv?: Record<string, string>;
  image?: string;
  port?: number;
}

export interface BuildRequest {
  dockerfile: string;
  /** The build context; the Dockerfile's folder by default. */
  context?: string;
  tag: string;
  /** Extra arguments from the settings or the task definition, e.g. ["--network", "host"]. */
  buildArgs?: readonly string[];
  /** The Dockerfile's text, to map steps to lines (read from disk when absent). */
  analysis: Analysis;
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface BuildResult {
  ok: boolean;
  output: BuildOutput;
  /** The command line as shown in the terminal. */
  commandLine: string;
  error?: BuildError;
  durationMs: number;
}

/** Labels on everything Verify and Build and run start, so a leftover can always be found and removed. */
export const LABEL = 'dockerfile-coach';
export const SESSION_LABEL = 'dockerfile-coach.session';

export interface ImageInspect {
  Id: string;
  Size: number;
  Config: {
    User?: string;
    Env?: string[] | null;
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    WorkingDir?: string;
    ExposedPorts?: Record<string, unknown> | null;
    Volumes?: Record<string, unknown> | null;
  };
  RootFS?: { Layers?: string[] };
}

export interface ContainerInspect {
  Id: string;
  Name: string;
  State: { Status: string; Running: boolean; ExitCode: number; Error?: string; OOMKilled?: boolean };
  Mounts?: { Type: string; Name?: string; Destination: string }[];
}

export interface TopProcess {
  pid: number;
  uid: number;
  args: string;
}

export class Docker {
  readonly command: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly user: DockerOptions['user'];
  /** Values removed from everything docker says before it is shown or kept. */
  secrets: string[] = [];

  constructor(opts: DockerOptions) {
    this.command = opts.command;
    this.env = opts.env;
    this.user = opts.user;
  }

  get host(): string {
    return defaultHost(this.env);
  }

  /** Runs docker; the result as it is, failures included. */
  exec(args: readonly string[], opts: ExecOptions = {}): Promise<ProcessResult> {
    const { extraEnv, image: _image, port: _port, ...rest } = opts;
    return runProcess(this.command, args, { ...rest, ...(this.user ?? {}), env: dockerEnv(this.env, extraEnv) });
  }

  context(args: readonly string[], opts: ExecOptions = {}): ClassifyContext {
    return { command: this.command, subcommand: args[0] ?? '', host: this.host, timeoutMs: opts.timeoutMs, image: opts.image, port: opts.port, secrets: this.secrets };
  }

  /** Runs docker and throws a DockerFailure that says what to do when it fails. */
  async run(args: readonly string[], opts: ExecOptions = {}): Promise<ProcessResult> {
    const result = await this.exec(args, opts);
    const failure = classify(result, this.context(args, opts));
    if (failure) throw new DockerFailure(failure);
    return result;
  }

  /** The daemon's version; throws "not installed", "does not answer", "no permission" as they come. */
  async ping(timeoutMs = 20000, signal?: AbortSignal): Promise<string> {
    const r = await this.run(['version', '--format', '{{.Server.Version}}'], { timeoutMs, signal });
    return r.stdout.trim();
  }

  buildArgs(req: BuildRequest): { args: string[]; cwd: string } {
    const context = path.resolve(req.context ?? path.dirname(req.dockerfile));
    const rel = path.relative(context, path.resolve(req.dockerfile));
    // `-f` relative to the context when the Dockerfile is inside it: the echoed line stays short.
    const file = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(req.dockerfile);
    // --force-rm: a failed step's container is removed too (the image is the same as without it)
    return { args: ['build', '--force-rm', '-f', file, '-t', req.tag, ...(req.buildArgs ?? []), '.'], cwd: context };
  }

  /** `DOCKER_BUILDKIT=0 docker build`, streaming; a failure is mapped to its Dockerfile line. */
  async build(req: BuildRequest): Promise<BuildResult> {
    const started = Date.now();
    const { args, cwd } = this.buildArgs(req);
    const output = new BuildOutput(req.analysis);
    const result = await this.exec(args, {
      cwd,
      extraEnv: { DOCKER_BUILDKIT: '0' },
      signal: req.signal,
      timeoutMs: req.timeoutMs,
      onStdoutLine: (l) => {
        output.onStdout(l);
        req.onStdoutLine?.(redact(l, this.secrets));
      },
      onStderrLine: (l) => {
        output.onStderr(l);
        req.onStderrLine?.(redact(l, this.secrets));
      },
    });
    const commandLine = `DOCKER_BUILDKIT=0 ${displayCommand(this.command, args)}`;
    const durationMs = Date.now() - started;
    if (result.code === 0 && !result.spawnError) return { ok: true, output, commandLine, durationMs };
    const env = classify(result, this.context(args));
    // No docker, no daemon, cancelled, timed out: not about a line of the Dockerfile.
    if (env && (result.spawnError || result.timedOut || result.aborted)) {
      return { ok: false, output, commandLine, durationMs, error: { line: undefined, range: undefined, message: env.message, raw: env.detail, kind: 'environment', failure: env } };
    }
    return { ok: false, output, commandLine, durationMs, error: output.error(this.context(args)) };
  }

  async imageInspect(ref: string): Promise<ImageInspect | undefined> {
    const r = await this.exec(['image', 'inspect', ref], { timeoutMs: 30000 });
    if (r.code !== 0) {
      if (/No such image/i.test(r.stderr)) return undefined;
      const failure = classify(r, this.context(['image']));
      if (failure) throw new DockerFailure(failure);
    }
    return (JSON.parse(r.stdout) as ImageInspect[])[0];
  }

  async containerInspect(id: string): Promise<ContainerInspect | undefined> {
    const r = await this.exec(['container', 'inspect', id], { timeoutMs: 30000 });
    if (r.code !== 0) return undefined;
    return (JSON.parse(r.stdout) as ContainerInspect[])[0];
  }

  /** The command lines that made each layer (`docker history --no-trunc`). */
  async history(ref: string): Promise<string[]> {
    const r = await this.run(['history', '--no-trunc', '--format', '{{.CreatedBy}}', ref], { timeoutMs: 30000 });
    return r.stdout.split('\n').filter((l) => l.trim() !== '');
  }

  /** The container's processes with their numeric uid, as the host's `ps` sees them. */
  async top(id: string): Promise<TopProcess[]> {
    const r = await this.run(['top', id, '-eo', 'pid,uid,args'], { timeoutMs: 30000 });
    const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
    const out: TopProcess[] = [];
    for (const line of lines.slice(1)) {
      const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
      if (m) out.push({ pid: Number(m[1]), uid: Number(m[2]), args: m[3] });
    }
    return out;
  }

  /** The host port docker chose for a container port published as `127.0.0.1::PORT`. */
  async hostPort(id: string, containerPort: number): Promise<number | undefined> {
    const r = await this.exec(['port', id, `${containerPort}/tcp`], { timeoutMs: 30000 });
    const m = /127\.0\.0\.1:(\d+)/.exec(r.stdout) ?? /:(\d+)\s*$/m.exec(r.stdout);
    return m ? Number(m[1]) : undefined;
  }

  async logs(id: string, tail = 20): Promise<string> {
    const r = await this.exec(['logs', '--tail', String(tail), id], { timeoutMs: 30000 });
    return redact(stripAnsi(`${r.stdout}${r.stderr}`), this.secrets)
      .split('\n')
      .filter((l) => !/^WARNING: IPv4 forwarding is disabled/.test(l))
      .join('\n')
      .trim();
  }

  /** The first regular file of `docker cp CONTAINER:PATH -` (a tar stream), or undefined when absent. */
  async copyFile(id: string, file: string): Promise<TarFile | undefined> {
    const chunks: Buffer[] = [];
    const r = await this.exec(['cp', `${id}:${file}`, '-'], { timeoutMs: 60000, discardStdout: true, onStdoutData: (c) => chunks.push(c) });
    if (r.code !== 0) return undefined;
    return firstTarFile(Buffer.concat(chunks));
  }

  /** Whether a path exists in a container (`docker cp` of it succeeds). */
  async pathExists(id: string, file: string): Promise<boolean> {
    const r = await this.exec(['cp', `${id}:${file}`, '-'], { timeoutMs: 60000, discardStdout: true });
    return r.code === 0;
  }

  /** Removes containers, volumes and networks by name; what is already gone is fine. */
  async remove(what: { containers?: string[]; volumes?: string[]; networks?: string[] }): Promise<void> {
    if (what.containers?.length) await this.exec(['rm', '-f', '-v', ...what.containers], { timeoutMs: 60000 });
    if (what.networks?.length) await this.exec(['network', 'rm', ...what.networks], { timeoutMs: 60000 });
    if (what.volumes?.length) await this.exec(['volume', 'rm', '-f', ...what.volumes], { timeoutMs: 60000 });
  }

  /** Removes containers right now, blocking (when VS Code shuts down and cannot wait for a promise). */
  removeNow(containers: string[]): void {
    if (containers.length === 0) return;
    spawnSync(this.command, ['rm', '-f', ...containers], { env: this.env, timeout: 15000, stdio: 'ignore', ...(this.user ?? {}) });
  }

  /** Whatever a session left behind (containers, volumes, networks with its label). */
  async removeSession(session: string): Promise<void> {
    const filter = `label=${SESSION_LABEL}=${session}`;
    const ids = async (args: string[]) => (await this.exec(args, { timeoutMs: 30000 })).stdout.split('\n').filter((l) => l.trim() !== '');
    await this.remove({
      containers: await ids(['ps', '-aq', '--filter', filter]),
      networks: await ids(['network', 'ls', '-q', '--filter', filter]),
      volumes: await ids(['volume', 'ls', '-q', '--filter', filter]),
    });
  }

  /** `uid` and `rootless` from `docker info`: under user namespaces `docker top` shows host uids. */
  async remapsUsers(): Promise<boolean> {
    const r = await this.exec(['info', '--format', '{{json .SecurityOptions}}'], { timeoutMs: 30000 });
    return /name=(rootless|userns)/.test(r.stdout);
  }
}

export interface TarFile {
  name: string;
  uid: number;
  gid: number;
  size: number;
  content: Buffer;
}

/** The first regular file in a tar stream (ustar; pax headers skipped). */
export function firstTarFile(tar: Buffer): TarFile | undefined {
  let off = 0;
  let paxName: string | undefined;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) return undefined;
    const str = (a: number, n: number) => header.subarray(a, a + n).toString('utf8').replace(/\0.*$/s, '');
    const num = (a: number, n: number) => parseInt(str(a, n).trim() || '0', 8);
    const size = num(124, 12);
    const type = String.fromCharCode(header[156] || 48);
    const body = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      paxName = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
      continue;
    }
    if (type === 'g') continue;
    if (type === '0' || type === '\0') {
      const prefix = str(345, 155);
      const name = paxName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
      return { name, uid: num(108, 8), gid: num(116, 8), size, content: Buffer.from(body) };
    }
    paxName = undefined;
  }
  return undefined;
}
