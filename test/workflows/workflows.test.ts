/** The workflow checks on workflows in the styles students write: exact ranges and exact fixed YAML. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkWorkflow, fixWorkflow, isWorkflowPath } from '../../server/src/workflows/engine';
import { WORKFLOW_RULES } from '../../server/src/workflows/rules';

type Expected = [ruleId: string, messageId: string, range: [number, number, number, number]];

function expectFindings(text: string, expected: Expected[]): void {
  const got = checkWorkflow({ text }).diagnostics.map((d): Expected => [
    d.ruleId,
    d.messageId as string,
    [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
  ]);
  assert.deepEqual(got, expected);
}

const BUILD_PUSH_ACTION = `on:
  push:
    branches: [main]
jobs:
  docker:
    runs-on: ubuntu-latest
    permissions:
      packages: write
    steps:
      - uses: actions/checkout@v4
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: \${{ github.actor }}
          password: \${{ secrets.GITHUB_TOKEN }}
      - uses: docker/build-push-action@v5
        with:
          push: true
          tags: ghcr.io/student/app:\${{ github.sha }}
`;

const BUILD_PUSH_ACTION_ENV = `name: Docker
on: workflow_dispatch
env:
  DOCKER_BUILDKIT: 0
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/setup-buildx-action@v3
      - name: Build
        uses: docker/build-push-action@v5
        with:
          context: .
          push: true
          tags: ghcr.io/\${{ github.repository }}:latest
`;

const PLAIN_UPPERCASE = `on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
      - run: docker build -t ghcr.io/Student/My-App:\${{ github.sha }} .
      - run: docker push ghcr.io/Student/My-App:\${{ github.sha }}
`;

const NO_LOGIN_NO_PERMISSIONS = `on:
  push:
  workflow_dispatch:
env:
  IMAGE: ghcr.io/\${{ github.repository }}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Build
        run: |
          DOCKER_BUILDKIT=0 docker build -t ghcr.io/\${{ github.repository }}:latest .
          docker push ghcr.io/\${{ github.repository }}:latest
`;

const BUILDX_BY_HAND = `on:
  workflow_dispatch:
  pull_request:
permissions:
  packages: write
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ secrets.GITHUB_TOKEN }} | docker login ghcr.io -u me --password-stdin
      - run: docker buildx build -t ghcr.io/me/app:v1 .
      - run: docker push ghcr.io/me/app:v1
`;

const HELLO = `on: workflow_dispatch
jobs:
  hello:
    runs-on: ubuntu-latest
    steps:
      - run: echo "hello"
`;

describe('workflow checks', () => {
  it('docker/build-push-action without DOCKER_BUILDKIT: replaced with a plain docker build step', () => {
    expectFindings(BUILD_PUSH_ACTION, [['workflow-legacy-builder', 'buildPushAction', [15, 14, 15, 41]]]);
    const fixed = fixWorkflow({ text: BUILD_PUSH_ACTION });
    assert.equal(
      fixed.text,
      BUILD_PUSH_ACTION.replace(
        `      - uses: docker/build-push-action@v5
        with:
          push: true
          tags: ghcr.io/student/app:\${{ github.sha }}
`,
        `      - name: Build and push (legacy builder)
        env:
          DOCKER_BUILDKIT: 0
        run: |
          docker build -t ghcr.io/student/app:\${{ github.sha }} .
          docker push ghcr.io/student/app:\${{ github.sha }}
`,
      ),
    );
    assert.deepEqual(fixed.result.diagnostics, []);
  });

  it('docker/build-push-action with DOCKER_BUILDKIT: 0 still builds with BuildKit, and the rest of what goes wrong', () => {
    expectFindings(BUILD_PUSH_ACTION_ENV, [
      ['workflow-triggers', 'noPush', [1, 0, 1, 2]],
      ['workflow-ghcr-push', 'permissions', [5, 2, 5, 7]],
      ['workflow-legacy-builder', 'setupBuildx', [9, 14, 9, 43]],
      ['workflow-ghcr-push', 'noLogin', [11, 14, 11, 41]],
      ['workflow-image-tag', 'onlyLatest', [11, 14, 11, 41]],
      ['workflow-legacy-builder', 'buildPushActionEnv', [11, 14, 11, 41]],
      ['workflow-image-name', 'expression', [15, 24, 15, 48]],
    ]);
    const en = checkWorkflow({ text: BUILD_PUSH_ACTION_ENV }).diagnostics.find((d) => d.messageId === 'buildPushActionEnv');
    assert.match(en?.message ?? '', /ignores DOCKER_BUILDKIT: 0/);
    const ru = checkWorkflow({ text: BUILD_PUSH_ACTION_ENV, lang: 'ru' }).diagnostics.find((d) => d.messageId === 'buildPushActionEnv');
    assert.match(ru?.message ?? '', /не смотрит на DOCKER_BUILDKIT: 0/);
    const fixed = fixWorkflow({ text: BUILD_PUSH_ACTION_ENV });
    assert.equal(
      fixed.text,
      `name: Docker
on:
  push:
    branches: [main]
    tags: ['v*']
  workflow_dispatch:
env:
  DOCKER_BUILDKIT: 0
jobs:
  build:
    permissions:
      contents: read
      packages: write
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Log in to GHCR
        run: echo "\${{ secrets.GITHUB_TOKEN }}" | docker login ghcr.io -u "\${{ github.actor }}" --password-stdin
      - name: Build and push (legacy builder)
        env:
          DOCKER_BUILDKIT: 0
        run: |
          docker build -t ghcr.io/\${GITHUB_REPOSITORY,,}:latest .
          docker push ghcr.io/\${GITHUB_REPOSITORY,,}:latest
`,
    );
    // Only the tag needs a decision a fix cannot make.
    assert.deepEqual(
      fixed.result.diagnostics.map((d) => d.messageId),
      ['onlyLatest'],
    );
  });

  it('a plain docker build without DOCKER_BUILDKIT=0, capitals in the name, no login, permissions without packages', () => {
    expectFindings(PLAIN_UPPERCASE, [
      ['workflow-ghcr-push', 'permissions', [4, 4, 4, 15]],
      ['workflow-legacy-builder', 'buildkitOn', [8, 13, 8, 25]],
      ['workflow-image-name', 'uppercase', [8, 29, 8, 69]],
      ['workflow-ghcr-push', 'noLogin', [9, 13, 9, 65]],
      ['workflow-image-name', 'uppercase', [9, 25, 9, 65]],
    ]);
    const fixed = fixWorkflow({ text: PLAIN_UPPERCASE });
    assert.equal(
      fixed.text,
      `on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      packages: write
    steps:
      - uses: actions/checkout@v4
      - name: Log in to GHCR
        run: echo "\${{ secrets.GITHUB_TOKEN }}" | docker login ghcr.io -u "\${{ github.actor }}" --password-stdin
      - run: DOCKER_BUILDKIT=0 docker build -t ghcr.io/student/my-app:\${{ github.sha }} .
      - run: docker push ghcr.io/student/my-app:\${{ github.sha }}
`,
    );
    assert.deepEqual(fixed.result.diagnostics, []);
  });

  it('no login and no permissions; github.repository in a script is lowercased in place', () => {
    expectFindings(NO_LOGIN_NO_PERMISSIONS, [
      ['workflow-image-name', 'expression', [4, 17, 4, 41]],
      ['workflow-ghcr-push', 'permissions', [6, 2, 6, 7]],
      ['workflow-ghcr-push', 'noLogin', [11, 13, 13, 61]],
      ['workflow-image-tag', 'onlyLatest', [11, 13, 13, 61]],
      ['workflow-image-name', 'expression', [12, 52, 12, 76]],
      ['workflow-image-name', 'expression', [13, 30, 13, 54]],
    ]);
    const d = checkWorkflow({ text: NO_LOGIN_NO_PERMISSIONS }).diagnostics;
    // An env value is not a script: no mechanical fix there.
    assert.deepEqual(d[0].fixes, []);
    assert.deepEqual(d[4].fixes[0].edits, [{ range: { start: { line: 12, character: 52 }, end: { line: 12, character: 76 } }, newText: '${GITHUB_REPOSITORY,,}' }]);
  });

  it('docker buildx in a script, run only by hand', () => {
    expectFindings(BUILDX_BY_HAND, [
      ['workflow-triggers', 'noPush', [0, 0, 0, 2]],
      ['workflow-legacy-builder', 'buildx', [10, 13, 10, 32]],
    ]);
    assert.equal(
      fixWorkflow({ text: BUILDX_BY_HAND }).text,
      `on:
  push:
    branches: [main]
    tags: ['v*']
  workflow_dispatch:
  pull_request:
permissions:
  packages: write
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ secrets.GITHUB_TOKEN }} | docker login ghcr.io -u me --password-stdin
      - run: DOCKER_BUILDKIT=0 docker build -t ghcr.io/me/app:v1 .
      - run: docker push ghcr.io/me/app:v1
`,
    );
  });

  it('buildx with buildx-only options has no mechanical fix', () => {
    const text = BUILDX_BY_HAND.replace('docker buildx build -t', 'docker buildx build --platform linux/arm64 --push -t');
    const d = checkWorkflow({ text }).diagnostics.find((x) => x.messageId === 'buildx');
    assert.deepEqual(d?.fixes, []);
  });

  it('a workflow that only prints hello, or that builds nothing, has no findings', () => {
    expectFindings(HELLO, []);
    expectFindings('on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n', []);
  });

  it('DOCKER_BUILDKIT: 0 in the step or job env, or exported earlier in the script, counts', () => {
    for (const variant of [
      PLAIN_UPPERCASE.replace('    permissions:', '    env:\n      DOCKER_BUILDKIT: 0\n    permissions:'),
      PLAIN_UPPERCASE.replace('      - run: docker build', '      - env:\n          DOCKER_BUILDKIT: "0"\n        run: docker build'),
      PLAIN_UPPERCASE.replace('      - run: docker build', '      - run: export DOCKER_BUILDKIT=0 && docker build'),
    ]) {
      assert.deepEqual(
        checkWorkflow({ text: variant }).diagnostics.filter((d) => d.ruleId === 'workflow-legacy-builder'),
        [],
        variant,
      );
    }
    // A step that turns BuildKit back on overrides the workflow's env.
    const on = BUILD_PUSH_ACTION.replace('      - uses: docker/build-push-action@v5', '      - env:\n          DOCKER_BUILDKIT: 1\n        run: docker build .\n      - uses: docker/build-push-action@v5');
    assert.ok(checkWorkflow({ text: on }).diagnostics.some((d) => d.messageId === 'buildkitOn'));
  });

  it('a workflow without push and without login to ghcr.io', () => {
    const text = 'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: DOCKER_BUILDKIT=0 docker build -t app:1 .\n';
    expectFindings(text, [['workflow-ghcr-push', 'noPush', [5, 13, 5, 54]]]);
    const hub = text.replace('docker build -t app:1 .', 'docker build -t me/app:1 . && docker push me/app:1');
    expectFindings(hub, [['workflow-ghcr-push', 'notGhcr', [5, 13, 5, 81]]]);
  });

  it('a login with a password in the workflow is reported', () => {
    const text = BUILD_PUSH_ACTION.replace('${{ secrets.GITHUB_TOKEN }}', 'hunter2');
    assert.ok(checkWorkflow({ text }).diagnostics.some((d) => d.messageId === 'loginPassword' && d.range.start.line === 14));
  });

  it('invalid YAML gives no findings rather than an exception', () => {
    assert.deepEqual(checkWorkflow({ text: 'on: [push\njobs: {' }).diagnostics, []);
  });

  it('levels: a rule can be turned off or lowered', () => {
    const d = checkWorkflow({ text: BUILD_PUSH_ACTION, settingLevels: { 'workflow-legacy-builder': 'warning' } }).diagnostics;
    assert.equal(d[0].severity, 'warning');
    assert.deepEqual(checkWorkflow({ text: BUILD_PUSH_ACTION, settingLevels: { 'workflow-legacy-builder': 'off' } }).diagnostics, []);
  });

  it('recognises workflow paths', () => {
    assert.ok(isWorkflowPath('/r/.github/workflows/ci.yml'));
    assert.ok(isWorkflowPath('C:\\r\\.github\\workflows\\ci.yaml'));
    assert.ok(isWorkflowPath('file:///r/.github/workflows/docker.yml'));
    assert.ok(!isWorkflowPath('/r/docker-compose.yml'));
    assert.ok(!isWorkflowPath('/r/.github/dependabot.yml'));
  });

  it('every workflow rule has messages in both languages and docs (English, then Russian)', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    for (const rule of WORKFLOW_RULES) {
      for (const m of Object.values(rule.messages)) assert.ok(m.en && m.ru, rule.id);
      const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'docs', 'rules', `${rule.id}.md`), 'utf8');
      assert.ok(doc.indexOf('## Русский') > doc.indexOf(`# ${rule.id}`), rule.id);
    }
  });
});
