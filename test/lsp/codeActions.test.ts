/** Fixes that touch other files (create .dockerignore, edit package.json) as WorkspaceEdits. */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { publishedFixes, workspaceEditFor } from '../../server/src/lsp/codeActions';
import type { Diagnostic, ResolvedFix } from '../../server/src/engine/types';

const at = (line: number, character: number) => ({ line, character });
const insertUser: ResolvedFix = { title: 'Add USER node', preferred: true, edits: [{ range: { start: at(1, 0), end: at(1, 0) }, newText: 'USER node\n' }] };
const withIgnoreFile: ResolvedFix = { ...insertUser, otherFiles: [{ file: '.dockerignore', create: 'node_modules\n' }] };
const full = { documentChanges: true, createFiles: true };

describe('workspaceEditFor', () => {
  let dir: string;
  let document: TextDocument;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-edits-'));
    document = TextDocument.create(pathToFileURL(path.join(dir, 'Dockerfile')).href, 'dockerfile', 7, 'FROM node:20\nCMD ["node", "index.js"]\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('versions the edit of the document itself', () => {
    assert.deepEqual(workspaceEditFor([insertUser], { document, documentDir: dir, capabilities: full }), {
      documentChanges: [{ textDocument: { uri: document.uri, version: 7 }, edits: insertUser.edits }],
    });
  });

  it('creates a missing file next to the Dockerfile, then fills it', () => {
    const ignoreUri = pathToFileURL(path.join(dir, '.dockerignore')).href;
    assert.deepEqual(workspaceEditFor([withIgnoreFile], { document, documentDir: dir, capabilities: full }), {
      documentChanges: [
        { textDocument: { uri: document.uri, version: 7 }, edits: insertUser.edits },
        { kind: 'create', uri: ignoreUri, options: { ignoreIfExists: true } },
        { textDocument: { uri: ignoreUri, version: null }, edits: [{ range: { start: at(0, 0), end: at(0, 0) }, newText: 'node_modules\n' }] },
      ],
    });
  });

  it('leaves an existing file alone instead of prepending to it', () => {
    const existing = path.join(dir, 'exists', '.dockerignore');
    fs.mkdirSync(path.dirname(existing));
    fs.writeFileSync(existing, '.git\n');
    const fix: ResolvedFix = { ...insertUser, otherFiles: [{ file: 'exists/.dockerignore', create: 'node_modules\n' }] };
    assert.deepEqual(workspaceEditFor([fix], { document, documentDir: dir, capabilities: full })?.documentChanges, [
      { textDocument: { uri: document.uri, version: 7 }, edits: insertUser.edits },
    ]);
  });

  it('edits another file without a version (it is not an open Dockerfile)', () => {
    const edits = [{ range: { start: at(0, 1), end: at(0, 1) }, newText: '"private": true, ' }];
    const fix: ResolvedFix = { title: 'Mark private', preferred: true, edits: [], otherFiles: [{ file: 'package.json', edits }] };
    assert.deepEqual(workspaceEditFor([fix], { document, documentDir: dir, capabilities: full }), {
      documentChanges: [{ textDocument: { uri: pathToFileURL(path.join(dir, 'package.json')).href, version: null }, edits }],
    });
  });

  it('drops fixes the client cannot apply', () => {
    assert.equal(workspaceEditFor([withIgnoreFile], { document, documentDir: dir, capabilities: { documentChanges: true, createFiles: false } }), undefined);
    assert.equal(workspaceEditFor([withIgnoreFile], { document, documentDir: undefined, capabilities: full }), undefined, 'untitled: no folder to create in');
    assert.deepEqual(workspaceEditFor([insertUser], { document, documentDir: dir, capabilities: { documentChanges: false, createFiles: false } }), {
      changes: { [document.uri]: insertUser.edits },
    });
  });
});

describe('publishedFixes (clients that drop a diagnostic\'s data)', () => {
  const range = { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } };
  const fix: ResolvedFix = { title: 'Add USER', edits: [{ range, newText: 'USER node' }], preferred: true };
  const published = {
    version: 7,
    diagnostics: [{ ruleId: 'non-root-user', severity: 'error', message: 'm', range, fixes: [fix], docs: 'd' } as Diagnostic],
  };
  const lsp = (code: string, r = range) => ({ code, range: r, message: 'm' });

  it('finds the fixes of the finding with the same rule and range, with the version they were made for', () => {
    assert.deepEqual(publishedFixes(published, lsp('non-root-user')), { version: 7, fixes: [fix] });
  });
  it('nothing for another rule, another range, or nothing published', () => {
    assert.equal(publishedFixes(published, lsp('exec-form')), undefined);
    assert.equal(publishedFixes(published, lsp('non-root-user', { start: range.start, end: { line: 2, character: 10 } })), undefined);
    assert.equal(publishedFixes(undefined, lsp('non-root-user')), undefined);
  });
});
