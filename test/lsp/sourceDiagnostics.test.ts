/** Merging what several Dockerfiles found in one source file, and clearing it. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { SourceDiagnostics, isSourceDocument, sourceUri, withOpenDocuments } from '../../server/src/lsp/sourceDiagnostics';
import { memoryProject } from '../../server/src/engine/project';
import type { Diagnostic } from '../../server/src/engine/types';

const diag = (ruleId: string, line: number): Diagnostic => ({
  ruleId,
  severity: 'error',
  message: `${ruleId} at ${line}`,
  file: 'index.js',
  range: { start: { line, character: 0 }, end: { line, character: 1 } },
  fixes: [],
  docs: '',
});
const entry = (version: number | undefined, ...diagnostics: Diagnostic[]) => ({ version, diagnostics });

describe('SourceDiagnostics', () => {
  it('merges producers without duplicates, sorted by position', () => {
    const s = new SourceDiagnostics();
    assert.deepEqual(s.update('file:///a/Dockerfile', new Map([['file:///a/index.js', entry(undefined, diag('x', 5), diag('y', 1))]])), ['file:///a/index.js']);
    s.update('file:///a/Dockerfile.dev', new Map([['file:///a/index.js', entry(undefined, diag('x', 5))]]));
    assert.deepEqual(s.merged('file:///a/index.js', undefined).map((d) => d.message), ['y at 1', 'x at 5']);
    assert.deepEqual(s.producers('file:///a/index.js'), ['file:///a/Dockerfile', 'file:///a/Dockerfile.dev']);
  });
  it('keeps only what was computed for the open buffer\'s version', () => {
    const s = new SourceDiagnostics();
    s.update('d1', new Map([['src', entry(1, diag('x', 1))]]));
    s.update('d2', new Map([['src', entry(2, diag('x', 2))]]));
    assert.deepEqual(s.merged('src', 2).map((d) => d.message), ['x at 2']);
    assert.deepEqual(s.merged('src', undefined).length, 2);
  });
  it('a producer that finds nothing any more, or closes, leaves; the file is cleared with the last one', () => {
    const s = new SourceDiagnostics();
    s.update('d1', new Map([['src', entry(undefined, diag('x', 1))]]));
    s.update('d2', new Map([['src', entry(undefined, diag('x', 1))]]));
    assert.deepEqual(s.update('d1', new Map()), ['src']);
    assert.equal(s.has('src'), true);
    assert.deepEqual(s.remove('d2'), ['src']);
    assert.equal(s.has('src'), false);
    assert.deepEqual(s.merged('src', undefined), []);
  });
});

describe('source documents', () => {
  it('JavaScript and Go documents are sources, never Dockerfiles', () => {
    assert.ok(isSourceDocument({ languageId: 'javascript', uri: 'file:///p/server.mjs' }));
    assert.ok(isSourceDocument({ languageId: 'go', uri: 'file:///p/main.go' }));
    assert.ok(isSourceDocument({ languageId: 'plaintext', uri: 'file:///p/index.js' }));
    assert.ok(!isSourceDocument({ languageId: 'dockerfile', uri: 'file:///p/Dockerfile' }));
    assert.ok(!isSourceDocument({ languageId: 'dockerfile', uri: 'untitled:Untitled-1' }));
  });
  it('URIs relative to the Dockerfile keep its spelling', () => {
    assert.equal(sourceUri('file:///c%3A/p/Dockerfile', 'cmd/main go.go'), 'file:///c%3A/p/cmd/main%20go.go');
  });
  it('an open buffer replaces the file on disk', () => {
    const p = withOpenDocuments(memoryProject({ 'index.js': 'disk' }, '/p'), (f) => (f === '/p/index.js' ? 'buffer' : undefined));
    assert.equal(p.read('index.js'), 'buffer');
    assert.equal(p.read('./index.js'), 'buffer');
  });
});
