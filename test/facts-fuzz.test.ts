/**
 * Never crash, never point outside a file: the rules that read the project's code, over mutated
 * sources (index.js, package.json, main.go, docker-compose.yml of the examples). Every finding in a
 * source file lies inside that file, every fix applies to it cleanly, and fixing everything twice
 * changes nothing the second time. FUZZ_RUNS / FUZZ_SEED as for the Dockerfile fuzz suite.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { exampleProjects, ExampleProject, inside, mutate, mutation } from './fuzz/corpus';
import { checkDockerfile, fixAll } from '../server/src/engine/engine';
import { applyEdits } from '../server/src/engine/edits';
import { memoryProject } from '../server/src/engine/project';
import type { TaskName } from '../server/src/engine/types';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
/** The examples' projects, each with an empty yarn.lock (lockfiles are other rules' business). */
function load(): ExampleProject[] {
  return exampleProjects().map((p) => {
    const { 'yarn.lock': _lockfile, ...files } = p.files;
    return { ...p, files: { ...files, 'yarn.lock': '' } };
  });
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
