/**
 * A long run of one character that does not end its text (40,000 spaces before a last word, `////...//x`,
 * `${a${a...`, blank lines before `module` in go.mod) made regular expressions like `/[ \t]+$/`, `/\/+$/`
 * and `/^\s*module/m` backtrack quadratically: 40,000 spaces took a check 1 s, a megabyte would have
 * taken minutes. The linear replacements must give what the expressions gave (compared over every
 * short string of a small alphabet), and a check of megabyte runs must finish: it runs in a worker
 * given up after 60 s (test/inWorker.ts), a guard against the quadratic case (minutes), not a speed
 * measurement (the benchmark measures speed).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { trimTrailing } from '../server/src/engine/text';
import { firstVariable } from '../server/src/rules/exec-form-variables';
import { continuationStart } from '../server/src/lsp/warmup';
import { imagePath } from '../server/src/rules/facts-util';
import { ghcrNames, references } from '../server/src/workflows/rules/image-name';
import { checkInWorker } from './inWorker';
import { maskExpressions, scriptTags } from '../server/src/workflows/rules/image-tag';
import type { TaskName } from '../server/src/engine/types';

const MB = 1_000_000;

/** Every string over `alphabet` up to `maxLength` characters. */
function* strings(alphabet: string[], maxLength: number): Generator<string> {
  for (let length = 0; length <= maxLength; length++) {
    const total = alphabet.length ** length;
    for (let k = 0; k < total; k++) {
      let s = '';
      for (let i = 0, x = k; i < length; i++, x = Math.floor(x / alphabet.length)) s += alphabet[x % alphabet.length];
      yield s;
    }
  }
}

describe('linear replacements of backtracking expressions', () => {
  it('trimTrailing is replace(/[chars]+$/, "")', () => {
    for (const s of strings(['/', ' ', '\t', '\r', '\n', 'a'], 7)) {
      assert.equal(trimTrailing(s, '/'), s.replace(/\/+$/, ''), JSON.stringify(s));
      assert.equal(trimTrailing(s, ' \t\r\n'), s.replace(/[ \t\r\n]+$/, ''), JSON.stringify(s));
    }
  });

  it('firstVariable is the name /\\$(?:\\{(name)[^}]*\\}|(name))/ finds', () => {
    const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))/;
    for (const s of strings(['$', '{', '}', 'a', '_', '1', ' ', '-'], 7)) {
      const m = VARIABLE.exec(s);
      assert.equal(firstVariable(s), m ? (m[1] ?? m[2]) : undefined, JSON.stringify(s));
    }
  });

  it('continuationStart is /\\s*[\\\\`]$/.exec(line).index, else the line length', () => {
    for (const s of strings(['\\', '`', ' ', '\t', '\u00a0', 'a'], 7)) assert.equal(continuationStart(s), /\s*[\\`]$/.exec(s)?.index ?? s.length, JSON.stringify(s));
  });

  it('imagePath is normalize(p).replace(/(.)\\/+$/, "$1")', () => {
    for (const s of strings(['/', 'a', '.', '\n'], 7)) assert.equal(imagePath(s), path.posix.normalize(s).replace(/(.)\/+$/, '$1'), JSON.stringify(s));
  });
});

describe('linear replacements in workflow-image-name', () => {
  it('ghcrNames finds what /ghcr\\.io\\/((?:\\$\\{\\{[^}]*\\}\\}|[^\\s"\'`])+)/gi finds', () => {
    const GHCR = /ghcr\.io\/((?:\$\{\{[^}]*\}\}|[^\s"'`])+)/gi;
    const expected = (t: string) => [...t.matchAll(GHCR)].map((m) => ({ start: (m.index ?? 0) + m[0].length - m[1].length, name: m[1] }));
    for (const s of strings(['ghcr.io/', 'GHCR.IO/', '$', '{{', '}', 'a', ' ', '`'], 6)) assert.deepEqual(ghcrNames(s), expected(s), JSON.stringify(s));
  });

  it('references finds what /\\$\\{\\{.*?\\}\\}|\\$\\{[^}]*\\}|\\$\\w+/g finds', () => {
    const REFERENCE = /\$\{\{.*?\}\}|\$\{[^}]*\}|\$\w+/g;
    for (const s of strings(['$', '{', '}', 'a', ' ', '\n', '_'], 7)) {
      assert.deepEqual(references(s), [...s.matchAll(REFERENCE)].map((m) => ({ index: m.index, text: m[0] })), JSON.stringify(s));
    }
  });
});

describe('workflow-image-tag', () => {
  it('scriptTags reads what its two expressions match, -t tags first, then docker tag targets', () => {
    const E = String.raw`\$\{\{[^}]*\}\}`;
    const part = (char: string) => `(?:${E}|(?!${E})${char})`;
    const BUILD = new RegExp(String.raw`(?:\s-t|--tag)(?:=|\s+)(["']?)(${part(String.raw`[^\s"']`)}+)\1`, 'g');
    const TAG = new RegExp(String.raw`\bdocker\s+(?:image\s+)?tag\s+${part(String.raw`\S`)}+\s+(["']?)(${part(String.raw`[^\s"']`)}+)\1`, 'g');
    const expected = (s: string) => [...[...s.matchAll(BUILD)].map((m) => m[2]), ...[...s.matchAll(TAG)].map((m) => m[2])];
    for (const alphabet of [[' -t ', '--tag', '=', '"', "'", '${{', '}}', '}', 'a', ' ', '\t'], ['docker ', 'image ', 'tag ', 'x', '"', '${{', '}}', ' ', 'a', '_', 'ddocker ']]) {
      for (const s of strings(alphabet, 5)) assert.deepEqual(scriptTags(s), expected(s), JSON.stringify(s));
    }
  });

  it('maskExpressions is replace(/\\$\\{\\{.*?\\}\\}/g, X for each character)', () => {
    for (const s of strings(['${{', '$', '{', '}}', '}', 'a', '\n', ' ', '\r'], 6)) {
      assert.equal(maskExpressions(s), s.replace(/\$\{\{.*?\}\}/g, (x) => 'X'.repeat(x.length)), JSON.stringify(s));
    }
  });

  // Each `}` is a YAML error; the yaml package copied the whole line into each error's message.
  it('parses a workflow line of 300,000 `}`', async () => {
    const text = `on: ${'}'.repeat(300_000)}!\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build .\n`;
    assert.deepEqual(await checkInWorker({ kind: 'workflow', input: { text } }), { ruleIds: [], builds: false });
  });
  it('reads a megabyte of unclosed ${{ in a tag and an image name', async () => {
    const run = '${{'.repeat(MB / 3);
    const text = `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -t "ghcr.io/a/${run}x .\n      - run: docker tag a ghcr.io/a/b:${run}x\n`;
    assert.equal((await checkInWorker({ kind: 'workflow', input: { text } })).builds, true);
  });

  // 2^n ways to split a quoted tag of n expressions with no closing quote were all tried:
  // 23 took 4 s, 40 would have taken days.
  it('reads a quoted tag of 40 expressions with no closing quote', async () => {
    const text = `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -t "${'${{github.sha}}'.repeat(40)}x .\n`;
    assert.equal((await checkInWorker({ kind: 'workflow', input: { text } })).builds, true);
  });
});

describe('a check of megabyte runs of one character finishes', () => {
  const gate = { 'package.json': '{"main":"index.js"}', 'yarn.lock': '', 'index.js': '' };
  const dockerfiles: [string, string][] = [
    ['spaces before the image', `FROM ${' '.repeat(MB)}!\n`],
    ['spaces in a RUN', `FROM node:20-alpine\nRUN ${' '.repeat(MB)}!\n`],
    ['slashes in a COPY source', `FROM node:20-alpine\nCOPY ${'/'.repeat(MB)}! /app\n`],
    ['unclosed ${ in an exec form', `FROM node:20-alpine\nCMD ["${'${a'.repeat(MB / 3)}!"]\n`],
    ['tabs before a last instruction ending in blanks', `FROM node:20-alpine\nRUN echo${'\t'.repeat(MB)}x \t\n`],
  ];
  for (const [name, text] of dockerfiles) {
    it(name, async () => {
      const { ruleIds } = await checkInWorker({ kind: 'dockerfile', input: { text, task: 'gate' }, projectFiles: gate });
      assert.ok(!ruleIds.includes('internal-error'), ruleIds.join(', '));
    });
  }

  const goProject = (files: Record<string, string>) => ({ 'go.mod': 'module example.com/app\n\ngo 1.22\n', 'main.go': 'package main\n\nfunc main() {}\n', ...files });
  const goDockerfile = 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n';
  const projects: [string, Record<string, string>, TaskName][] = [
    ['blank lines before go.mod\'s module line', { 'go.mod': '\n'.repeat(MB) + 'x\nmodule example.com/app\n' }, 'scratch'],
    ['blank lines before a Go file\'s package line', { 'main.go': ' \n'.repeat(MB / 2) + 'x\npackage main\n' }, 'scratch'],
  ];
  for (const [name, files, task] of projects) {
    it(name, async () => {
      const { ruleIds } = await checkInWorker({ kind: 'dockerfile', input: { text: goDockerfile, task }, projectFiles: goProject(files) });
      assert.ok(!ruleIds.includes('internal-error'), ruleIds.join(', '));
    });
  }
});
