import type { Finding } from '../../engine/types';
import { buildsImage, usesAction } from '../model';
import type { WorkflowRule } from '../types';
import { Expressions } from '../expressions';
import { pushAll } from '../../engine/arrays';

/**
 * `ref` with each `${{ expression }}` (on one line) replaced by as many `X`: what
 * `ref.replace(/\$\{\{.*?\}\}/g, (x) => 'X'.repeat(x.length))` gives, in linear time (that expression
 * looks for `}}` to the end of the line from every `${{`).
 */
export function maskExpressions(ref: string): string {
  const expressions = new Expressions(ref);
  let out = '';
  let last = 0;
  for (let i = ref.indexOf('${{'); i !== -1; ) {
    const end = expressions.onLine(i);
    if (end === -1) {
      i = ref.indexOf('${{', i + 1);
      continue;
    }
    out += ref.slice(last, i) + 'X'.repeat(end - i);
    last = end;
    i = ref.indexOf('${{', last);
  }
  return out + ref.slice(last);
}

/** The tag of an image reference; undefined when a variable hides it. */
function tagOf(ref: string): string | undefined {
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', slash + 1);
  // `${{ env.IMAGE }}:${{ github.sha }}`: the colon inside the expression does not count.
  const bare = maskExpressions(ref);
  const c = bare.indexOf(':', bare.lastIndexOf('/') + 1);
  if (c >= 0) return ref.slice(c + 1);
  if (colon < 0 && /\$/.test(ref)) return undefined;
  return 'latest';
}

/**
 * The tags a script names, in the order the two readings below find them: every `-t <tag>` /
 * `--tag <tag>` / `--tag=<tag>`, then every `docker tag <source> <tag>` (`docker image tag` too); a
 * tag may be quoted. A word of a tag is a whole `${{ expression }}` (spaces and all) or one other
 * character, and where an expression starts its `$` is not also a character alone. That is
 *   /(?:\s-t|--tag)(?:=|\s+)(["']?)((?:E|(?!E)[^\s"'])+)\1/g and
 *   /\bdocker\s+(?:image\s+)?tag\s+(?:E|(?!E)\S)+\s+(["']?)((?:E|(?!E)[^\s"'])+)\1/g
 * with E = /\$\{\{[^}]*\}\}/ (test/long-runs.test.ts compares them), read in linear time. The first
 * expressions without the `(?!E)` split a quoted tag of n expressions without its closing quote 2^n
 * ways (23 took 4 s, 40 would have taken days); with it they still looked for `}` to the end from
 * every `${{`.
 */
export function scriptTags(script: string): string[] {
  const n = script.length;
  const expressions = new Expressions(script);
  const space = (k: number) => k < n && /\s/.test(script[k]);
  const quote = (k: number) => script[k] === '"' || script[k] === "'";
  /** Where a run of words that `allows` a character ends (at k when there is none). */
  const words = (k: number, allows: (k: number) => boolean): number => {
    for (;;) {
      const end = expressions.braced(k);
      if (end !== -1) k = end;
      else if (k < n && allows(k)) k++;
      else return k;
    }
  };
  const skipSpaces = (k: number): number => {
    while (space(k)) k++;
    return k;
  };
  /** The tag after `k` (an optional quote, the words, the same quote), and where the reading ends. */
  const tagAt = (k: number): { tag: string; end: number } | undefined => {
    const q = quote(k) ? script[k] : '';
    const start = k + q.length;
    const end = words(start, (x) => !space(x) && !quote(x));
    if (end === start || (q !== '' && script[end] !== q)) return undefined;
    return { tag: script.slice(start, end), end: end + q.length };
  };
  const tags: string[] = [];
  for (let k = 0; k < n; ) {
    let at = -1;
    if (space(k) && script.startsWith('-t', k + 1)) at = k + 3;
    else if (script.startsWith('--tag', k)) at = k + 5;
    if (at !== -1) {
      const after = script[at] === '=' ? at + 1 : space(at) ? skipSpaces(at) : -1;
      const found = after === -1 ? undefined : tagAt(after);
      if (found) {
        tags.push(found.tag);
        k = found.end;
        continue;
      }
    }
    k++;
  }
  const word = /\w/;
  for (let k = script.indexOf('docker'); k !== -1; ) {
    let next = k + 1;
    if (k === 0 || !word.test(script[k - 1])) {
      let p = k + 'docker'.length;
      if (space(p)) {
        p = skipSpaces(p);
        if (script.startsWith('image', p) && space(p + 5)) p = skipSpaces(p + 5);
        if (script.startsWith('tag', p) && space(p + 3)) {
          const source = skipSpaces(p + 3);
          const sourceEnd = words(source, (x) => !space(x));
          if (sourceEnd > source && space(sourceEnd)) {
            const found = tagAt(skipSpaces(sourceEnd));
            if (found) {
              tags.push(found.tag);
              next = found.end;
            }
          }
        }
      }
    }
    k = script.indexOf('docker', next);
  }
  return tags;
}

export const imageTag: WorkflowRule = {
  id: 'workflow-image-tag',
  title: { en: 'The image is tagged with more than `latest`', ru: 'У образа есть тег кроме `latest`' },
  defaultSeverity: 'warning',
  messages: {
    onlyLatest: {
      en: 'The image is only tagged `latest`: tag it with the commit SHA (`${{ github.sha }}`) or a version tag too, so each build can be found again.',
      ru: 'У образа только тег `latest`: добавьте тег с SHA коммита (`${{ github.sha }}`) или версией, чтобы каждую сборку можно было найти.',
    },
  },
  check({ workflow: wf, buildJobs }) {
    const out: Finding[] = [];
    for (const job of buildJobs) {
      const tags: string[] = [];
      for (const s of job.steps) {
        if (usesAction(s, 'docker/build-push-action')) pushAll(tags, (s.with.tags ?? '').split(/[\n,]/).map((t) => t.trim()).filter(Boolean));
        pushAll(tags, scriptTags(s.script));
      }
      if (tags.length === 0) continue;
      const known = tags.map(tagOf);
      if (known.some((t) => t === undefined || t !== 'latest')) continue;
      const step = job.steps.find(buildsImage);
      if (step) out.push({ messageId: 'onlyLatest', range: wf.nodeRange(step.uses ?? step.run ?? step.node) });
    }
    return out;
  },
};
