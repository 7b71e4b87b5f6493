/**
 * Never crash, never corrupt: seeded fuzzing over mutated Dockerfiles. For every input the check finishes
 * without throwing and without an internal-error diagnostic, every range lies inside the document, every
 * fix applies cleanly, a fix removes its own finding, and fixing everything twice changes nothing the
 * second time. And an input checked with the previous version of it (one mutation less), as the
 * editor checks an edit, gives what a check from scratch gives. FUZZ_RUNS=<n> runs longer;
 * FUZZ_SEED=<n> replays a failure.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { corpus, FUZZ_RUNS, FUZZ_SEED, fuzzCase, fuzzProject, fuzzText, inside } from './fuzz/corpus';
import { checkDockerfile, fixAll } from '../server/src/engine/engine';
import { applyEdits, applyOtherFiles } from '../server/src/engine/edits';
import { overlayProject } from '../server/src/engine/sourceFiles';
import type { Diagnostic } from '../server/src/engine/types';

const RUNS = Number(process.env.FUZZ_RUNS ?? FUZZ_RUNS);
const SEED = Number(process.env.FUZZ_SEED ?? FUZZ_SEED);

const count = (ds: Diagnostic[], ruleId: string) => ds.filter((d) => d.ruleId === ruleId).length;
const key = (d: Diagnostic) => `${d.ruleId}|${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}|${d.message}`;

describe('fuzz', () => {
  it(`survives ${RUNS} mutated Dockerfiles (seed ${SEED})`, () => {
    const all = corpus();
    let tried = 0;
    fc.assert(
      fc.property(...fuzzCase, (pick, mutations, task) => {
        tried++;
        const text = fuzzText(all, pick, mutations);
        const project = fuzzProject();
        const result = checkDockerfile({ text, project, task });
        assert.deepEqual(result.diagnostics.filter((d) => d.ruleId === 'internal-error').map((d) => d.message), []);
        for (const d of result.diagnostics) {
          assert.ok(inside(d.range, text), `${d.ruleId} range outside the document`);
          for (const fix of d.fixes) {
            for (const e of fix.edits) assert.ok(inside(e.range, text), `${d.ruleId} fix edit outside the document`);
            const fixed = applyEdits(text, fix.edits);
            // A fix may create or extend another file (.dockerignore): the re-check sees it.
            const other = new Map<string, string>();
            applyOtherFiles(project, other, [fix]);
            const again = checkDockerfile({ text: fixed, project: overlayProject(project, other), task });
            // A duplicate finding may move into the fixed one's place; then the rule's count must still drop.
            const fixedIt = !again.diagnostics.some((x) => key(x) === key(d)) || count(again.diagnostics, d.ruleId) < count(result.diagnostics, d.ruleId);
            assert.ok(fixedIt, `${d.ruleId}: "${fix.title}" left its own finding in place in:\n${text}`);
          }
        }
        const once = fixAll({ text, project, task });
        const twice = fixAll({ text: once.text, project, task });
        assert.equal(twice.text, once.text, 'fixing everything twice changed the text the second time');
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`fuzz: ${tried} inputs tried`);
  });

  it(`an edit checked with the version before it gives what a check from scratch gives: ${RUNS} mutated Dockerfiles (seed ${SEED})`, () => {
    // The version before: the same case with its last mutation left out, as the editor had it one edit earlier.
    const all = corpus();
    let tried = 0;
    let incremental = 0;
    fc.assert(
      fc.property(...fuzzCase, (pick, mutations, task) => {
        tried++;
        const project = fuzzProject();
        const before = checkDockerfile({ text: fuzzText(all, pick, mutations.slice(0, -1)), project, task });
        const text = fuzzText(all, pick, mutations);
        const inc = checkDockerfile({ text, project, task, previous: before.analysis });
        if (!inc.analysis.parseStats.fullParse) incremental++;
        assert.deepEqual(inc.diagnostics, checkDockerfile({ text, project, task }).diagnostics);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // Most mutations leave the parse incremental (the rest fall back to a full parse, as they should).
    assert.ok(incremental * 2 > tried, `${incremental} of ${tried} incremental`);
    console.log(`fuzz (incremental): ${tried} inputs tried, ${incremental} parsed incrementally`);
  });
});
