/**
 * dockerignore's fixes change only another file (.dockerignore), so the invalid cases check the file
 * the fix creates or extends (through fixAll, as `--fix` applies it) instead of the Dockerfile's text.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ruleTests } from '../ruleTester';
import { checkDockerfile, fixAll } from '../../server/src/engine/engine';
import { applyOtherFiles, applyPreferredFixes } from '../../server/src/engine/edits';
import { memoryProject } from '../../server/src/engine/project';
import { overlayProject } from '../../server/src/engine/sourceFiles';
import type { Severity, TaskName } from '../../server/src/engine/types';
import { Analysis } from '../../server/src/engine/analysis';
import { mayNameWholeContext } from '../../server/src/rules/dockerignore';
import { isWholeContext } from '../../server/src/rules/paths';
import { prng } from '../../bench/generate';
import { corpus, fuzzInputs } from '../fuzz/corpus';
import { readCorpus, readExamples } from '../editing';

const NODE = 'FROM node:18.16.0-alpine3.17';
const NODE_FILES = { 'package.json': '{"name":"app","main":"index.js"}', 'yarn.lock': '', 'index.js': '' };
const GO_FILES = { 'go.mod': 'module app\n', 'main.go': 'package main\n' };
const GOOD_NODE_IGNORE = 'node_modules\n.git\n.env\n';

ruleTests('dockerignore', {
  valid: [
    { name: 'the gate solution: no whole-context copy', code: `${NODE}\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile --production\nCOPY index.js ./\n`, files: NODE_FILES },
    { name: 'COPY . . with a complete .dockerignore', code: `${NODE}\nWORKDIR /app\nCOPY . .\n`, files: { ...NODE_FILES, '.dockerignore': GOOD_NODE_IGNORE } },
    { name: 'Go project: node_modules not required (the distroless solution)', code: 'FROM golang:1.19.13-bullseye AS build\nWORKDIR /app\nCOPY . .\n', task: 'distroless', files: { ...GO_FILES, '.dockerignore': '.git\n.env\nDockerfile\ndocker-compose.yml\n.dockerignore\n' } },
    { name: 'patterns: leading slash, trailing slash, ** and an allowlist', code: `${NODE}\nCOPY . /app\n`, files: { ...NODE_FILES, '.dockerignore': '/node_modules/\n**/.git\n.env\n' } },
    { name: 'allowlist style: ignore everything, re-include the sources', code: `${NODE}\nCOPY . /app\n`, files: { ...NODE_FILES, '.dockerignore': '*\n!index.js\n!package.json\n!yarn.lock\n' } },
    { name: 'COPY --from . is not the context', code: 'FROM golang:1.19.13-bullseye AS build\nFROM scratch\nCOPY --from=build . /\n', task: 'scratch', files: GO_FILES },
    { name: 'ADD of a URL', code: `${NODE}\nADD https://example.com/x.tgz /tmp/\n`, files: NODE_FILES },
    { name: 'copying a folder, not the whole context', code: `${NODE}\nCOPY src/ /app/src/\n`, files: NODE_FILES },
    { name: 'a heredoc COPY is not the context', code: `${NODE}\nCOPY <<EOF /app/.env\nX=1\nEOF\n`, files: NODE_FILES },
  ],
  invalid: [],
});

interface FixCase {
  name: string;
  code: string;
  files: Record<string, string>;
  task?: TaskName;
  messageId: string;
  range: [number, number, number, number];
  severity?: Severity;
  includes?: string;
  /** .dockerignore after the fix. */
  dockerignore: string;
}

const cases: FixCase[] = [
  {
    name: 'no .dockerignore in a Node project: created with node_modules, .git, .env',
    code: `${NODE}\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile --production\n`,
    files: NODE_FILES,
    messageId: 'missing',
    range: [2, 5, 2, 6],
    severity: 'error',
    includes: 'node_modules, .git, .env',
    dockerignore: 'node_modules\n.git\n.env\n',
  },
  {
    name: 'Go project: .git and .env only; CRLF Dockerfile gives a CRLF file',
    code: 'FROM golang:1.19\r\nWORKDIR /app\r\nCOPY . .\r\n',
    files: GO_FILES,
    task: 'distroless',
    messageId: 'missing',
    range: [2, 5, 2, 6],
    dockerignore: '.git\r\n.env\r\n',
  },
  {
    name: 'an incomplete .dockerignore is extended, not rewritten (no newline at its end)',
    code: `${NODE}\nWORKDIR /app\nADD ./ /app/\n`,
    files: { ...NODE_FILES, '.dockerignore': '# deps\nnode_modules' },
    messageId: 'incomplete',
    range: [2, 4, 2, 6],
    includes: '.git, .env',
    dockerignore: '# deps\nnode_modules\n.git\n.env\n',
  },
  {
    name: 'a negation that re-includes .env counts as not excluded; CRLF .dockerignore stays CRLF',
    code: `${NODE}\nCOPY * /app/\n`,
    files: { ...NODE_FILES, '.dockerignore': 'node_modules\r\n.git\r\n.env\r\n!.env\r\n' },
    messageId: 'incomplete',
    range: [1, 5, 1, 6],
    dockerignore: 'node_modules\r\n.git\r\n.env\r\n!.env\r\n.env\r\n',
  },
  {
    name: 'node_modules/* (contents) counts; .git/ in a subfolder only does not',
    code: `${NODE}\nCOPY . /app\n`,
    files: { ...NODE_FILES, '.dockerignore': 'node_modules/*\nsub/.git\n.env\n' },
    messageId: 'incomplete',
    range: [1, 5, 1, 6],
    includes: 'does not exclude .git',
    dockerignore: 'node_modules/*\nsub/.git\n.env\n.git\n',
  },
  {
    name: 'only a builder stage copies the context: a warning',
    code: 'FROM golang:1.19.13-bullseye AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n',
    files: GO_FILES,
    task: 'scratch',
    messageId: 'missing',
    range: [2, 5, 2, 6],
    severity: 'warning',
    dockerignore: '.git\n.env\n',
  },
  {
    name: 'the first whole-context copy of the final image gets the finding; escape directive, JSON form',
    code: '# escape=`\nFROM golang:1.19.13-bullseye AS build\nCOPY . /src\nFROM golang:1.19.13-bullseye\nCOPY [".", "/app/"]\n',
    files: GO_FILES,
    task: 'generic',
    messageId: 'missing',
    range: [4, 6, 4, 9],
    severity: 'warning',
    dockerignore: '.git\n.env\n',
  },
  {
    name: 'a source through a variable (ARG before FROM, re-declared)',
    code: `ARG CTX=.\n${NODE}\nARG CTX\nCOPY \${CTX} /app\n`,
    files: NODE_FILES,
    messageId: 'missing',
    range: [3, 5, 3, 11],
    dockerignore: 'node_modules\n.git\n.env\n',
  },
];

describe('dockerignore fixes (other files)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const task = c.task ?? 'gate';
      const project = memoryProject(c.files);
      const found = checkDockerfile({ text: c.code, project, task }).diagnostics.filter((d) => d.ruleId === 'dockerignore');
      assert.deepEqual(
        found.map((d) => ({ messageId: d.messageId, range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character] })),
        [{ messageId: c.messageId, range: c.range }],
      );
      if (c.severity) assert.equal(found[0].severity, c.severity);
      if (c.includes) assert.ok(found[0].message.includes(c.includes), found[0].message);
      for (const lang of ['en', 'ru'] as const) {
        const d = checkDockerfile({ text: c.code, project, task, lang }).diagnostics.find((x) => x.ruleId === 'dockerignore');
        assert.doesNotMatch(`${d?.message} ${d?.fixes.map((f) => f.title).join(' ')}`, /\{\?\w+\}/);
      }
      // The fix edits only .dockerignore; applied the way fix-all and the lightbulb apply it.
      const fix = found[0].fixes[0];
      assert.deepEqual(fix.edits, []);
      const { applied, text } = applyPreferredFixes(c.code, found);
      assert.equal(text, c.code);
      assert.equal(applied.length, 1);
      const files = new Map<string, string>();
      assert.equal(applyOtherFiles(project, files, applied), true);
      assert.deepEqual(Object.fromEntries(files), { '.dockerignore': c.dockerignore });
      // The finding is gone once the file is there, and nothing else is left to fix.
      const after = checkDockerfile({ text: c.code, project: overlayProject(project, files), task }).diagnostics.filter((d) => d.ruleId === 'dockerignore');
      assert.deepEqual(after.map((d) => d.message), []);
      // fixAll (the CLI's --fix) ends with the same file.
      const all = fixAll({ text: c.code, project, task });
      assert.equal(all.files['.dockerignore'], c.dockerignore);
      assert.equal(all.result.diagnostics.filter((d) => d.ruleId === 'dockerignore').length, 0);
    });
  }

  it('an unsaved Dockerfile has no context to read: silent', () => {
    const unsaved = { ...memoryProject({}), dir: undefined };
    const d = checkDockerfile({ text: `${NODE}\nCOPY . .\n`, task: 'gate', project: unsaved }).diagnostics.filter((x) => x.ruleId === 'dockerignore');
    assert.deepEqual(d, []);
  });

  it('create never overwrites an existing file', () => {
    const project = memoryProject({ ...NODE_FILES, '.dockerignore': 'x\n' });
    const files = new Map<string, string>();
    assert.equal(applyOtherFiles(project, files, [{ title: 't', edits: [], preferred: true, otherFiles: [{ file: '.dockerignore', create: 'node_modules\n' }] }]), false);
    assert.equal(files.size, 0);
  });

  it('two fixes extending one other file wait for separate rounds', () => {
    const edit = (newText: string) => ({ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText });
    const mk = (text: string) => ({
      ruleId: 'r',
      severity: 'error' as const,
      message: '',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      docs: '',
      fixes: [{ title: text, edits: [], preferred: true, otherFiles: [{ file: './.dockerignore', edits: [edit(text)] }] }],
    });
    const { applied } = applyPreferredFixes('FROM x\n', [mk('a\n'), mk('b\n')]);
    assert.deepEqual(applied.map((f) => f.title), ['a\n']);
  });
});

describe('dockerignore: mayNameWholeContext scans the words in place as split(/\\s+/) cuts them', () => {
  // The implementation it replaced, word for word.
  const bySplit = (text: string, start: number, end: number) => {
    const words = text.slice(start, end).split(/\s+/);
    for (let i = 1; i < words.length - 1; i++) {
      if (words[i] === '') continue;
      if (isWholeContext(words[i]) || /[$"'[\\`]/.test(words[i])) return true;
    }
    return false;
  };

  it('agrees on every COPY/ADD of the examples, the corpus and 2,000 fuzz inputs', () => {
    let copies = 0;
    let maybes = 0;
    for (const text of [...readExamples(), ...readCorpus(), ...corpus(), ...fuzzInputs(2000).map((f) => f.text)]) {
      const analysis = new Analysis(text);
      for (const instr of analysis.instructions) {
        if (instr.keyword !== 'COPY' && instr.keyword !== 'ADD') continue;
        copies++;
        const expected = bySplit(analysis.text, instr.start, instr.end);
        if (expected) maybes++;
        assert.equal(mayNameWholeContext(analysis.text, instr.start, instr.end), expected, analysis.text.slice(instr.start, instr.end));
      }
    }
    assert.ok(copies > 500 && maybes > 100 && maybes < copies, `${copies} COPY/ADD, ${maybes} maybes`);
  });

  it('agrees on 20,000 random texts of words, every kind of JavaScript space, and the special characters', () => {
    // Every character \s matches (25 in the BMP), so a space the scan does not know shows up.
    const spaces = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c)).filter((ch) => /\s/.test(ch));
    assert.equal(spaces.length, 25);
    const pieces = ['COPY', '.', './', '*', './*', '/', 'src', 'a.b', '$X', '"', "'", '[', '\\', '`', '  ', '\r\n', 'é', '\u200b', ...spaces];
    const rnd = prng(20261207);
    for (let n = 0; n < 20000; n++) {
      const text = Array.from({ length: Math.floor(rnd() * 9) }, () => pieces[Math.floor(rnd() * pieces.length)]).join('');
      const start = Math.floor(rnd() * 3) === 0 ? 0 : Math.floor(rnd() * (text.length + 1));
      const end = start + Math.floor(rnd() * (text.length - start + 1));
      assert.equal(mayNameWholeContext(text, start, end), bySplit(text, start, end), JSON.stringify([text, start, end]));
    }
  });
});
