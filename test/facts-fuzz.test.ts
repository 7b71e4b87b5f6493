/**
 * Never crash, never point outside a file: the rules that read the project's code, over mutated
 * sources (index.js, package.json, main.go, docker-compose.yml of the examples). Every finding in a
 * source file lies inside that file, every fix applies to it cleanly, and fixing everything twice
 * changes nothing the second time. FUZZ_RUNS / FUZZ_SEED as for the Dockerfile fuzz suite.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { inside, mutate, mutation } from './fuzz/corpus';
import { checkDockerfile, fixAll } from '../server/src/engine/engine';
import { applyEdits } from '../server/src/engine/edits';
import { memoryProject } from '../server/src/engine/project';
import type { TaskName } from '../server/src/engine/types';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');

interface Project {
  task: TaskName;
  dockerfile: string;
  files: Record<string, string>;
}

function load(): Project[] {
  const out: Project[] = [];
  for (const [task, sub] of [
    ['gate', 'gate'],
    ['scratch', 'scratch'],
    ['distroless', 'distroless'],
  ] as const) {
    for (const attempt of ['first-attempt', 'solution']) {
      const dir = path.join(EXAMPLES, sub, attempt);
      const files: Record<string, string> = {};
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.name !== 'Dockerfile' && e.name !== 'yarn.lock') files[path.relative(dir, p).split(path.sep).join('/')] = fs.readFileSync(p, 'utf8');
        }
      };
      walk(dir);
      files['yarn.lock'] = '';
      out.push({ task, dockerfile: fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), files });
    }
  }
  return out;
}

describe('fuzz: project sources', () => {
  it(`survives ${RUNS} mutated projects (seed ${SEED})`, () => {
    const projects = load();
    const corpus = projects.flatMap((p) => Object.values(p.files));
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.boolean(), (pick, filePick, mutations, generic) => {
        const p = projects[pick % projects.length];
        // The files the code-reading rules read (.dockerignore and lockfiles are other rules' business).
        const names = Object.keys(p.files).filter((f) => /\.(?:js|go)$|^package\.json$|^docker-compose\.yml$/.test(f));
        const target = names[filePick % names.length];
        const files = { ...p.files, [target]: mutations.reduce((t, m) => mutate(t, m, corpus), p.files[target]) };
        const task: TaskName = generic ? 'generic' : p.task;
        const project = memoryProject(files);
        const result = checkDockerfile({ text: p.dockerfile, project, task });
        assert.deepEqual(result.diagnostics.filter((d) => d.ruleId === 'internal-error').map((d) => d.message), []);
        for (const d of result.diagnostics) {
          const text = d.file === undefined ? p.dockerfile : files[d.file];
          assert.ok(text !== undefined, `${d.ruleId} reports in ${d.file}, which does not exist`);
          assert.ok(inside(d.range, text), `${d.ruleId} range outside ${d.file ?? 'the Dockerfile'}`);
          for (const fix of d.fixes) {
            for (const e of fix.edits) assert.ok(inside(e.range, text), `${d.ruleId} fix edit outside ${d.file ?? 'the Dockerfile'}`);
            applyEdits(text, fix.edits);
          }
        }
        const once = fixAll({ text: p.dockerfile, project, task });
        const twice = fixAll({ text: once.text, project: memoryProject({ ...files, ...once.files }), task });
        assert.equal(twice.text, once.text, 'fixing everything twice changed the Dockerfile the second time');
        for (const [f, content] of Object.entries(twice.files)) assert.equal(content, once.files[f] ?? files[f], `fixing everything twice changed ${f}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
