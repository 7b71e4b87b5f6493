/** Applies every preferred fix to an example's first attempt, on disk, as `dockerfile-coach check --fix` does. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixAll } from '../../server/src/engine/engine';
import { diskProject } from '../../server/src/engine/project';
import type { Diagnostic, TaskName } from '../../server/src/engine/types';

export function fixFolder(dir: string, task: TaskName): Diagnostic[] {
  const file = path.join(dir, 'Dockerfile');
  const fixed = fixAll({ text: fs.readFileSync(file, 'utf8'), project: diskProject(dir, dir), task });
  fs.writeFileSync(file, fixed.text);
  for (const [rel, content] of Object.entries(fixed.files)) fs.writeFileSync(path.join(dir, rel), content);
  return fixed.result.diagnostics;
}
