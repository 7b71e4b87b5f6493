/**
 * Node/V8 flags for the language server process, in one place: the VS Code client starts the server
 * with them (client/src/extension.ts, so the packaged .vsix too), and the benchmark spawns it with
 * them (bench/lsp.ts) as the LSP tests do (test/lsp/lspClient.ts), so both see what users run. Only flags that Node documents and that
 * VS Code's Node (Electron) accepts: a flag V8 does not know stops the server from starting.
 *
 * `--max-semi-space-size=8` (MiB): under the allocation rate of checks V8 grows the young generation
 * to two 16 MiB semi-spaces, both resident since they are used in turn, and shrinks it only in a
 * collection that finds the process idle. Capped at 8 MiB, the server's peak RSS in the bench is about
 * 35 MiB lower at 5,000 lines and its RSS right after an edit storm 5 to 20 MiB lower, with no
 * measurable cost to the checks. Lower caps cost the checks: 4 MiB about 4% of typing p95 at 5,000
 * lines, 1 or 2 MiB 10 to 15% of a check at 500 lines (docs/performance.md).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

/** `node` arguments that start the server over stdio as the client does (extra flags go after ours and win). */
export function serverStdioArgs(serverJs: string, extraNodeArgs: readonly string[] = []): string[] {
  return [...SERVER_NODE_FLAGS, ...extraNodeArgs, serverJs, '--stdio'];
}
