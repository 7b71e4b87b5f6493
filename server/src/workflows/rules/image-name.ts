import type { Finding } from '../../engine/types';
import type { WorkflowRule } from '../types';
import { Expressions } from '../expressions';

/** Expressions whose value keeps the owner's or the repository's capitals. */
const CASED = /\$\{\{\s*github\.(repository|repository_owner|actor|event\.repository\.name)\s*\}\}/g;
const SHELL_LOWER: Record<string, string> = { repository: '${GITHUB_REPOSITORY,,}', repository_owner: '${GITHUB_REPOSITORY_OWNER,,}', actor: '${GITHUB_ACTOR,,}' };
/** A step lowercases a name somewhere (bash `${X,,}`, `tr`, awk `tolower`, JS `toLowerCase`). */
const LOWERCASES = /,,\}|\btr\s+['"]?(?:\[:upper:\]|A-Z)|tolower|toLowerCase|\bdowncase\b/;

/**
 * Each `ghcr.io/<name>` and where its name starts: what `/ghcr\.io\/((?:\$\{\{[^}]*\}\}|[^\s"'`])+)/gi`
 * matches, scanned in linear time (that expression looks for `}` to the end of the text from every
 * `${{` that is not closed: 80,000 characters of them took 15 s).
 */
export function ghcrNames(text: string): { start: number; name: string }[] {
  const out: { start: number; name: string }[] = [];
  const prefix = /ghcr\.io\//gi;
  const expressions = new Expressions(text);
  let m: RegExpExecArray | null;
  while ((m = prefix.exec(text)) !== null) {
    const start = m.index + m[0].length;
    let p = start;
    for (;;) {
      const end = expressions.braced(p);
      if (end !== -1) p = end;
      else if (p < text.length && !/[\s"'`]/.test(text[p])) p++;
      else break;
    }
    if (p === start) continue;
    out.push({ start, name: text.slice(start, p) });
    prefix.lastIndex = p;
  }
  return out;
}

/**
 * The `${{ expression }}`, `${VAR}` and `$VAR` references in a name, in order: the matches of
 * `/\$\{\{.*?\}\}|\$\{[^}]*\}|\$\w+/g`, in linear time (as for ghcrNames).
 */
export function references(name: string): { index: number; text: string }[] {
  const out: { index: number; text: string }[] = [];
  const expressions = new Expressions(name);
  const WORD = /\w+/y;
  for (let i = name.indexOf('$'); i !== -1; ) {
    let end = expressions.onLine(i);
    if (end === -1) end = expressions.variable(i);
    if (end === -1) {
      WORD.lastIndex = i + 1;
      if (WORD.test(name)) end = WORD.lastIndex;
    }
    if (end === -1) {
      i = name.indexOf('$', i + 1);
      continue;
    }
    out.push({ index: i, text: name.slice(i, end) });
    i = name.indexOf('$', end);
  }
  return out;
}

export const imageName: WorkflowRule = {
  id: 'workflow-image-name',
  title: { en: 'The GHCR image name is lowercase', ru: 'Имя образа в GHCR в нижнем регистре' },
  defaultSeverity: 'error',
  messages: {
    uppercase: {
      en: 'GHCR refuses image names with capitals: "{name}" must be lowercase.',
      ru: 'GHCR не принимает имена образов с заглавными буквами: «{name}» нужно записать в нижнем регистре.',
    },
    expression: {
      en: '`{expr}` keeps the capitals of the owner or repository name, and GHCR refuses them: lowercase it in a step (for example `${GITHUB_REPOSITORY,,}` in bash).',
      ru: '`{expr}` сохраняет заглавные буквы в имени владельца или репозитория, а GHCR их не принимает: приведите его к нижнему регистру в шаге (например, `${GITHUB_REPOSITORY,,}` в bash).',
    },
  },
  check({ workflow: wf, buildJobs }) {
    if (buildJobs.length === 0) return [];
    const out: Finding[] = [];
    const lowercased = LOWERCASES.test(wf.text);
    const runRanges = wf.jobs.flatMap((j) => j.steps.flatMap((s) => (s.run?.range ? [[s.run.range[0], s.run.range[1]]] : [])));
    const inRun = (o: number) => runRanges.some(([a, b]) => o >= a && o < b);
    for (const { start, name } of ghcrNames(wf.text)) {
      // Literal parts: what is left outside ${{ }} expressions and $VAR / ${VAR} references.
      const refs = references(name);
      const literal = refs.reduceRight((text, r) => text.slice(0, r.index) + text.slice(r.index + r.text.length), name);
      if (/[A-Z]/.test(literal.split(':')[0])) {
        const edits = [];
        let last = 0;
        for (const e of refs) {
          const part = name.slice(last, e.index);
          if (/[A-Z]/.test(part)) edits.push({ range: wf.range(start + last, start + e.index), newText: part.toLowerCase() });
          last = e.index + e.text.length;
        }
        // The tag after `:` may keep capitals; only the repository part must be lowercase.
        const colon = name.indexOf(':', last);
        const tail = name.slice(last, colon >= 0 ? colon : name.length);
        if (/[A-Z]/.test(tail)) edits.push({ range: wf.range(start + last, start + last + tail.length), newText: tail.toLowerCase() });
        out.push({
          messageId: 'uppercase',
          data: { name: `ghcr.io/${name}` },
          range: wf.range(start - 'ghcr.io/'.length, start + name.length),
          fixes: [{ title: { en: 'Lowercase the image name', ru: 'Записать имя образа в нижнем регистре' }, edits }],
        });
      }
      if (lowercased) continue;
      for (const e of name.split(':')[0].matchAll(CASED)) {
        const at = start + (e.index ?? 0);
        const shell = SHELL_LOWER[e[1]];
        out.push({
          messageId: 'expression',
          data: { expr: e[0] },
          range: wf.range(at, at + e[0].length),
          // In a bash script the runner's variable can be lowercased in place.
          fixes:
            shell && inRun(at)
              ? [{ title: { en: 'Use the lowercased runner variable', ru: 'Использовать переменную раннера в нижнем регистре' }, edits: [{ range: wf.range(at, at + e[0].length), newText: shell }] }]
              : [],
        });
      }
    }
    return out;
  },
};
