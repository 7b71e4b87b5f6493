/**
 * A minimal LSP client for tests: spawns the bundled server with `--stdio` and the Node flags the VS Code
 * client starts it with (lsp/nodeFlags.ts), and speaks real JSON-RPC to it, the way an editor would.
 * Waiters are registered before the triggering message is sent, so no notification can slip past a test.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
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
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { TaskStatusParams } from '../../server/src/lsp/protocol';
import { TASK_STATUS_NOTIFICATION } from '../../server/src/lsp/protocol';
import { serverEnv, serverStdioArgs } from '../../server/src/lsp/nodeFlags';

/** The repository root, from out/test/lsp/ where this file runs compiled. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER_JS = path.join(REPO_ROOT, 'dist', 'server.js');

const WAIT_MS = 5000;

interface Waiter<T> {
  accept(value: T): boolean;
}

export class LspTestClient {
  readonly connection: ProtocolConnection;
  /** What the client answers to workspace/configuration for `dockerfileCoach`. */
  settings: Record<string, unknown> = {};
  readonly errors: string[] = [];
  /** Every window/logMessage text, in order. */
  readonly logs: string[] = [];
  readonly registrations: unknown[] = [];
  readonly published: PublishDiagnosticsParams[] = [];
  private readonly process: ChildProcess;
  private readonly diagnosticWaiters = new Set<Waiter<PublishDiagnosticsParams>>();
  private readonly statusWaiters = new Set<Waiter<TaskStatusParams>>();
  private stderr = '';

  constructor() {
    this.process = spawn(process.execPath, serverStdioArgs(SERVER_JS), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...serverEnv() } });
    this.process.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onRequest('workspace/configuration', (params: ConfigurationParams) =>
      params.items.map((item) => (item.section === 'dockerfileCoach' ? this.settings : null)),
    );
    this.connection.onRequest('client/registerCapability', (params: unknown) => {
      this.registrations.push(params);
      return null;
    });
    this.connection.onNotification('window/logMessage', (params: LogMessageParams) => {
      this.logs.push(params.message);
      if (params.type === MessageType.Error) this.errors.push(params.message);
    });
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.push(params);
      for (const w of this.diagnosticWaiters) if (w.accept(params)) this.diagnosticWaiters.delete(w);
    });
    this.connection.onNotification(TASK_STATUS_NOTIFICATION, (params: TaskStatusParams) => {
      for (const w of this.statusWaiters) if (w.accept(params)) this.statusWaiters.delete(w);
    });
    this.connection.listen();
  }

  async initialize(rootDir: string, capabilities: ClientCapabilities, initializationOptions: unknown): Promise<InitializeResult> {
    const rootUri = pathToUri(rootDir);
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(rootDir) }],
      capabilities,
      initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /**
   * Sends notifications in one pipe write, the way a paste or a fast typist's burst reaches the server:
   * it reads them together, whatever the load on this machine. (Sent one by one, a busy machine can space
   * them further apart than the server's coalescing window, and each is then rightly published.)
   * Call it only when no other message is being written.
   */
  sendBurst(notifications: { method: string; params: unknown }[]): Promise<void> {
    const frames = notifications.map(({ method, params }) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', method, params }), 'utf8');
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
    });
    return new Promise((resolve, reject) => this.process.stdin!.write(Buffer.concat(frames), (err) => (err ? reject(err) : resolve())));
  }

  /** The next diagnostics published for `uri` that satisfy `accept` (e.g. a given version). */
  nextDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true, what = 'diagnostics', timeoutMs = WAIT_MS): Promise<PublishDiagnosticsParams> {
    return this.wait(this.diagnosticWaiters, (p) => p.uri === uri && accept(p), `${what} for ${uri}`, timeoutMs);
  }

  nextTaskStatus(uri: string, accept: (p: TaskStatusParams) => boolean = () => true): Promise<TaskStatusParams> {
    return this.wait(this.statusWaiters, (p) => p.uri === uri && accept(p), `taskStatus for ${uri}`);
  }

  private wait<T>(waiters: Set<Waiter<T>>, accept: (value: T) => boolean, what: string, timeoutMs = WAIT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        accept: (value) => {
          if (!accept(value)) return false;
          clearTimeout(timer);
          resolve(value);
          return true;
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}; server stderr: ${this.stderr || '(empty)'}; errors: ${this.errors.join(' | ') || '(none)'}`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  }

  /** Polite shutdown; kills the process if it does not exit on its own. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.process.exitCode !== null) resolve(this.process.exitCode);
      else this.process.once('exit', (code) => resolve(code));
    });
    try {
      await withTimeout(this.connection.sendRequest('shutdown'), 2000);
      await this.connection.sendNotification('exit');
    } catch {
      // Fall through to the kill below.
    }
    const code = await withTimeout(exited, 2000).catch(() => undefined);
    if (code === undefined) this.process.kill();
    this.connection.dispose();
    return code ?? null;
  }

  /** The server's process id (to read its memory from /proc). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  /**
   * Kills the server and lets go of its pipes: a test file's process waits for open pipes, and once
   * (stop 18) it waited for minutes after the last test of server-robustness.test.ts had passed.
   */
  kill(): void {
    if (this.process.exitCode === null) this.process.kill();
    this.connection.dispose();
    for (const stream of [this.process.stdin, this.process.stdout, this.process.stderr]) stream?.destroy();
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).href;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
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
