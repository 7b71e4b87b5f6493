/**
 * No false positives on real Dockerfiles: Dockerfiles written in the styles of the official node, golang
 * and python images and of ordinary multi-stage apps. Under the `generic` task the course rules are
 * advice: none of these may get an error, and no rule may crash on them.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDockerfile } from '../server/src/engine/engine';
import { memoryProject } from '../server/src/engine/project';

const CORPUS = path.resolve(__dirname, '..', '..', 'test', 'corpus');

describe('corpus of real-world style Dockerfiles (generic task)', () => {
  for (const name of fs.readdirSync(CORPUS).filter((f) => f.endsWith('.Dockerfile')).sort()) {
    it(name, () => {
      const text = fs.readFileSync(path.join(CORPUS, name), 'utf8');
      const result = checkDockerfile({ text, project: memoryProject({}), task: 'generic' });
      const errors = result.diagnostics.filter((d) => d.severity === 'error' || d.ruleId === 'internal-error');
      assert.deepEqual(errors.map((d) => `${d.ruleId} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`), []);
    });
  }
});
