/** Findings in other files than the Dockerfile: carried through the engine, never suppressed by Dockerfile comments, fixed by fixAll. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkDockerfile, fixAll } from '../server/src/engine/engine';
import { memoryProject } from '../server/src/engine/project';
import { normalizeRelPath, overlayProject } from '../server/src/engine/sourceFiles';
import type { Rule } from '../server/src/engine/types';

const at = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

/** Reports `x` in src/app.js (with a fix) and in the Dockerfile. */
const probe: Rule = {
  id: 'probe',
  courseRule: 0,
  title: { en: 'p', ru: 'p' },
  defaultSeverity: 'error',
  tasks: ['gate'],
  messages: { m: { en: 'm {n}', ru: 'm {n}' } },
  check: ({ analysis }) => {
    const src = analysis.project.read('src/app.js') ?? '';
    const line = src.split('\n').findIndex((l) => l.includes('x'));
    const from = analysis.instructions[0]?.range.start.line ?? 0;
    const findings = [{ messageId: 'm', data: { n: 'df' }, range: at(from, 0, 4) }];
    if (line >= 0) {
      const col = src.split('\n')[line].indexOf('x');
      findings.push({ messageId: 'm', data: { n: 'src' }, file: './src//app.js', range: at(line, col, col + 1), fixes: [{ title: { en: 'y', ru: 'y' }, edits: [{ range: at(line, col, col + 1), newText: 'y' }] }] } as never);
    }
    return findings;
  },
};

describe('findings in other files', () => {
  const files = { 'src/app.js': 'let a;\nconst x = 1;\n' };
  it('carry their normalized file; the Dockerfile\'s come first', () => {
    const r = checkDockerfile({ text: 'FROM node:18.16.0-alpine3.17\n', project: memoryProject(files), task: 'gate', rules: [probe] });
    assert.deepEqual(
      r.diagnostics.map((d) => [d.file, d.message, d.range.start.line]),
      [
        [undefined, 'm df', 0],
        ['src/app.js', 'm src', 1],
      ],
    );
  });
  it('a coach-ignore comment in the Dockerfile silences only the Dockerfile\'s findings', () => {
    const text = '# coach-ignore-file probe\nFROM node:18.16.0-alpine3.17\n';
    const r = checkDockerfile({ text, project: memoryProject(files), task: 'gate', rules: [probe] });
    assert.deepEqual(r.diagnostics.filter((d) => d.ruleId === 'probe').map((d) => d.file), ['src/app.js']);
    const line = '# coach-ignore probe\nFROM node:18.16.0-alpine3.17\n';
    // The finding at line 1 of src/app.js is not "the instruction below the comment" of the Dockerfile.
    const ignored = checkDockerfile({ text: line, project: memoryProject(files), task: 'gate', rules: [probe] }).diagnostics.filter((d) => d.ruleId === 'probe');
    assert.deepEqual(ignored.map((d) => d.file), ['src/app.js']);
  });
  it('fixAll applies their fixes to their files, in memory, and re-checks with the new content', () => {
    const r = fixAll({ text: 'FROM node:18.16.0-alpine3.17\n', project: memoryProject(files), task: 'gate', rules: [probe] });
    assert.deepEqual(r.files, { 'src/app.js': 'let a;\nconst y = 1;\n' });
    assert.equal(r.text, 'FROM node:18.16.0-alpine3.17\n');
    assert.equal(r.rounds, 1);
    assert.deepEqual(r.result.diagnostics.map((d) => d.file), [undefined]);
  });
  it('fixAll on the gate first attempt fixes index.js too', () => {
    const project = memoryProject({
      'package.json': '{"main":"index.js","scripts":{"start":"nodemon index.js"},"devDependencies":{"nodemon":"2"}}',
      'yarn.lock': '',
      'index.js': "// FIXME: algorithm\nconst algorithm = 'sha256';\n// FIXME: secret\nconst secret = 'dev';\nrequire('http').createServer().listen(9000, 'localhost');\n",
    });
    const r = fixAll({ text: 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD yarn start\n', project, task: 'gate' });
    assert.equal(r.files['index.js'], "const algorithm = process.env.HMAC_ALGO || 'sha256';\nconst secret = process.env.HMAC_SECRET;\nrequire('http').createServer().listen(9000, '0.0.0.0');\n");
    assert.match(r.text, /^CMD \["node", "index\.js"\]$/m);
    assert.deepEqual(r.result.diagnostics.filter((d) => d.file !== undefined && d.severity === 'error'), []);
  });
  it('paths and overlays', () => {
    assert.equal(normalizeRelPath('./cmd//main.go'), 'cmd/main.go');
    assert.equal(normalizeRelPath('cmd\\main.go'), 'cmd/main.go');
    const p = overlayProject(memoryProject({ 'a.js': '1' }), new Map([['a.js', '2'], ['b.js', '3']]));
    assert.deepEqual([p.read('./a.js'), p.read('b.js'), p.exists('b.js'), p.read('c.js')], ['2', '3', true, undefined]);
  });
});
