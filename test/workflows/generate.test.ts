/** The generated `.github/workflows/docker-image.yml` passes its own checks. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { WORKFLOW_FILE, generateWorkflow } from '../../server/src/workflows/generate';
import { checkWorkflow } from '../../server/src/workflows/engine';

describe('generateWorkflow', () => {
  for (const opts of [{ dockerfile: 'Dockerfile' }, { dockerfile: './api/Dockerfile', sarif: true }, { dockerfile: 'my app/Dockerfile', branch: 'master' }]) {
    it(`passes its own checks: ${JSON.stringify(opts)}`, () => {
      const text = generateWorkflow(opts);
      const result = checkWorkflow({ text });
      assert.ok(result.builds);
      assert.deepEqual(result.diagnostics, []);
      const wf = parse(text);
      const job = wf.jobs.image;
      assert.deepEqual(job.permissions, { contents: 'read', packages: 'write' });
      assert.equal(job.env.DOCKER_BUILDKIT, 0);
      const build = job.steps.find((s: { name?: string }) => s.name === 'Build (legacy builder)').run as string;
      assert.match(build, /^DOCKER_BUILDKIT=0 docker build -f /);
      assert.match(build, /-t "\$IMAGE:\$GITHUB_SHA"/);
      assert.match(text, /IMAGE=ghcr\.io\/\$\{GITHUB_REPOSITORY,,\}/);
      assert.match(text, /secrets\.GITHUB_TOKEN }}" \| docker login ghcr\.io/);
      // Pull requests build without pushing.
      assert.ok('pull_request' in wf.on);
      for (const s of job.steps.filter((x: { run?: string }) => /docker (login|push)/.test(x.run ?? ''))) assert.match(s.if, /^github\.event_name != 'pull_request'$|^startsWith\(github\.ref, 'refs\/tags\/v'\)$/);
      assert.equal('coach' in wf.jobs, !!opts.sarif);
    });
  }

  it('builds the Dockerfile of a sub-folder with that folder as the context', () => {
    const text = generateWorkflow({ dockerfile: './api/Dockerfile', sarif: true });
    assert.match(text, /docker build -f api\/Dockerfile\n.*\n.*\n {10}api\n/);
    assert.match(text, /npx --yes dockerfile-coach check --format sarif \. > dockerfile-coach\.sarif/);
    assert.match(text, /github\/codeql-action\/upload-sarif@v3/);
    assert.match(generateWorkflow({ dockerfile: 'my app/Dockerfile' }), /-f 'my app\/Dockerfile'/);
    assert.equal(WORKFLOW_FILE, '.github/workflows/docker-image.yml');
  });
});
