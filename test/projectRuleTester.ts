/**
 * A rule tester for rules that read the project's code and may report in its files (index.js,
 * main.go, docker-compose.yml): every expected finding names its file (none = the Dockerfile), and
 * applying the rule's preferred fixes must give `output` for the Dockerfile and `outputFiles` for the
 * other files, after which the rule reports `remainingAfterFix` findings (default 0).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkDockerfile } from '../server/src/engine/engine';
import { applyPreferredFixes } from '../server/src/engine/edits';
import { memoryProject } from '../server/src/engine/project';
import type { Diagnostic, Lang, Severity, TaskName } from '../server/src/engine/types';
import type { RangeTuple } from './ruleTester';

export interface ProjectCase {
  name?: string;
  code: string;
  task?: TaskName;
  files?: Record<string, string>;
}

export interface ProjectExpected {
  messageId: string;
  range: RangeTuple;
  /** The file the finding is in; undefined for the Dockerfile. */
  file?: string;
  severity?: Severity;
  /** Substrings the English message must contain. */
  includes?: string[];
}

export interface ProjectInvalidCase extends ProjectCase {
  errors: ProjectExpected[];
  /** The Dockerfile after the fixes; `null` when the rule offers no fix at all. */
  output: string | null;
  /** Other files after the fixes (only the ones that change). */
  outputFiles?: Record<string, string>;
  remainingAfterFix?: number;
}

export interface ProjectRuleTable {
  task?: TaskName;
  valid: ProjectCase[];
  invalid: ProjectInvalidCase[];
}

const tuple = (d: Diagnostic): RangeTuple => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];

function run(ruleId: string, code: string, files: Record<string, string>, task: TaskName, lang: Lang = 'en'): Diagnostic[] {
  return checkDockerfile({ text: code, project: memoryProject(files), task, lang }).diagnostics.filter((d) => d.ruleId === ruleId);
}

/** Apply the rule's preferred fixes, Dockerfile and other files, until none is left. */
export function applyRuleFixes(ruleId: string, code: string, files: Record<string, string>, task: TaskName): { text: string; files: Record<string, string> } {
  let text = code;
  const current = { ...files };
  for (let round = 0; round < 10; round++) {
    const diags = run(ruleId, text, current, task).filter((d) => d.fixes.length > 0);
    if (diags.length === 0) break;
    let changed = false;
    const own = diags.filter((d) => d.file === undefined);
    const next = applyPreferredFixes(text, own).text;
    if (next !== text) changed = true;
    text = next;
    for (const file of new Set(diags.flatMap((d) => (d.file === undefined ? [] : [d.file])))) {
      const before = current[file];
      if (before === undefined) continue;
      const after = applyPreferredFixes(
        before,
        diags.filter((d) => d.file === file),
      ).text;
      if (after !== before) {
        current[file] = after;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return { text, files: current };
}

export function projectRuleTests(ruleId: string, table: ProjectRuleTable): void {
  const defaultTask = table.task ?? 'gate';
  describe(ruleId, () => {
    describe('valid', () => {
      for (const c of table.valid) {
        it(c.name ?? c.code.split(/\r?\n/).slice(0, 3).join(' ⏎ '), () => {
          const found = run(ruleId, c.code, c.files ?? {}, c.task ?? defaultTask);
          assert.deepEqual(
            found.map((d) => `${d.file ?? 'Dockerfile'} ${d.messageId} ${tuple(d).join(',')}: ${d.message}`),
            [],
          );
        });
      }
    });
    describe('invalid', () => {
      for (const c of table.invalid) {
        it(c.name ?? c.code.split(/\r?\n/).slice(0, 3).join(' ⏎ '), () => {
          const task = c.task ?? defaultTask;
          const files = c.files ?? {};
          const found = run(ruleId, c.code, files, task);
          assert.deepEqual(
            found.map((d) => ({ file: d.file, messageId: d.messageId, range: tuple(d) })),
            c.errors.map((e) => ({ file: e.file, messageId: e.messageId, range: e.range })),
          );
          c.errors.forEach((e, i) => {
            if (e.severity) assert.equal(found[i].severity, e.severity, `severity of ${e.messageId}`);
            for (const s of e.includes ?? []) assert.ok(found[i].message.includes(s), `message "${found[i].message}" lacks "${s}"`);
          });
          for (const lang of ['en', 'ru'] as Lang[]) {
            for (const d of run(ruleId, c.code, files, task, lang)) {
              assert.doesNotMatch(d.message, /\{\?\w+\}/, `unfilled placeholder in ${lang} message: ${d.message}`);
              for (const f of d.fixes) assert.doesNotMatch(f.title, /\{\?\w+\}/, `unfilled placeholder in ${lang} fix title`);
            }
          }
          if (c.output === null) {
            assert.deepEqual(found.flatMap((d) => d.fixes), [], 'expected no fix');
            return;
          }
          const fixed = applyRuleFixes(ruleId, c.code, files, task);
          assert.equal(fixed.text, c.output);
          for (const [file, content] of Object.entries(c.outputFiles ?? {})) assert.equal(fixed.files[file], content, `${file} after the fixes`);
          for (const file of Object.keys(files)) {
            if (!(c.outputFiles && file in c.outputFiles)) assert.equal(fixed.files[file], files[file], `${file} must not change`);
          }
          const after = run(ruleId, fixed.text, fixed.files, task);
          assert.equal(after.length, c.remainingAfterFix ?? 0, `after the fix: ${after.map((d) => d.message).join(' | ')}`);
        });
      }
    });
  });
}
