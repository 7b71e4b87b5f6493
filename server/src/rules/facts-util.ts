/**
 * Shared by the rules that read the project's code (course rules 15-17 and the task rules): the
 * command the container starts, `go build` calls, runtime ENV, EXPOSE/VOLUME/WORKDIR of the final
 * image, and how to name a place in a source file in a message.
 */
import * as path from 'path';
import { Env } from 'dockerfile-ast';
import type { Analysis, Instr, Stage } from '../engine/analysis';
import type { ShellCommand, Word } from '../engine/shell';
import type { Range, Severity, TaskName, TextEdit } from '../engine/types';
import type { Loc } from '../engine/facts/node';
import { flatMap, isExecForm } from './util';
import { trimTrailing } from '../engine/text';
import { pushAll } from '../engine/arrays';

/** `index.js:38` (1-based line) for messages. */
export const where = (loc: { file: string; range: Range }): string => `${loc.file}:${loc.range.start.line + 1}`;

/** Course-wide rules report real bugs, but the generic task fails nobody for them: a warning there. */
export const genericLowered = (task: TaskName): Severity | undefined => (task === 'generic' ? 'warning' : undefined);

/** The ports the task texts name (what the developers claim, not necessarily what the code does). */
export const CLAIMED_PORT: Partial<Record<TaskName, number>> = { gate: 9000, scratch: 9000, distroless: 9000 };

export interface StartCommand {
  entrypoint: Instr | undefined;
  /** The CMD in effect (an ENTRYPOINT set in a later stage than the CMD resets it, as Docker does). */
  cmd: Instr | undefined;
}

/** The ENTRYPOINT and CMD the final image starts with. */
export function startCommand(analysis: Analysis): StartCommand {
  const final = analysis.finalStage;
  if (!final) return { entrypoint: undefined, cmd: undefined };
  const chain = analysis.chain(final);
  const lastIn = (keyword: string): { instr: Instr; depth: number } | undefined => {
    for (let depth = 0; depth < chain.length; depth++) {
      const list = chain[depth].instructions.filter((i) => i.keyword === keyword);
      if (list.length > 0) return { instr: list[list.length - 1], depth };
    }
    return undefined;
  };
  const ep = lastIn('ENTRYPOINT');
  const cmd = lastIn('CMD');
  const cmdReset = ep && cmd && ep.depth < cmd.depth;
  return { entrypoint: ep?.instr, cmd: cmdReset ? undefined : cmd?.instr };
}

/** The words of a CMD/ENTRYPOINT when it is one simple command (exec form, or shell form without operators). */
export function singleCommand(analysis: Analysis, instr: Instr): { words: Word[]; exec: boolean; command: ShellCommand } | undefined {
  const parsed = analysis.shell(instr);
  if (parsed.commands.length !== 1) return undefined;
  return { words: parsed.commands[0].words, exec: isExecForm(instr), command: parsed.commands[0] };
}

/** The program and its arguments as the container starts them (ENTRYPOINT + CMD, exec form only). */
export function programArgv(analysis: Analysis): { words: Word[]; instrs: Instr[] } | undefined {
  const { entrypoint, cmd } = startCommand(analysis);
  const words: Word[] = [];
  const instrs: Instr[] = [];
  for (const instr of [entrypoint, cmd]) {
    if (!instr) continue;
    if (!isExecForm(instr)) {
      // A shell-form ENTRYPOINT ignores CMD; a shell-form CMD after an ENTRYPOINT is its argument string.
      if (instr === entrypoint || !entrypoint) {
        const one = singleCommand(analysis, instr);
        if (!one) return undefined;
        return { words: one.words, instrs: [instr] };
      }
      return undefined;
    }
    pushAll(words, analysis.shell(instr).commands[0]?.words ?? []);
    instrs.push(instr);
  }
  return words.length > 0 ? { words, instrs } : undefined;
}

/** `-name=value`, `--name=value`, `-name value` in program arguments. */
export function flagArgument(words: Word[], name: string): { word: Word; value: string; valueWord?: Word } | undefined {
  for (let i = 1; i < words.length; i++) {
    const w = words[i].value;
    if (w === '--') return undefined;
    const m = /^--?([^=]+)(?:=(.*))?$/s.exec(w);
    if (!m || m[1] !== name) continue;
    if (m[2] !== undefined) return { word: words[i], value: m[2] };
    const next = words[i + 1];
    // A bool flag takes no separate value; others take the next word.
    if (next && !next.value.startsWith('-')) return { word: words[i], value: next.value, valueWord: next };
    return { word: words[i], value: 'true' };
  }
  return undefined;
}

/** The value ENV gives a variable in the running container, `undefined` when no ENV sets it, `null` when unknown. */
export function runtimeEnv(analysis: Analysis, name: string): string | null | undefined {
  const final = analysis.finalStage;
  if (!final) return undefined;
  // The final stage's own ENV wins over its parents'.
  for (const stage of analysis.chain(final)) {
    const envs = stage.instructions.filter((i) => i.node instanceof Env);
    for (let k = envs.length - 1; k >= 0; k--) {
      const prop = analysis.envProperties(envs[k]).find((p) => p.getName() === name);
      if (!prop) continue;
      const value = analysis.expandAt(envs[k], prop.getValue() ?? '').value;
      return value === undefined ? null : stripQuotes(value);
    }
  }
  return undefined;
}

const stripQuotes = (v: string): string => v.replace(/^(['"])(.*)\1$/s, '$2');

export interface GoBuild {
  instr: Instr;
  stage: Stage;
  command: ShellCommand;
  /** Index of the `go` word in the command's words. */
  goIndex: number;
  /** What is built (`.`, `cmd/main.go`), when there is exactly one target. */
  target: string | undefined;
  /** CGO_ENABLED as the build sees it: '0', '1', undefined (not set), null (unknown). */
  cgo: string | null | undefined;
  /** Where CGO_ENABLED is set, for messages. */
  cgoFrom: string | undefined;
  /** Linked statically anyway (`-ldflags '-extldflags "-static"'`) or without cgo's resolvers (`-tags netgo`). */
  staticAnyway: boolean;
}

const GO_VALUE_FLAGS = new Set(['o', 'ldflags', 'gcflags', 'tags', 'mod', 'p', 'asmflags', 'buildmode', 'compiler', 'gccgoflags', 'installsuffix', 'modfile', 'overlay', 'pkgdir', 'pgo', 'toolexec', 'C']);

/** Every `go build` / `go install` in RUN instructions, with what it builds and its cgo setting. */
export function goBuilds(analysis: Analysis): GoBuild[] {
  const out: GoBuild[] = [];
  for (const stage of analysis.stages) {
    // `go env -w CGO_ENABLED=0` in an earlier RUN of this stage or its parents sticks for later builds.
    let goenv: string | undefined;
    const chainInstrs = flatMap(analysis.chain(stage).reverse(), (s) => s.instructions);
    for (const instr of chainInstrs) {
      if (instr.keyword !== 'RUN') continue;
      const exported = new Map<string, string | null>();
      for (const command of analysis.shell(instr).commands) {
        const words = command.words;
        let i = 0;
        const inline = new Map<string, string | null>();
        for (const a of command.assignments) addAssignment(analysis, instr, a, inline);
        if (words[0]?.value === 'export') {
          for (const w of words.slice(1)) addAssignment(analysis, instr, w, exported);
          continue;
        }
        if (words[0]?.value === 'env') {
          i = 1;
          while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].value)) addAssignment(analysis, instr, words[i++], inline);
        }
        if (words[i]?.value !== 'go') continue;
        const sub = words[i + 1]?.value;
        if (sub === 'env' && words[i + 2]?.value === '-w') {
          for (const w of words.slice(i + 3)) {
            const m = /^CGO_ENABLED=(.*)$/.exec(w.value);
            if (m) goenv = m[1];
          }
          continue;
        }
        if (sub !== 'build' && sub !== 'install') continue;
        if (instr.stage !== stage) continue;
        const { positionals, values } = goArgs(words.slice(i + 2));
        let cgo: string | null | undefined;
        let cgoFrom: string | undefined;
        if (inline.has('CGO_ENABLED')) [cgo, cgoFrom] = [inline.get('CGO_ENABLED'), 'inline'];
        else if (exported.has('CGO_ENABLED')) [cgo, cgoFrom] = [exported.get('CGO_ENABLED'), 'export'];
        else {
          const v = analysis.scopeAt(instr).get('CGO_ENABLED');
          if (v) [cgo, cgoFrom] = [v.known ? stripQuotes(v.value) : null, 'env'];
          else if (goenv !== undefined) [cgo, cgoFrom] = [goenv, 'go env'];
        }
        const ldflags = values.get('ldflags') ?? '';
        const tags = (values.get('tags') ?? '').split(/[ ,]+/);
        out.push({
          instr,
          stage,
          command,
          goIndex: i,
          target: positionals.length === 1 ? positionals[0] : undefined,
          cgo,
          cgoFrom,
          staticAnyway: /-extldflags[= ]+["']?[^"']*-static/.test(ldflags) || tags.includes('netgo'),
        });
      }
    }
  }
  return out;
}

function addAssignment(analysis: Analysis, instr: Instr, w: Word, into: Map<string, string | null>): void {
  const eq = w.value.indexOf('=');
  if (eq <= 0) return;
  const name = w.value.slice(0, eq);
  const raw = w.value.slice(eq + 1);
  if (!w.expands) into.set(name, raw);
  else {
    // `CGO_ENABLED=$CGO`: the value of a build argument or ENV, when it is known.
    const e = analysis.expandAt(instr, raw);
    into.set(name, e.value === undefined || e.unknown.length > 0 ? null : e.value);
  }
}

function goArgs(words: Word[]): { positionals: string[]; values: Map<string, string> } {
  const positionals: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i].value;
    const m = /^--?([A-Za-z]+)(?:=(.*))?$/s.exec(w);
    if (m) {
      if (m[2] !== undefined) values.set(m[1], m[2]);
      else if (GO_VALUE_FLAGS.has(m[1]) && i + 1 < words.length) values.set(m[1], words[++i].value);
      continue;
    }
    positionals.push(w);
  }
  return { positionals, values };
}

/** Stages whose files can reach the final image: its FROM chain and every stage it (transitively) copies from. */
export function stagesFeedingFinal(analysis: Analysis): Set<Stage> {
  const final = analysis.finalStage;
  const out = new Set<Stage>();
  if (!final) return out;
  const queue = [final];
  while (queue.length > 0) {
    const s = queue.pop()!;
    for (const c of analysis.chain(s)) {
      if (out.has(c)) continue;
      out.add(c);
      queue.push(c);
      for (const instr of c.instructions) {
        const from = copyFromStage(analysis, instr);
        if (from && !out.has(from)) queue.push(from);
      }
    }
  }
  return out;
}

/** The stage a `COPY --from=<name|index>` reads from. */
export function copyFromStage(analysis: Analysis, instr: Instr): Stage | undefined {
  if (instr.keyword !== 'COPY' && instr.keyword !== 'ADD') return undefined;
  const flags = analysis.flags(instr);
  const value = flags.find((f) => f.getName() === 'from')?.getValue();
  if (!value) return undefined;
  const expanded = analysis.expandAt(instr, value).value ?? value;
  if (/^\d+$/.test(expanded)) return analysis.stages[Number(expanded)];
  return analysis.stageByName(expanded);
}

/** A COPY/ADD flag's value (`--chown`, `--from`), or undefined. */
export function flagValue(instr: Instr, name: string): string | undefined {
  const flags = (instr.node as unknown as { getFlags?: () => { getName(): string; getValue(): string | null }[] }).getFlags?.() ?? [];
  return flags.find((f) => f.getName() === name)?.getValue() ?? undefined;
}

/** Paths of a COPY/ADD/VOLUME (JSON or plain form), variables expanded; `null` for one that cannot be known. */
export function instructionPaths(analysis: Analysis, instr: Instr): { value: string | null; range: Range }[] {
  const words = isExecForm(instr)
    ? (analysis.shell(instr).commands[0]?.words ?? []).map((w) => ({ raw: w.value, range: analysis.rangeOf(w.start, w.end) }))
    : analysis.args(instr).map((a) => ({ raw: a.getValue(), range: a.getRange() }));
  return words.map((w) => {
    const e = analysis.expandAt(instr, w.raw);
    return { value: e.value === undefined ? null : e.value, range: w.range };
  });
}

/** The final stage's working directory when the container starts ('/' by default); null when unknown. */
export function finalWorkdir(analysis: Analysis): { path: string | null; instr: Instr | undefined } {
  const final = analysis.finalStage;
  if (!final) return { path: '/', instr: undefined };
  const instrs = flatMap(analysis.chain(final).reverse(), (s) => s.instructions).filter((i) => i.keyword === 'WORKDIR');
  let dir: string | null = '/';
  for (const instr of instrs) {
    const raw = analysis.argsContent(instr)?.trim() ?? '';
    const e = analysis.expandAt(instr, raw).value;
    if (e === undefined || dir === null) dir = null;
    else dir = path.posix.resolve(dir, stripQuotes(e));
  }
  return { path: dir, instr: instrs[instrs.length - 1] };
}

/** Normalize a path inside the image (`/upload/` -> `/upload`). */
export function imagePath(p: string): string {
  const n = path.posix.normalize(p);
  // As `.replace(/(.)\/+$/, '$1')` would (one slash stays when nothing but a line break is before them), in linear time.
  const end = trimTrailing(n, '/').length;
  return end === 0 || n[end - 1] === '\n' ? n.slice(0, end + 1) : n.slice(0, end);
}

/** Ports of the EXPOSE instructions of the final image. */
export interface ExposedPort {
  instr: Instr;
  /** The port number; null when it comes from an unknown variable or is a range. */
  port: number | null;
  text: string;
  /** The number's range (without `/tcp`). */
  range: Range;
}

export function exposedPorts(analysis: Analysis): ExposedPort[] {
  const final = analysis.finalStage;
  if (!final) return [];
  const out: ExposedPort[] = [];
  for (const stage of analysis.chain(final).reverse()) {
    for (const instr of stage.instructions) {
      if (instr.keyword !== 'EXPOSE') continue;
      for (const arg of analysis.args(instr)) {
        const raw = arg.getValue();
        const e = analysis.expandAt(instr, raw).value;
        const m = e === undefined ? null : /^(\d+)(?:\/(?:tcp|udp|sctp))?$/i.exec(e.trim());
        const r = arg.getRange();
        const numberEnd = /^\d+/.exec(raw)?.[0].length;
        const range = numberEnd !== undefined && !/\$/.test(raw) ? { start: r.start, end: { line: r.start.line, character: r.start.character + numberEnd } } : r;
        out.push({ instr, port: m ? Number(m[1]) : null, text: raw, range });
      }
    }
  }
  return out;
}

/**
 * Insert whole lines after an instruction (at the end of its last line). Other rules insert above the
 * start command or at the stage's end; writing after an instruction keeps the two edits apart, so a
 * single fix-all round applies both.
 */
export function insertLinesAfter(analysis: Analysis, instr: Instr, lines: string[]): TextEdit {
  const line = instr.range.end.line;
  const pos = { line, character: analysis.lineText(line).length };
  const indent = /^[ \t]*/.exec(analysis.lineText(instr.range.start.line))?.[0] ?? '';
  return { range: { start: pos, end: pos }, newText: lines.map((l) => analysis.eol + indent + l).join('') };
}

/** Where new lines go just before the start command: after the instruction above it (the stage's last one when there is no start command). */
export function beforeStartAnchor(analysis: Analysis): Instr | undefined {
  const final = analysis.finalStage;
  if (!final) return undefined;
  const start = startInstr(analysis);
  if (!start) return final.instructions[final.instructions.length - 1] ?? final.fromInstr;
  const k = final.instructions.indexOf(start);
  return k > 0 ? final.instructions[k - 1] : final.fromInstr;
}

/** The instruction to insert new lines above: the start command (CMD/ENTRYPOINT), else nothing (stage end). */
export function startInstr(analysis: Analysis): Instr | undefined {
  const final = analysis.finalStage;
  if (!final) return undefined;
  const cmds = final.instructions.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  return cmds[0];
}

/** A diagnostic's range in a source file, or an empty range at its start when the fact has none. */
export const locRange = (loc: Loc | undefined): Range => loc?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
