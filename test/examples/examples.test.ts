/**
 * The examples prove the product: each first attempt shows its traps, each solution passes, and applying
 * every fix to a first attempt yields a Dockerfile (and sources) that pass the task's check. The one
 * exception is the distroless trap no edit of the Dockerfile can mend: the code gives `-dbUrl` no
 * environment default, so only the developers (or a `command:` in compose) can feed it.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkDockerfile } from '../../server/src/engine/engine';
import { diskProject } from '../../server/src/engine/project';
import type { TaskName } from '../../server/src/engine/types';
import { fixFolder } from './fixAll';

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples');
const TASKS: TaskName[] = ['gate', 'scratch', 'distroless'];

const errorsOf = (dir: string, task: TaskName) =>
  checkDockerfile({ text: fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), project: diskProject(dir, dir), task })
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.file ?? 'Dockerfile'}:${d.range.start.line + 1} ${d.ruleId}`);

describe('examples', () => {
  for (const task of TASKS) {
    it(`${task}: the solution has no error, and the task is detected from its files`, () => {
      const dir = path.join(EXAMPLES, task, 'solution');
      assert.deepEqual(errorsOf(dir, task), []);
      const detected = checkDockerfile({ text: fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), project: diskProject(dir, dir) });
      assert.equal(detected.task.profile.name, task);
    });
  }

  const expectedTraps: Record<TaskName, string[]> = {
    gate: ['Dockerfile:1 non-root-user', 'Dockerfile:1 pinned-base-image', 'Dockerfile:5 legacy-builder', 'Dockerfile:5 production-install', 'Dockerfile:8 no-baked-secrets', 'Dockerfile:11 exec-form', 'Dockerfile:11 production-start', 'index.js:38 listen-address'],
    scratch: ['Dockerfile:1 multi-stage', 'Dockerfile:1 non-root-user', 'Dockerfile:3 upload-volume', 'Dockerfile:5 static-binary', 'Dockerfile:9 exec-form'],
    distroless: ['Dockerfile:1 multi-stage', 'Dockerfile:1 non-root-user', 'Dockerfile:1 distroless-base', 'Dockerfile:1 builder-release', 'Dockerfile:8 exec-form'],
    generic: [],
  };
  for (const task of TASKS) {
    it(`${task}: the first attempt shows the course's traps`, () => {
      const errors = errorsOf(path.join(EXAMPLES, task, 'first-attempt'), task);
      for (const trap of expectedTraps[task]) assert.ok(errors.includes(trap), `${trap} in ${errors.join(', ')}`);
    });
  }

  for (const task of TASKS) {
    it(`${task}: every fix applied to the first attempt leaves ${task === 'distroless' ? 'only the -dbUrl trap' : 'no error'}`, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `coach-fix-${task}-`));
      try {
        fs.cpSync(path.join(EXAMPLES, task, 'first-attempt'), dir, { recursive: true });
        fixFolder(dir, task);
        const errors = errorsOf(dir, task);
        if (task === 'distroless') {
          // CMD ./app -dbUrl=$APP_DB_URL: needs a shell distroless lacks, and nothing in the code reads APP_DB_URL.
          assert.deepEqual(errors.map((e) => e.replace(/:\d+ /, ' ')).sort(), ['Dockerfile exec-form', 'Dockerfile no-shell-in-minimal-image']);
          assert.match(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), /-dbUrl=\$APP_DB_URL/);
        } else {
          assert.deepEqual(errors, []);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
