/** The terminal a Build, Build and run or Verify task writes to (a VS Code task with a pseudoterminal). */
import * as vscode from 'vscode';

export interface TerminalIO {
  /** Writes one line (a newline is added). */
  line(text: string): void;
  /** Aborted by Ctrl+C or by closing the terminal. */
  signal: AbortSignal;
}

const CTRL_C = '\x03';

export class JobTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private readonly abort = new AbortController();
  private finished = false;

  constructor(private readonly job: (io: TerminalIO) => Promise<number>) {}

  open(): void {
    const io: TerminalIO = {
      line: (text) => this.writeEmitter.fire(`${text.replace(/\r?\n/g, '\r\n')}\r\n`),
      signal: this.abort.signal,
    };
    this.job(io).then(
      (code) => this.finish(code),
      (e: unknown) => {
        io.line(`\x1b[31m${e instanceof Error ? e.message : String(e)}\x1b[0m`);
        this.finish(1);
      },
    );
  }

  handleInput(data: string): void {
    if (data === CTRL_C && !this.finished) {
      this.writeEmitter.fire('^C\r\n');
      this.abort.abort();
    }
  }

  /** The terminal was closed: stop whatever still runs (the container included). */
  close(): void {
    this.abort.abort();
  }

  private finish(code: number): void {
    if (this.finished) return;
    this.finished = true;
    this.closeEmitter.fire(code);
  }
}

/** Colours for the lines we write ourselves (docker's own output is passed through). */
export const style = {
  info: (s: string) => `\x1b[36m${s}\x1b[0m`,
  ok: (s: string) => `\x1b[32m${s}\x1b[0m`,
  error: (s: string) => `\x1b[31m${s}\x1b[0m`,
  dim: (s: string) => `\x1b[2m${s}\x1b[0m`,
};
