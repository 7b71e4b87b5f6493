/**
 * The language server measured from outside, the way an editor sees it: `node dist/server.js --stdio`
 * spoken to over JSON-RPC. Every publishDiagnostics is stamped on arrival; latencies are computed
 * afterwards from the send and arrival times, so no waiter bookkeeping sits on the measured path.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { pathToFileURL } from 'url';
import {
  ClientCapabilities,
  ConfigurationParams,
  InitializeResult,
  LogMessageParams,
  MessageType,
  ProtocolConnection,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentContentChangeEvent,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { serverEnv, serverStdioArgs } from '../server/src/lsp/nodeFlags';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** BENCH_SERVER_JS points the bench at another build of the server (for what-if experiments). */
export const SERVER_JS = process.env.BENCH_SERVER_JS ? path.resolve(process.env.BENCH_SERVER_JS) : path.join(REPO_ROOT, 'dist', 'server.js');
/** A real project folder (package.json on disk); the Dockerfile itself only lives in the editor. */
export const DOC_DIR = path.join(REPO_ROOT, 'examples', 'gate', 'first-attempt');

/** What an editor without user settings answers to workspace/configuration for `dockerfileCoach`. */
const DEFAULT_SETTINGS = { task: 'auto', rules: {}, language: 'auto' };

const CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true, workspaceEdit: { documentChanges: true } },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
  },
};

export interface Publish {
  t: number;
  uri: string;
  version: number | undefined;
  count: number;
}

const TIMEOUT_MS = 20_000;

export class BenchServer {
  readonly proc: ChildProcess;
  readonly connection: ProtocolConnection;
  readonly publishes: Publish[] = [];
  readonly errors: string[] = [];
  readonly spawnedAt: number;
  lastTask: string | undefined;
  private waiters: { accept: (p: Publish) => boolean; resolve: (p: Publish) => void }[] = [];
  private stderr = '';
  private exited = false;

  /** `serverJs`: the bundle to run (default SERVER_JS; the packaged section passes the one extracted from the .vsix). */
  constructor(serverJs: string = SERVER_JS) {
    this.spawnedAt = performance.now();
    // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server under the bench's load.
    const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
    // The flags the VS Code client starts the server with, then BENCH_SERVER_NODE_ARGS (later flags win).
    // BENCH_SERVER_NODE=<node binary> runs the server on another Node (VS Code runs it on its Electron's).
    this.proc = spawn(process.env.BENCH_SERVER_NODE || process.execPath, serverStdioArgs(serverJs, nodeArgs), {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...serverEnv() },
    });
    this.proc.on('exit', () => (this.exited = true));
    this.proc.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const pub: Publish = { t: performance.now(), uri: p.uri, version: p.version, count: p.diagnostics.length };
      this.publishes.push(pub);
      this.waiters = this.waiters.filter((w) => {
        if (!w.accept(pub)) return true;
        w.resolve(pub);
        return false;
      });
    });
    this.connection.onRequest('workspace/configuration', (params: ConfigurationParams) =>
      params.items.map((item) => (item.section === 'dockerfileCoach' ? DEFAULT_SETTINGS : null)),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('dockerfileCoach/taskStatus', (p: { task?: string }) => (this.lastTask = p.task));
    this.connection.onNotification('window/logMessage', (p: LogMessageParams) => {
      if (p.type === MessageType.Error) this.errors.push(p.message);
    });
    // A bench must not hang on a dead server: errors surface through the timeouts below.
    this.connection.onError(() => undefined);
    this.connection.listen();
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  async initialize(): Promise<InitializeResult> {
    const rootUri = pathToFileURL(REPO_ROOT).href;
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(REPO_ROOT) }],
      capabilities: CAPABILITIES,
      initializationOptions: { locale: 'en', watchesProjectFiles: true },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Resolves with the first publish (from now on) that `accept`s. */
  waitFor(accept: (p: Publish) => boolean, what: string): Promise<Publish> {
    return new Promise<Publish>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}; server stderr: ${this.stderr.slice(-2000) || '(empty)'}; errors: ${this.errors.join(' | ') || '(none)'}`));
      }, TIMEOUT_MS);
      const waiter = {
        accept,
        resolve: (p: Publish) => {
          clearTimeout(timer);
          resolve(p);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Sends didOpen; returns the send time and the matching publish. */
  async open(uri: string, version: number, text: string): Promise<{ sent: number; pub: Publish }> {
    const done = this.waitFor((p) => p.uri === uri && p.version === version, `diagnostics of ${uri} v${version}`);
    const sent = performance.now();
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version, text } });
    return { sent, pub: await done };
  }

  async close(uri: string): Promise<void> {
    // The server answers a close with an empty, unversioned publish: wait for it so it cannot be mistaken later.
    const done = this.waitFor((p) => p.uri === uri && p.version === undefined && p.count === 0, `clearing ${uri}`);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await done;
  }

  /** Sends one didChange; returns its send time (stamped just before the write). */
  async change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const sent = performance.now();
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return sent;
  }

  /** VmRSS and VmHWM (peak) of the server process in MiB, when /proc is there. */
  memory(): { rssMiB: number; peakMiB: number } | undefined {
    try {
      const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
    } catch {
      return undefined;
    }
  }

  /**
   * Resets the process's peak RSS (VmHWM) to its current RSS (`echo 5 > /proc/<pid>/clear_refs`, Linux
   * 4.0+), so the next memory() peak is the peak since now. False when that is not possible; the peak then
   * stays the process's lifetime peak.
   */
  resetPeak(): boolean {
    try {
      fs.writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      return true;
    } catch {
      return false;
    }
  }

  /** shutdown + exit, then a kill if the process is still there. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => (this.exited ? resolve() : this.proc.once('exit', () => resolve())));
    try {
      await withTimeout(this.connection.sendRequest('shutdown'), 2000);
      await this.connection.sendNotification('exit');
      await withTimeout(gone, 2000);
    } catch {
      // fall through to the kill
    }
    if (!this.exited) {
      this.proc.kill('SIGKILL');
      await withTimeout(gone, 2000).catch(() => undefined);
    }
    this.connection.dispose();
  }

  kill(): void {
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}

function withTimeout<T>(p: Promise<T>, msTimeout: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), msTimeout);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export const sleep = (msDelay: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, msDelay));

/** Sleeps until an absolute performance.now() time (so a typist's rhythm does not drift). */
export async function sleepUntil(t: number): Promise<void> {
  const wait = t - performance.now();
  if (wait > 0) await sleep(wait);
}

/**
 * How the measured server schedules checks, for the tables: BENCH_SERVER_POLICY describes another
 * build (BENCH_SERVER_JS); otherwise the policy is read from lsp/scheduler.ts.
 */
export function schedulerPolicy(): string {
  if (process.env.BENCH_SERVER_POLICY) return process.env.BENCH_SERVER_POLICY;
  try {
    const src = fs.readFileSync(path.join(REPO_ROOT, 'server', 'src', 'lsp', 'scheduler.ts'), 'utf8');
    const constant = (name: string) => new RegExp(`const\\s+${name}\\s*=\\s*(\\d+)`).exec(src)?.[1] ?? '?';
    return `at once, cooldown <= ${constant('MAX_COOLDOWN_MS')} ms after checks >= ${constant('LONG_CHECK_MS')} ms`;
  } catch {
    return 'unknown';
  }
}
