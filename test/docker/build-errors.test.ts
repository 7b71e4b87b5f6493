/**
 * Real legacy-builder failures mapped to Dockerfile lines: every BuildKit-only probe (test/docker/probes,
 * recorded from dockerd 20.10 in the recipe) fails on the line where the linter's legacy-builder rule
 * points; a failing RUN and a missing COPY source land on their steps. File names and tags with spaces,
 * quotes or `;` are single arguments.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkDockerfile } from '../../server/src/engine/engine';
import { Analysis } from '../../server/src/engine/analysis';
import { BuildError } from '../../client/src/docker/buildOutput';
import { engineTest, newDocker, PROBES, requireImages, tempDir, testTag } from './helpers';

/** 1-based line of the failure, and its kind; probes that build under the legacy builder are absent. */
const FAILING: Record<string, { line: number; kind: BuildError['kind'] }> = {
  '01-run-mount-cache': { line: 2, kind: 'buildkit-only' },
  '02-run-mount-secret': { line: 2, kind: 'buildkit-only' },
  '03-run-network': { line: 2, kind: 'buildkit-only' },
  '04-copy-chmod': { line: 2, kind: 'buildkit-only' },
  '05-copy-link': { line: 2, kind: 'buildkit-only' },
  '06-run-heredoc': { line: 2, kind: 'buildkit-only' },
  '07-copy-heredoc': { line: 2, kind: 'buildkit-only' },
  '08-add-chmod': { line: 2, kind: 'buildkit-only' },
  '09-add-checksum': { line: 2, kind: 'buildkit-only' },
  '10-copy-parents': { line: 2, kind: 'buildkit-only' },
  '11-copy-exclude': { line: 2, kind: 'buildkit-only' },
  '13-from-platform-buildplatform': { line: 1, kind: 'step-failed' },
  '15-unused-stage-fails': { line: 2, kind: 'run-failed' },
  '16-run-mount-bind': { line: 2, kind: 'buildkit-only' },
  '17-add-keep-git-dir': { line: 2, kind: 'buildkit-only' },
  '18-run-security': { line: 2, kind: 'buildkit-only' },
  '20-heredoc-shebang': { line: 2, kind: 'buildkit-only' },
  '22-copy-from-var': { line: 4, kind: 'step-failed' },
};
const BUILDING = ['12-syntax-directive', '14-targetarch-arg', '19-check-directive', '21-from-platform-literal', '23-copy-chown-from'];

engineTest('BuildKit-only Dockerfiles: the real build error lands on the line the linter points at', async (t) => {
  if (!(await requireImages(t, ['alpine:3.17']))) return;
  const docker = newDocker();
  const tag = testTag(t, 'probe');
  for (const [name, want] of Object.entries(FAILING)) {
    const file = path.join(PROBES, `${name}.Dockerfile`);
    const text = fs.readFileSync(file, 'utf8');
    const build = await docker.build({ dockerfile: file, context: PROBES, tag, analysis: new Analysis(text), buildArgs: ['--no-cache'] });
    assert.equal(build.ok, false, `${name} built`);
    const err = build.error!;
    assert.equal(err.kind, want.kind, `${name}: ${err.raw}`);
    assert.equal(err.line, want.line - 1, `${name}: ${err.message.en}`);
    assert.ok(err.message.en && err.message.ru && err.message.ru !== err.message.en, name);
    const lint = checkDockerfile({ text, task: 'gate' }).diagnostics.filter((d) => d.ruleId === 'legacy-builder').map((d) => d.range.start.line);
    if (want.kind === 'buildkit-only') assert.ok(lint.includes(err.line!), `${name}: build error on line ${err.line! + 1}, linter on ${lint.map((l) => l + 1)}`);
  }
  for (const name of BUILDING) {
    const file = path.join(PROBES, `${name}.Dockerfile`);
    const build = await docker.build({ dockerfile: file, context: PROBES, tag, analysis: new Analysis(fs.readFileSync(file, 'utf8')) });
    assert.equal(build.ok, true, `${name}: ${build.error?.raw}`);
    assert.ok(build.output.steps.length > 0 && build.output.steps.every((s) => s.line !== undefined), name);
  }
});

engineTest('a missing COPY source and a failing RUN are errors on their own lines', async (t) => {
  if (!(await requireImages(t, ['alpine:3.17']))) return;
  const docker = newDocker();
  const dir = tempDir(t);
  const copy = 'FROM alpine:3.17\nWORKDIR /app\n\nCOPY package.json ./\n';
  fs.writeFileSync(path.join(dir, 'Dockerfile'), copy);
  let build = await docker.build({ dockerfile: path.join(dir, 'Dockerfile'), tag: testTag(t, 'copy'), analysis: new Analysis(copy) });
  assert.equal(build.error?.kind, 'copy-missing', build.error?.raw);
  assert.equal(build.error?.line, 3);

  const run = 'FROM alpine:3.17\nRUN echo first step\nRUN echo about to fail && \\\n    exit 3\n';
  fs.writeFileSync(path.join(dir, 'Dockerfile'), run);
  build = await docker.build({ dockerfile: path.join(dir, 'Dockerfile'), tag: testTag(t, 'run'), analysis: new Analysis(run), buildArgs: ['--no-cache'] });
  assert.equal(build.error?.kind, 'run-failed', build.error?.raw);
  assert.equal(build.error?.line, 2);
  assert.match(build.error!.message.en, /exit code 3.*about to fail/);
});

engineTest('a context folder and tags with spaces, quotes and ; are single arguments', async (t) => {
  if (!(await requireImages(t, ['alpine:3.17']))) return;
  const docker = newDocker();
  const marker = path.join(os.tmpdir(), `coach-pwned-${process.pid}`);
  const dir = path.join(tempDir(t), `my "app"; touch coach-pwned-${process.pid}`);
  fs.mkdirSync(dir);
  const text = 'FROM alpine:3.17\nCOPY ["my file.txt", "/x"]\n';
  fs.writeFileSync(path.join(dir, 'Dockerfile'), text);
  fs.writeFileSync(path.join(dir, 'my file.txt'), 'x');
  const good = await docker.build({ dockerfile: path.join(dir, 'Dockerfile'), tag: testTag(t, 'spaces'), analysis: new Analysis(text) });
  assert.equal(good.ok, true, good.error?.raw);
  assert.ok(good.commandLine.includes(`-t dfcoach-test/spaces:`));

  const bad = await docker.build({ dockerfile: path.join(dir, 'Dockerfile'), tag: `bad tag; touch ${marker}`, analysis: new Analysis(text) });
  assert.equal(bad.ok, false);
  assert.equal(bad.error?.failure?.kind, 'bad-tag', bad.error?.raw);
  assert.match(bad.error!.message.en, /is not a valid image tag/);
  assert.ok(!fs.existsSync(marker), 'nothing ran in a shell');
});
