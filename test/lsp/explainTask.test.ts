/**
 * The `dockerfileCoach/explainTask` request over real LSP (dist/server.js with --stdio): the checklist of
 * the open Dockerfile's task, with the settings, the task picker's choice and the open buffer's text.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import { EXPLAIN_TASK_REQUEST, ExplainTaskResult, SET_TASK_REQUEST } from '../../server/src/lsp/protocol';
import { LspTestClient, REPO_ROOT, pathToUri } from './lspClient';

const SHELL_FORM = 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD yarn start\n';
const DOCS = pathToUri(path.join(REPO_ROOT, 'docs', 'rules')) + '/';

describe('dockerfileCoach/explainTask over --stdio', () => {
  let client: LspTestClient;
  let dir: string;
  let uri: string;
  const explain = (u = uri) => client.connection.sendRequest<ExplainTaskResult>(EXPLAIN_TASK_REQUEST, { uri: u });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-explain-'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'gate', main: 'index.js', scripts: { start: 'node index.js' } }));
    fs.writeFileSync(path.join(dir, 'yarn.lock'), '');
    fs.writeFileSync(path.join(dir, 'index.js'), 'require("http").createServer().listen(3000);\n');
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
    uri = pathToUri(path.join(dir, 'Dockerfile'));
    client = new LspTestClient();
    await client.initialize(dir, { workspace: { configuration: true } }, { locale: 'en-US' });
    const published = client.nextDiagnostics(uri);
    // The buffer, not the file on disk, is explained.
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: SHELL_FORM } });
    await published;
  });

  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers the Markdown checklist of the detected task, in English, with the shipped docs links', async () => {
    const { markdown } = await explain();
    const lines = markdown.split('\n');
    assert.deepEqual(lines.slice(0, 3), ['# Gate task: Node.js HMAC service', '', '**Why this task:** package.json, yarn.lock and index.js found']);
    assert.ok(lines.includes(`- ✅ **Rule 1. Run the final stage as a non-root user** — passes ([docs/rules/non-root-user.md](${DOCS}non-root-user.md))`), markdown);
    const execForm = lines.indexOf(`- ❌ **Rule 6. CMD and ENTRYPOINT in exec form** — 1 finding ([docs/rules/exec-form.md](${DOCS}exec-form.md))`);
    assert.ok(execForm > 0, markdown);
    assert.match(lines[execForm + 1], /^ {2}- line 3: CMD is in shell form: .* \(error\)$/);
  });

  it('follows dockerfileCoach.language, the rule levels and the task picker', async () => {
    client.settings = { language: 'ru', rules: { 'exec-form': 'off' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    let { markdown } = await explain();
    assert.ok(markdown.startsWith('# Gate Task: сервис HMAC на Node.js\n\n**Почему это задание:** найдены package.json, yarn.lock и index.js\n'), markdown);
    assert.ok(markdown.includes(`- ➖ **Правило 6. CMD и ENTRYPOINT в exec-форме** — отключено, не проверяется ([docs/rules/exec-form.md](${DOCS}exec-form.md))\n`), markdown);

    await client.connection.sendRequest(SET_TASK_REQUEST, { uri, task: 'generic' });
    ({ markdown } = await explain());
    assert.ok(markdown.startsWith('# Обычный Dockerfile (общие правила курса)\n\n**Почему это задание:** выбрано вручную в списке заданий\n'), markdown);
    await client.connection.sendRequest(SET_TASK_REQUEST, { uri, task: null });
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  });

  it('a document that is not open is an InvalidParams error', async () => {
    await assert.rejects(explain(pathToUri(path.join(dir, 'Other.Dockerfile'))), (e: unknown) => e instanceof ResponseError && e.code === -32602 && /not open/.test(e.message));
    assert.deepEqual(client.errors, []);
  });
});
