/**
 * `dockerfile-coach explain [--task <name>] [--lang en|ru] <Dockerfile>`: the task's checklist as
 * Markdown on stdout (the same text as the editor's "Explain this task"). Exit 0; 2 on usage or I/O error.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { checkDockerfile } from './engine/engine';
import { explainTask } from './engine/explain';
import { FileCache, diskProject } from './engine/project';
import { isTaskName } from './engine/tasks';
import type { Lang, TaskName } from './engine/types';
import { TASK_NAMES } from './engine/types';

export const EXPLAIN_USAGE = `       dockerfile-coach explain [--task <${TASK_NAMES.join('|')}>] [--lang en|ru] <Dockerfile>
  explain prints the task's checklist as Markdown: each course requirement, passed or with its findings (exit 0).`;

class ExplainUsageError extends Error {}

function parse(argv: string[]): { task?: TaskName; lang: Lang; file: string } {
  let task: TaskName | undefined;
  let lang: Lang = 'en';
  const files: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new ExplainUsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--task') {
      const v = value();
      if (!isTaskName(v)) throw new ExplainUsageError(`unknown task "${v}" (expected ${TASK_NAMES.join(', ')})`);
      task = v;
    } else if (flag === '--lang') {
      const v = value();
      if (v !== 'en' && v !== 'ru') throw new ExplainUsageError(`unknown language "${v}" (expected en or ru)`);
      lang = v;
    } else if (a.startsWith('-') && a !== '-') throw new ExplainUsageError(`unknown option "${a}"`);
    else files.push(a);
  }
  if (files.length !== 1) throw new ExplainUsageError(files.length === 0 ? 'no Dockerfile given' : 'explain takes one Dockerfile');
  return { task, lang, file: files[0] };
}

/** `argv[0]` is `explain`. */
export function runExplain(argv: string[], usage: string): number {
  try {
    const { task, lang, file } = parse(argv);
    const abs = path.resolve(file);
    let text: string;
    try {
      if (fs.statSync(abs).isDirectory()) throw new Error(`${file} is a folder: explain takes one Dockerfile`);
      text = fs.readFileSync(abs, 'utf8');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new Error(err.code ? `cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.code}` : err.message);
    }
    const docsBase = pathToFileURL(path.join(__dirname, '..', 'docs', 'rules')).href + '/';
    const dir = path.dirname(abs);
    const result = checkDockerfile({ text, project: diskProject(dir, dir, new FileCache()), uri: pathToFileURL(abs).href, lang, task, docsBase });
    process.stdout.write(explainTask(result, lang, docsBase));
    return 0;
  } catch (e) {
    if (e instanceof ExplainUsageError) process.stderr.write(`dockerfile-coach: ${e.message}\n${usage}\n`);
    else process.stderr.write(`dockerfile-coach: ${(e as Error).message}\n`);
    return 2;
  }
}
