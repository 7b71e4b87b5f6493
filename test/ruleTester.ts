/**
 * ESLint's RuleTester habit for Dockerfile rules: `valid` cases report nothing for the rule; `invalid`
 * cases report exactly the listed findings (message id and range), and applying the rule's preferred
 * fixes yields exactly `output`, which the rule then accepts.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkDockerfile, fixAll } from '../server/src/engine/engine';
import { applyPreferredFixes } from '../server/src/engine/edits';
import { memoryProject } from '../server/src/engine/project';
import type { Diagnostic, Lang, Severity, TaskName } from '../server/src/engine/types';

export interface Case {
  name?: string;
  code: string;
  /** The task to check against (default: the tester's `task`). */
  task?: TaskName;
  /** Project files beside the Dockerfile. */
  files?: Record<string, string>;
}

/** [startLine, startChar, endLine, endChar], 0-based. */
export type RangeTuple = [number, number, number, number];

export interface Expected {
  messageId: string;
  range: RangeTuple;
  severity?: Severity;
  /** Substring the English message must contain. */
  includes?: string;
}

export interface InvalidCase extends Case {
  errors: Expected[];
  /** Text after applying the rule's preferred fixes; `null` when the rule offers no fix. */
  output: string | null;
  /** The fixed text still has this many findings of the rule (default 0). */
  remainingAfterFix?: number;
}

export interface RuleTable {
  task?: TaskName;
  valid: (Case | string)[];
  invalid: InvalidCase[];
}

function run(ruleId: string, c: Case, task: TaskName, lang: Lang = 'en', code = c.code): Diagnostic[] {
  const result = checkDockerfile({ text: code, project: memoryProject(c.files ?? {}), task: c.task ?? task, lang });
  return result.diagnostics.filter((d) => d.ruleId === ruleId);
}

const toTuple = (d: Diagnostic): RangeTuple => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];

export function ruleTests(ruleId: string, table: RuleTable): void {
  const task = table.task ?? 'gate';
  describe(ruleId, () => {
    describe('valid', () => {
      for (const raw of table.valid) {
        const c = typeof raw === 'string' ? { code: raw } : raw;
        it(c.name ?? c.code.split(/\r?\n/).slice(0, 3).join(' ⏎ '), () => {
          const found = run(ruleId, c, task);
          assert.deepEqual(found.map((d) => `${d.messageId} ${toTuple(d).join(',')}: ${d.message}`), []);
        });
      }
    });
    describe('invalid', () => {
      for (const c of table.invalid) {
        it(c.name ?? c.code.split(/\r?\n/).slice(0, 3).join(' ⏎ '), () => {
          const found = run(ruleId, c, task);
          assert.deepEqual(
            found.map((d) => ({ messageId: d.messageId, range: toTuple(d) })),
            c.errors.map((e) => ({ messageId: e.messageId, range: e.range })),
          );
          c.errors.forEach((e, i) => {
            if (e.severity) assert.equal(found[i].severity, e.severity);
            if (e.includes) assert.ok(found[i].message.includes(e.includes), `message "${found[i].message}" lacks "${e.includes}"`);
          });
          for (const lang of ['en', 'ru'] as Lang[]) {
            for (const d of run(ruleId, c, task, lang)) {
              assert.doesNotMatch(d.message, /\{\?\w+\}/, `unfilled placeholder in ${lang} message`);
              for (const f of d.fixes) assert.doesNotMatch(f.title, /\{\?\w+\}/, `unfilled placeholder in ${lang} fix title`);
            }
          }
          if (c.output === null) {
            assert.deepEqual(found.flatMap((d) => d.fixes), [], 'expected no fix');
            return;
          }
          // Apply this rule's fixes until none is left, as the lightbulb would one by one.
          let text = c.code;
          for (let round = 0; round < 10; round++) {
            const diags = run(ruleId, c, task, 'en', text).filter((d) => d.fixes.length > 0);
            if (diags.length === 0) break;
            text = applyPreferredFixes(text, diags).text;
          }
          assert.equal(text, c.output);
          const after = run(ruleId, c, task, 'en', text);
          assert.equal(after.length, c.remainingAfterFix ?? 0, `after the fix: ${after.map((d) => d.message).join(' | ')}`);
        });
      }
    });
  });
}

/** Check a whole project with every fix applied (for example-level tests). */
export function fixEverything(code: string, files: Record<string, string>, task: TaskName): string {
  return fixAll({ text: code, project: memoryProject(files), task }).text;
}
