/** Workflow documents in the language server: publish, quick fix, fix-all, close. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import { WorkflowDocuments, isWorkflowDocument } from '../../server/src/lsp/workflowDocuments';
import { FIX_ALL_KIND } from '../../server/src/lsp/protocol';

const TEXT = 'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -t app:1 .\n';
const URI = 'file:///repo/.github/workflows/ci.yml';

describe('WorkflowDocuments', () => {
  it('recognises workflow documents by URI', () => {
    assert.ok(isWorkflowDocument({ uri: URI }));
    assert.ok(isWorkflowDocument({ uri: 'file:///c%3A/repo/.github/workflows/docker%20image.yaml' }));
    assert.ok(!isWorkflowDocument({ uri: 'file:///repo/docker-compose.yml' }));
    assert.ok(!isWorkflowDocument({ uri: 'file:///repo/.github/workflows/readme.md' }));
  });

  it('publishes, offers the quick fix and fix-all, clears on close', async () => {
    const sent: { uri: string; version: number | undefined; diagnostics: LspDiagnostic[] }[] = [];
    const docs = new WorkflowDocuments((uri, version, diagnostics) => sent.push({ uri, version, diagnostics }), 'docs/rules/');
    const document = TextDocument.create(URI, 'yaml', 3, TEXT);
    docs.check(document, { lang: 'en' });
    assert.equal(sent.length, 1);
    assert.deepEqual(
      sent[0].diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.source, d.codeDescription?.href]),
      [
        ['workflow-ghcr-push', 5, 13, 'dockerfile-coach', 'docs/rules/workflow-ghcr-push.md'],
        ['workflow-legacy-builder', 5, 13, 'dockerfile-coach', 'docs/rules/workflow-legacy-builder.md'],
      ],
    );
    const legacy = sent[0].diagnostics.find((d) => d.code === 'workflow-legacy-builder') as LspDiagnostic;
    // A client that drops `data`: the fixes are looked up from what was published.
    const actions = await docs.codeActions(
      { textDocument: { uri: URI }, range: legacy.range, context: { diagnostics: [{ ...legacy, data: undefined }] } },
      document,
      { lang: 'ru' },
      { documentChanges: true, createFiles: true },
    );
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind]),
      [
        ['Prefix with DOCKER_BUILDKIT=0', 'quickfix'],
        ['Исправить все замечания Dockerfile Coach', FIX_ALL_KIND],
      ],
    );
    assert.deepEqual(actions[0].edit, {
      documentChanges: [{ textDocument: { uri: URI, version: 3 }, edits: [{ range: { start: { line: 5, character: 13 }, end: { line: 5, character: 13 } }, newText: 'DOCKER_BUILDKIT=0 ' }] }],
    });
    docs.close(URI);
    assert.deepEqual(sent[1], { uri: URI, version: undefined, diagnostics: [] });
  });
});
