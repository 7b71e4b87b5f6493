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

/**
 * Environment variables for the server process, added to the client's: also one place for the client,
 * the benchmark and the LSP tests.
 *
 * `MALLOC_ARENA_MAX=2` caps glibc's malloc at two arenas (mallopt(3); other C libraries ignore it).
 * V8's compiler and collector threads each get an arena of their own, and what they free stays in
 * it: on Node 24 (closer to the Node VS Code runs the server on) that was 50 to 75 MiB after typing in
 * a 5,000-line file, for a 9 MB JavaScript heap. With the cap, RSS 12 s after that typing was 81 to 93
 * MiB on Node 24 (93 to 113 without) and 63 to 70 on Node 20 (76 without), with no change in the
 * typing times that shows through the noise. `MALLOC_MMAP_THRESHOLD_=32768` as well gave 74 to 76
 * MiB on Node 24 but made typing four to five times slower at the p95 on Node 20: not set
 * (docs/performance.md). A value the user set is kept.
 */
export function serverEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return { MALLOC_ARENA_MAX: base.MALLOC_ARENA_MAX ?? '2' };
}

/** `node` arguments that start the server over stdio as the client does (extra flags go after ours and win). */
export function serverStdioArgs(serverJs: string, extraNodeArgs: readonly string[] = []): string[] {
  return [...SERVER_NODE_FLAGS, ...extraNodeArgs, serverJs, '--stdio'];
}
