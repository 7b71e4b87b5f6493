/**
 * Seeded random edits of Dockerfiles and the texts to edit, shared by the tests that compare a check
 * given the previous version (incremental parse, kept rule findings) with a check from scratch.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** One random edit: mostly typing within a line (the incremental path), sometimes lines, pastes and nasty text. */
export function randomEdit(text: string, rnd: () => number, pool: string[]): { text: string; what: string } {
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const INLINE = ['a', 'x', '1', ' ', ' ', '-', '/', '.', ':', '\\', '"', "'", '<<EOF', '<<-EOT', 'EOF', '#', '\t', 'é', 'ё', '中', '$', '${A}', '$B', '[', ']', ',', '=', '&&', '`', ' \\', '\\ ', 'FROM', 'AS', 'ARG', 'ENV', 'USER', 'RUN'];
  const NASTY = ['\n', '\r', '\r\n', '\\\n', '<<EOF\n', 'EOF\n', '\n\n', '\uFEFF'];
  const LINES = ['RUN apk add --no-cache curl', 'COPY . .', '# a comment', '', '   ', 'FROM node:18-alpine AS extra', 'ARG X=1', 'ENV A=b C=d', 'USER node', 'RUN <<EOF', 'EOF', 'RUN a \\', '  && b', 'WORKDIR /app', 'CMD ["node", "index.js"]', '# escape=`', '# coach-ignore non-root-user', 'ONBUILD RUN x'];
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const at = int(text.length + 1);
  const kind = rnd();
  if (kind < 0.35) {
    const s = pick(INLINE);
    return { text: text.slice(0, at) + s + text.slice(at), what: `insert ${JSON.stringify(s)} at ${at}` };
  }
  if (kind < 0.55) {
    // Delete 1 to 3 characters that are not line breaks (line count unchanged) or any characters.
    const n = 1 + int(3);
    const cut = text.slice(at, at + n);
    if (!/[\r\n]/.test(cut) || rnd() < 0.3) return { text: text.slice(0, at) + text.slice(at + n), what: `delete ${JSON.stringify(cut)} at ${at}` };
    return { text: text.slice(0, at) + 'q' + text.slice(at), what: `insert "q" at ${at}` };
  }
  if (kind < 0.7) {
    const s = pick(INLINE);
    return { text: text.slice(0, at) + s + text.slice(at + 1), what: `replace 1 char at ${at} by ${JSON.stringify(s)}` };
  }
  if (kind < 0.78) {
    const s = pick(NASTY);
    return { text: text.slice(0, at) + s + text.slice(at), what: `insert ${JSON.stringify(s)} at ${at}` };
  }
  if (kind < 0.85) {
    const l = pick(lineStarts);
    const line = pick(LINES);
    return { text: text.slice(0, l) + line + '\n' + text.slice(l), what: `insert line ${JSON.stringify(line)} at ${l}` };
  }
  if (kind < 0.9) {
    const i = int(lineStarts.length);
    const end = i + 1 < lineStarts.length ? lineStarts[i + 1] : text.length;
    return { text: text.slice(0, lineStarts[i]) + text.slice(end), what: `delete line ${i}` };
  }
  if (kind < 0.95) {
    // Replace one whole line's content by another line of this or another file (same line count).
    const i = int(lineStarts.length);
    const end = i + 1 < lineStarts.length ? lineStarts[i + 1] - 1 : text.length;
    const src = pick(pool).split('\n');
    const line = src[int(src.length)].replace(/\r$/, '');
    const from = lineStarts[i];
    const cr = text[end - 1] === '\r' && end > from ? 1 : 0;
    return { text: text.slice(0, from) + line + text.slice(end - cr), what: `replace line ${i} by ${JSON.stringify(line)}` };
  }
  // Paste a block of lines from a file of the pool.
  const src = pick(pool).split('\n');
  const s = int(src.length);
  const block = src.slice(s, s + 1 + int(5)).join('\n') + '\n';
  const l = pick(lineStarts);
  return { text: text.slice(0, l) + block + text.slice(l), what: `paste ${block.length} chars at ${l}` };
}

export function readExamples(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/^Dockerfile/.test(e.name)) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(ROOT, 'examples'));
  return out;
}

export function readCorpus(): string[] {
  const dir = path.join(ROOT, 'test', 'corpus');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
}

