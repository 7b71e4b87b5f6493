import type { Finding } from '../../engine/types';
import { buildsImage, usesAction } from '../model';
import type { WorkflowRule } from '../types';
import { pushAll } from '../../engine/arrays';

/** The tag of an image reference; undefined when a variable hides it. */
function tagOf(ref: string): string | undefined {
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', slash + 1);
  // `${{ env.IMAGE }}:${{ github.sha }}`: the colon inside the expression does not count.
  const bare = ref.replace(/\$\{\{.*?\}\}/g, (x) => 'X'.repeat(x.length));
  const c = bare.indexOf(':', bare.lastIndexOf('/') + 1);
  if (c >= 0) return ref.slice(c + 1);
  if (colon < 0 && /\$/.test(ref)) return undefined;
  return 'latest';
}

/**
 * A word of a tag: a whole `${{ expression }}` (spaces and all), or one other character. Where an
 * expression starts, its `$` is never taken as a character alone: with that choice open, a quoted tag of
 * n expressions and no closing quote had 2^n ways to be split, all tried (40 expressions would have
 * taken hours). The lookahead still scans to the next `}` from each `${{`: quadratic in a long run of
 * unclosed ones on one line (CHANGELOG).
 */
const EXPRESSION = String.raw`\$\{\{[^}]*\}\}`;
const part = (char: string) => `(?:${EXPRESSION}|(?!${EXPRESSION})${char})`;
/** `docker build -t <tag>`, `--tag=<tag>`; the tag is group 2. */
const BUILD_TAG = new RegExp(String.raw`(?:\s-t|--tag)(?:=|\s+)(["']?)(${part(String.raw`[^\s"']`)}+)\1`, 'g');
/** `docker tag <source> <tag>`; the tag is group 2. */
const DOCKER_TAG = new RegExp(String.raw`\bdocker\s+(?:image\s+)?tag\s+${part(String.raw`\S`)}+\s+(["']?)(${part(String.raw`[^\s"']`)}+)\1`, 'g');

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
        for (const m of s.script.matchAll(BUILD_TAG)) tags.push(m[2]);
        for (const m of s.script.matchAll(DOCKER_TAG)) tags.push(m[2]);
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
