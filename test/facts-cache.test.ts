/** engine/facts/cache.ts: project facts taken over from an earlier check while the project answers the same. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { memoByProject } from '../server/src/engine/facts/cache';
import { nodeFacts } from '../server/src/engine/facts/node';
import { checkDockerfile } from '../server/src/engine/engine';
import { memoryProject, ProjectFiles } from '../server/src/engine/project';

/** A fresh per-check view of `files` (as the engine's ProjectReads wrapper is), counting the questions. */
function view(files: Record<string, string>, dir = '/facts-cache') {
  const inner = memoryProject(files, dir);
  const asked: string[] = [];
  const project: ProjectFiles = {
    dir: inner.dir,
    workspaceRoot: inner.workspaceRoot,
    read: (rel) => (asked.push(`read ${rel}`), inner.read(rel)),
    exists: (rel) => (asked.push(`exists ${rel}`), inner.exists(rel)),
    list: (rel) => (asked.push(`list ${rel}`), inner.list(rel)),
  };
  return { project, asked };
}

describe('memoByProject across checks', () => {
  it('computes once per check, then takes the value over while every answer is the same, asking again', () => {
    const files = { 'a.txt': 'one', 'b.txt': 'two' };
    let computed = 0;
    const compute = (p: ProjectFiles) => {
      computed++;
      return { a: p.read('a.txt'), hasB: p.exists('b.txt'), names: p.list('.') };
    };
    const first = view(files);
    const v1 = memoByProject(first.project, 'test:same', compute);
    assert.equal(memoByProject(first.project, 'test:same', compute), v1, 'same check: the same value');
    assert.equal(computed, 1);
    assert.deepEqual(v1, { a: 'one', hasB: true, names: ['a.txt', 'b.txt'] });
    assert.ok(Object.isFrozen(v1) && Object.isFrozen(v1.names), 'frozen, deeply');

    const second = view(files);
    assert.equal(memoByProject(second.project, 'test:same', compute), v1, 'the next check: taken over');
    assert.equal(computed, 1);
    assert.deepEqual(second.asked, ['read a.txt', 'exists b.txt', 'list .'], "each question asked again, through the check's project");
  });

  it('computes again when one answer differs: a file changed, appeared or disappeared', () => {
    let computed = 0;
    const compute = (p: ProjectFiles) => (computed++, `${p.read('a.txt')}|${p.exists('b.txt')}`);
    assert.equal(memoByProject(view({ 'a.txt': '1' }).project, 'test:differs', compute), '1|false');
    assert.equal(memoByProject(view({ 'a.txt': '2' }).project, 'test:differs', compute), '2|false');
    assert.equal(memoByProject(view({ 'a.txt': '2', 'b.txt': '' }).project, 'test:differs', compute), '2|true');
    assert.equal(memoByProject(view({ 'a.txt': '2', 'b.txt': '' }).project, 'test:differs', compute), '2|true');
    assert.equal(computed, 3);
  });

  it('keeps projects in other folders apart', () => {
    let computed = 0;
    const compute = (p: ProjectFiles) => (computed++, p.read('a.txt'));
    assert.equal(memoByProject(view({ 'a.txt': 'x' }, '/one').project, 'test:dirs', compute), 'x');
    assert.equal(memoByProject(view({ 'a.txt': 'x' }, '/two').project, 'test:dirs', compute), 'x');
    assert.equal(computed, 2);
  });

  it("nodeFacts: an edit in a required module is seen by the next check's facts", () => {
    const pkg = JSON.stringify({ name: 'app', main: 'index.js' });
    const before = nodeFacts(view({ 'package.json': pkg, 'index.js': "require('./server');\n", 'server.js': 'app.listen(3000);\n' }).project);
    const same = nodeFacts(view({ 'package.json': pkg, 'index.js': "require('./server');\n", 'server.js': 'app.listen(3000);\n' }).project);
    assert.equal(same, before);
    assert.deepEqual(before.files, ['index.js', 'server.js']);
    const after = nodeFacts(view({ 'package.json': pkg, 'index.js': "require('./server');\n", 'server.js': 'app.listen(8080);\n' }).project);
    assert.notEqual(after, before);
    assert.deepEqual(
      [before, after].map((f) => f.listens.map((l) => (l.port.kind === 'literal' ? l.port.value : l.port.kind))),
      [[3000], [8080]],
    );
  });

  it('a check after a project edit reports from the new files (engine)', () => {
    const text = 'FROM node:18.16.0-alpine3.17\nWORKDIR /app\nCOPY . .\nUSER node\nEXPOSE 3000\nCMD ["node", "index.js"]\n';
    const files = (port: number) => memoryProject({ 'package.json': JSON.stringify({ name: 'app', main: 'index.js' }), 'index.js': `require('http').createServer().listen(${port});\n` }, '/facts-cache-engine');
    const exposed = (port: number) => checkDockerfile({ text, project: files(port), task: 'gate' }).diagnostics.filter((d) => d.ruleId === 'exposed-port');
    const first = exposed(3000);
    assert.deepEqual(exposed(3000), first);
    assert.deepEqual(exposed(3000).length, 0, 'EXPOSE 3000 matches listen(3000)');
    assert.equal(exposed(8080).length, 1, 'listen(8080) now: EXPOSE 3000 is reported');
  });
});
