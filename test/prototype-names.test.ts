/**
 * A word that is the name of an Object.prototype member (`constructor`, `toString`, `__proto__`, ...)
 * is an unknown word like any other. A rule that looks a Dockerfile's word up in a plain object finds
 * the inherited member instead (`RUN constructor` once made write-access throw, `FROM constructor`
 * pinned-base-image). Each case puts such a name in place of one word of a corpus Dockerfile (or of
 * the project's package.json), and the same word spelled neutrally (`toString` -> `qqQqqqqq`: same
 * length, same case pattern, so the same ranges and the same image-name validity) in another copy:
 * both must give the same diagnostics, with the neutral spelling put back into the messages and fixes.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { corpus, exampleProjects, neutralOf, PROTOTYPE_NAMES, replaceWord } from './fuzz/corpus';
import { checkDockerfile } from '../server/src/engine/engine';
import { memoryProject } from '../server/src/engine/project';
import { TASK_NAMES } from '../server/src/engine/types';
import type { TaskName } from '../server/src/engine/types';

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 20261208);

const PACKAGE_JSONS = (name: string): string[] => [
  JSON.stringify({ name, main: 'index.js', scripts: { [name]: 'node index.js', start: 'node index.js' } }),
  JSON.stringify({ main: `${name}.js`, scripts: { start: `node ${name}.js` }, dependencies: { [name]: '^1.0.0' }, devDependencies: { nodemon: '^3.0.1' } }),
  JSON.stringify({ main: 'index.js', scripts: { start: name }, engines: { [name]: '20' }, workspaces: [name] }),
];

function diagnosticsOf(text: string, packageJson: string, task: TaskName): string {
  const project = memoryProject({ 'package.json': packageJson, 'yarn.lock': '', 'index.js': "require('http').createServer().listen(3000);\n" });
  return JSON.stringify(checkDockerfile({ text, project, task }).diagnostics);
}

/** The neutral spelling's diagnostics with the name put back (as written, upper-cased, lower-cased). */
function putBack(json: string, name: string): string {
  const neutral = neutralOf(name);
  return json.split(neutral).join(name).split(neutral.toUpperCase()).join(name.toUpperCase()).split(neutral.toLowerCase()).join(name.toLowerCase());
}

describe('words named like Object.prototype members', () => {
  it(`are words like any other in ${RUNS} Dockerfiles and projects (seed ${SEED})`, () => {
    const all = corpus();
    let tried = 0;
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        fc.constantFrom(...PROTOTYPE_NAMES),
        fc.constantFrom<TaskName>(...TASK_NAMES),
        fc.integer({ min: -1, max: 2 }),
        (pick, wordIndex, name, task, packageJsonPick) => {
          tried++;
          const base = all[pick % all.length];
          const text = replaceWord(base, wordIndex, name);
          const neutralText = replaceWord(base, wordIndex, neutralOf(name));
          // -1: the name only in the Dockerfile; otherwise in the package.json too.
          const pkg = (n: string) => (packageJsonPick < 0 ? '{"main":"index.js"}' : PACKAGE_JSONS(n)[packageJsonPick]);
          const got = diagnosticsOf(text, pkg(name), task);
          assert.doesNotMatch(got, /internal-error/, `internal error for ${name} in:\n${text}`);
          assert.equal(got, putBack(diagnosticsOf(neutralText, pkg(neutralOf(name)), task), name), `${name} in:\n${text}`);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`prototype names: ${tried} inputs tried`);
  });

  it(`are words like any other in the examples' source files: ${RUNS} cases (seed ${SEED})`, () => {
    // package.json has its own cases above.
    const projects = exampleProjects();
    let tried = 0;
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.constantFrom(...PROTOTYPE_NAMES), (pick, filePick, wordIndex, name) => {
        const p = projects[pick % projects.length];
        const names = Object.keys(p.files).filter((f) => f !== 'package.json').sort();
        const file = names[filePick % names.length];
        tried++;
        const run = (word: string) =>
          JSON.stringify(checkDockerfile({ text: p.dockerfile, project: memoryProject({ ...p.files, [file]: replaceWord(p.files[file], wordIndex, word) }), task: p.task }).diagnostics);
        const got = run(name);
        assert.doesNotMatch(got, /internal-error/, `internal error for ${name} in ${file}`);
        assert.equal(got, putBack(run(neutralOf(name)), name), `${name} in ${file}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`prototype names in source files: ${tried} inputs tried`);
  });

  it('the cases found first: write-access threw on `RUN constructor`, pinned-base-image on `FROM constructor`, and `node:constructor-alpine` "pins only the major version function Object() { [native code] }"', () => {
    const project = memoryProject({ 'package.json': '{"main":"index.js"}', 'yarn.lock': '' });
    for (const text of ['FROM node:20-alpine\nUSER node\nRUN constructor install\n', 'FROM constructor\nCMD ["node"]\n', 'FROM node:constructor-alpine\nCMD ["node"]\n']) {
      const diagnostics = checkDockerfile({ text, project, task: 'gate' }).diagnostics;
      assert.deepEqual(diagnostics.filter((d) => d.ruleId === 'internal-error' || d.message.includes('native code')), [], text);
    }
    const pinned = checkDockerfile({ text: 'FROM node:constructor-alpine\n', project, task: 'gate' }).diagnostics.find((d) => d.ruleId === 'pinned-base-image');
    assert.match(pinned?.message ?? '', /^`node:constructor-alpine` names no version, only `constructor-alpine`/);
  });
});
