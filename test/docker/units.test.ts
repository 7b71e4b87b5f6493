/**
 * The docker modules' pieces that need no engine: the legacy builder's output mapped to lines (texts
 * recorded from dockerd 20.10), failure messages, tags, compose files, argument safety, tar reading.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Analysis } from '../../server/src/engine/analysis';
import { BuildOutput } from '../../client/src/docker/buildOutput';
import { renderMarkdown, VerifyReport } from '../../client/src/docker/checklist';
import { appService, parseCompose, parseYaml, splitWords } from '../../client/src/docker/compose';
import { firstTarFile } from '../../client/src/docker/dockerCli';
import { classify, ClassifyContext, errorText, redact } from '../../client/src/docker/failures';
import { displayCommand, ProcessResult, runProcess } from '../../client/src/docker/process';
import { runArgs } from '../../client/src/docker/run';
import { defaultTag, isValidTag } from '../../client/src/docker/tags';
import { runPlan } from '../../client/src/docker/taskSpec';
import { EXAMPLES } from './helpers';

const ctx: ClassifyContext = { command: 'docker', subcommand: 'build', host: 'unix:///var/run/docker.sock' };

/** Feeds recorded output to the parser: `out` lines to stdout, `err` lines to stderr. */
function parse(dockerfile: string, out: string[], err: string[]) {
  const o = new BuildOutput(new Analysis(dockerfile));
  out.forEach((l) => o.onStdout(l));
  err.forEach((l) => o.onStderr(l));
  return o.error(ctx);
}

test('build output: a parse error names its line (Unknown flag: link)', () => {
  const e = parse('FROM alpine:3.17\nCOPY --link file.txt /file.txt\n', ['Sending build context to Docker daemon  2.048kB'], [
    'Error response from daemon: dockerfile parse error line 2: Unknown flag: link',
  ]);
  assert.equal(e.line, 1);
  assert.equal(e.kind, 'buildkit-only');
  assert.match(e.message.en, /Unknown flag: link/);
  assert.match(e.message.ru, /BuildKit/);
});

test('build output: a heredoc body line is reported on the RUN that opened it', () => {
  const e = parse('FROM alpine:3.17\nRUN <<EOF\necho hello from heredoc\nEOF\n', [], ['Error response from daemon: dockerfile parse error line 3: unknown instruction: ECHO']);
  assert.equal(e.line, 1);
  assert.equal(e.kind, 'buildkit-only');
  assert.match(e.message.en, /Heredocs .* line 3 .*unknown instruction: ECHO/);
});

test('build output: a step error (the --mount option requires BuildKit) lands on that step, deprecation banner ignored', () => {
  const text = 'FROM alpine:3.17\n\n# cache\nRUN --mount=type=cache,target=/x true\n';
  const e = parse(text, ['Sending build context to Docker daemon  2.048kB', 'Step 1/2 : FROM alpine:3.17', ' ---> 026df49afd77', 'Step 2/2 : RUN --mount=type=cache,target=/x true'], [
    'DEPRECATED: The legacy builder is deprecated and will be removed in a future release.',
    '            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0',
    '            environment-variable.',
    '',
    'the --mount option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled',
  ]);
  assert.equal(e.line, 3);
  assert.equal(e.kind, 'buildkit-only');
  assert.match(e.message.en, /"the --mount option requires BuildKit"/);
  assert.deepEqual(e.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 37 } });
});

test('build output: a failed RUN gives its exit code and last output; global ARGs count as steps', () => {
  const text = 'ARG V=1\nFROM alpine:3.17\nRUN echo building && false\n';
  const e = parse(text, ['Step 1/3 : ARG V=1', 'Step 2/3 : FROM alpine:3.17', ' ---> 026df49afd77', 'Step 3/3 : RUN echo building && false', ' ---> Running in 0b5c', '\x1b[91mbuilding\x1b[0m'], [
    "The command '/bin/sh -c echo building && false' returned a non-zero code: 1",
  ]);
  assert.equal(e.line, 2);
  assert.equal(e.kind, 'run-failed');
  assert.match(e.message.en, /exit code 1.*Last output: building/);
  assert.match(e.message.ru, /кодом 1/);
});

test('build output: a missing COPY source, a pull that fails, no daemon', () => {
  const copy = parse('FROM alpine:3.17\nCOPY nothing.txt /x\n', ['Step 1/2 : FROM alpine:3.17', 'Step 2/2 : COPY nothing.txt /x'], [
    'COPY failed: file not found in build context or excluded by .dockerignore: stat nothing.txt: file does not exist',
  ]);
  assert.equal(copy.line, 1);
  assert.equal(copy.kind, 'copy-missing');

  const pull = parse('FROM node:18-alpine\nRUN true\n', ['Step 1/2 : FROM node:18-alpine'], [
    'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
  ]);
  assert.equal(pull.line, 0);
  assert.equal(pull.kind, 'pull-failed');
  assert.equal(pull.failure?.kind, 'pull-failed');
  assert.match(pull.message.en, /node:18-alpine could not be pulled: the registry cannot be reached/);

  const denied = parse('FROM nobody/nothing:1\n', ['Step 1/1 : FROM nobody/nothing:1'], ['pull access denied for nobody/nothing, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied']);
  assert.equal(denied.kind, 'pull-failed');
  assert.match(denied.message.en, /no such repository/);

  const down = parse('FROM alpine:3.17\n', [], ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?']);
  assert.equal(down.line, undefined);
  assert.equal(down.failure?.kind, 'daemon-down');
});

const result = (patch: Partial<ProcessResult>): ProcessResult => ({ code: 1, signal: null, stdout: '', stderr: '', timedOut: false, aborted: false, ...patch });

test('failures: each says what happened and what to do, in English and Russian', () => {
  const enoent = Object.assign(new Error('spawn nodocker ENOENT'), { code: 'ENOENT' }) as NodeJS.ErrnoException;
  const notInstalled = classify(result({ code: null, spawnError: enoent }), { ...ctx, command: 'nodocker' })!;
  assert.equal(notInstalled.kind, 'not-installed');
  assert.match(notInstalled.message.en, /"nodocker" is not on PATH.*dockerfileCoach\.docker\.path/);
  assert.match(notInstalled.message.ru, /не найден.*dockerfileCoach\.docker\.path/);

  const perm = classify(result({ stderr: 'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/version": dial unix /var/run/docker.sock: connect: permission denied' }), ctx)!;
  assert.equal(perm.kind, 'permission');
  assert.match(perm.message.en, /unix:\/\/\/var\/run\/docker\.sock.*docker group/);

  const down = classify(result({ stderr: 'Cannot connect to the Docker daemon at unix:///tmp/x.sock. Is the docker daemon running?' }), ctx)!;
  assert.equal(down.kind, 'daemon-down');
  assert.match(down.message.en, /unix:\/\/\/tmp\/x\.sock/);

  const hung = classify(result({ code: null, signal: 'SIGTERM', timedOut: true }), { ...ctx, subcommand: 'version', timeoutMs: 5000 })!;
  assert.equal(hung.kind, 'daemon-timeout');
  assert.match(hung.message.en, /did not answer within 5 s/);

  for (const stderr of [
    'docker: Error response from daemon: driver failed programming external connectivity on endpoint x (d9f): Error starting userland proxy: listen tcp4 127.0.0.1:9000: bind: address already in use.',
    'docker: Error response from daemon: driver failed programming external connectivity on endpoint pt2 (b6a): Bind for 127.0.0.1:9000 failed: port is already allocated.',
  ]) {
    const busy = classify(result({ code: 125, stderr }), { ...ctx, subcommand: 'run' })!;
    assert.equal(busy.kind, 'port-in-use');
    assert.match(busy.message.en, /Port 9000 on 127\.0\.0\.1 is already in use.*Nothing was left running/);
    assert.match(busy.message.ru, /Порт 9000/);
  }

  const pull = classify(result({ code: 125, stderr: "Unable to find image 'nosuch/img:1' locally\ndocker: Error response from daemon: Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: no such host.\nSee 'docker run --help'." }), { ...ctx, subcommand: 'run' })!;
  assert.equal(pull.kind, 'pull-failed');
  assert.match(pull.message.en, /nosuch\/img:1 could not be pulled/);
  assert.doesNotMatch(pull.detail, /See 'docker run --help'/);
});

test('failures: secret values and URL passwords are removed from what is shown', () => {
  assert.equal(redact('secret is s3cr3t-value; again s3cr3t-value', ['s3cr3t-value']), 'secret is ***; again ***');
  assert.equal(redact('db postgres://events:hunter2@db:5432/events'), 'db postgres://events:***@db:5432/events');
  assert.equal(errorText('WARNING: IPv4 forwarding is disabled. Networking will not work.\ndocker: real error\n'), 'real error');
});

test('tags: the default is the folder name, lowercased, made valid, with :dev', () => {
  assert.equal(defaultTag('/work/Gate Solution'), 'gate-solution:dev');
  assert.equal(defaultTag('/tmp/my app; rm -rf "x"'), 'my-app-rm-rf-x:dev');
  assert.equal(defaultTag('/tmp/---'), 'image:dev');
  for (const ok of ['gate:dev', 'my-app', 'registry.example.com:5000/team/app:1.0', 'a_b.c/d__e:tag-1']) assert.ok(isValidTag(ok), ok);
  for (const bad of ['Gate:dev', 'my app:dev', 'x;touch y', 'a:b:c', '', '-a', 'a:-b', "it's"]) assert.ok(!isValidTag(bad), bad);
});

test('compose: the examples\' app service, its environment, command and database', () => {
  const dir = path.join(EXAMPLES, 'distroless', 'solution');
  const file = path.join(dir, 'docker-compose.yml');
  const p = parseCompose(fs.readFileSync(file, 'utf8'), file);
  const app = appService(p, dir)!;
  assert.equal(app.name, 'app');
  assert.deepEqual(app.environment, { APP_PORT: '9000', APP_HOST: '0.0.0.0' });
  assert.deepEqual(app.command, ['-dbUrl=postgres://events:events@db:5432/events?sslmode=disable']);
  assert.deepEqual(app.dependsOn, ['db']);
  const plan = runPlan('distroless', p, dir);
  assert.deepEqual(plan.given, { APP_PORT: '9000', APP_HOST: '0.0.0.0' });
  assert.deepEqual(plan.dependencies.map((d) => d.image), ['postgres:15.4-bullseye']);

  const first = path.join(EXAMPLES, 'distroless', 'first-attempt');
  const fp = runPlan('distroless', parseCompose(fs.readFileSync(path.join(first, 'docker-compose.yml'), 'utf8'), path.join(first, 'docker-compose.yml')), first);
  assert.equal(fp.given.APP_DB_URL, 'postgres://events:events@db:5432/events?sslmode=disable');
  assert.ok(fp.env.find((e) => e.name === 'APP_DB_URL')?.secret, 'a database URL is treated as a secret');
});

test('compose: YAML forms (list environment, flow maps, quotes, comments, literal blocks, depends_on map)', () => {
  const y = parseYaml(
    [
      'services:',
      '  web:   # the app',
      '    build:',
      '      context: ./app',
      '    environment:',
      '      - A=1',
      "      - 'B=two words'",
      '    command: >-',
      '      serve --port 80',
      '    depends_on:',
      '      db: { condition: service_started }',
      '    ports: ["127.0.0.1:80:80", \'81:81\']',
      '  db:',
      '    image: "postgres:15" # pinned',
      '    command: run -c "x y"',
      '    note: |',
      '      line one',
      '      line two',
    ].join('\n'),
  ) as Record<string, Record<string, Record<string, unknown>>>;
  assert.deepEqual(y.services.web.environment, ['A=1', 'B=two words']);
  assert.equal(y.services.web.command, 'serve --port 80');
  assert.deepEqual(y.services.web.ports, ['127.0.0.1:80:80', '81:81']);
  assert.deepEqual(y.services.web.depends_on, { db: { condition: 'service_started' } });
  assert.equal(y.services.db.image, 'postgres:15');
  assert.equal(y.services.db.note, 'line one\nline two\n');
  const p = parseCompose(['services:', '  web:', '    build: {context: ./app}', '    environment: [A=1]', '    depends_on: {db: {}}', '  db:', '    image: pg', '    command: run -c "x y"'].join('\n'), '/p/compose.yml');
  assert.equal(appService(p, '/p/app')?.name, 'web');
  assert.deepEqual(p.services[1].command, ['run', '-c', 'x y']);
  assert.deepEqual(p.services[0].dependsOn, ['db']);
  assert.deepEqual(splitWords(`a 'b c' "d \\"e\\"" f\\ g`), ['a', 'b c', 'd "e"', 'f g']);
});

test('processes: arguments with spaces, quotes, ; and $() arrive as they are, and nothing runs in a shell', async () => {
  const marker = path.join(os.tmpdir(), `coach-pwned-${process.pid}`);
  const weird = [`a b`, `"quoted"`, `it's`, `x; touch ${marker}`, `$(touch ${marker})`, '`touch ' + marker + '`', '--flag=1 && true', ''];
  const r = await runProcess(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...weird]);
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.stdout), weird);
  assert.ok(!fs.existsSync(marker));
  assert.equal(displayCommand('docker', ['build', '-t', 'my app:dev', "it's", 'ok']), `docker build -t 'my app:dev' 'it'\\''s' ok`);
});

test('processes: a timeout stops the child; a missing program is reported, not thrown', async () => {
  const slow = await runProcess(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 300 });
  assert.equal(slow.timedOut, true);
  const missing = await runProcess('/nonexistent/docker', ['version']);
  assert.equal(missing.spawnError?.code, 'ENOENT');
});

test('run: secret values never appear in docker run arguments (only -e NAME)', () => {
  const args = runArgs({ docker: undefined as never, tag: 'gate:dev', task: 'gate', env: { HMAC_ALGO: 'sha256', HMAC_SECRET: 's3 cr3t;"' } }, 'c1', 's1');
  assert.ok(!args.some((a) => a.includes('s3 cr3t')));
  assert.deepEqual(args.slice(-5), ['-e', 'HMAC_ALGO', '-e', 'HMAC_SECRET', 'gate:dev']);
  assert.ok(args.includes('127.0.0.1:9000:9000'));
  const scratch = runArgs({ docker: undefined as never, tag: 's:dev', task: 'scratch', env: {}, volume: 's-data' }, 'c2', 's2');
  assert.ok(scratch.includes('127.0.0.1:9000:9999'));
  assert.ok(scratch.includes('s-data:/upload'));
});

test('tar: the first regular file of a docker cp stream', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-tar-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'up.txt'), 'hello\n');
  const tar = spawnSync('tar', ['-C', dir, '-cf', '-', 'up.txt']);
  if (tar.status !== 0) return t.skip('no tar');
  const f = firstTarFile(tar.stdout)!;
  assert.equal(f.name, 'up.txt');
  assert.equal(f.content.toString(), 'hello\n');
  assert.equal(f.size, 6);
});

test('checklist: Markdown with links to lines and rules, in both languages', () => {
  const report: VerifyReport = {
    dockerfile: '/p/Dockerfile',
    task: 'gate',
    tag: 'gate:dev',
    durationMs: 1234,
    passed: false,
    items: [
      { id: 'build', status: 'pass', title: { en: 'Builds', ru: 'Собирается' }, detail: { en: 'ok', ru: 'ок' } },
      { id: 'user-config', status: 'fail', title: { en: 'Not root', ru: 'Не root' }, detail: { en: 'runs as <root>', ru: 'от root' }, ruleIds: ['non-root-user'], line: 0 },
      { id: 'service', status: 'fail', title: { en: 'Answers', ru: 'Отвечает' }, detail: { en: 'no', ru: 'нет' }, ruleIds: ['listen-address'], line: 37, file: '/p/index.js' },
    ],
  };
  const md = renderMarkdown(report, 'en', { line: (l, file) => `file://${file ?? '/p/Dockerfile'}#L${l + 1}`, rule: (id) => `docs/rules/${id}.md` });
  assert.match(md, /2 of 3 checks failed/);
  assert.match(md, /\[index\.js line 38\]\(file:\/\/\/p\/index\.js#L38\)/);
  assert.match(md, /❌ \*\*Not root\*\* \(\[line 1\]\(file:\/\/\/p\/Dockerfile#L1\), \[rule non-root-user\]\(docs\/rules\/non-root-user\.md\)\)/);
  assert.match(md, /runs as \\<root\\>/);
  assert.match(renderMarkdown(report, 'ru'), /Не пройдено проверок: 2 из 3/);
});
