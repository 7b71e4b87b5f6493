import { isMap, isScalar, isSeq } from 'yaml';
import type { Finding, Fix } from '../../engine/types';
import type { WorkflowRule } from '../types';
import { nodeSpan } from '../edits';

export const PUSH_TRIGGER = ['push:', '  branches: [main]', "  tags: ['v*']"];

export const triggers: WorkflowRule = {
  id: 'workflow-triggers',
  title: { en: 'The workflow runs on push', ru: 'Workflow запускается при push' },
  defaultSeverity: 'warning',
  messages: {
    noPush: {
      en: 'The workflow does not run on push, so the image is not rebuilt when the task changes: run it on push to the default branch (and on tags), not only by hand.',
      ru: 'Workflow не запускается при push, и образ не пересобирается при изменении задания: запускайте его при push в основную ветку (и при тегах), а не только вручную.',
    },
  },
  check({ workflow: wf, buildJobs }) {
    const on = wf.on;
    if (buildJobs.length === 0 || !on) return [];
    const v = on.value;
    const events = isScalar(v) ? [String(v.value)] : isSeq(v) ? v.items.map((i) => String(isScalar(i) ? i.value : '')) : isMap(v) ? v.items.map((p) => String(isScalar(p.key) ? p.key.value : '')) : [];
    if (events.includes('push')) return [];
    const title = { en: 'Run on push to main and on version tags', ru: 'Запускать при push в main и при тегах версий' };
    const keyCol = wf.column(on.key as never);
    let fix: Fix | undefined;
    const block = (others: string[]) => [...PUSH_TRIGGER, ...others.map((e) => `${e}:`)].map((l) => '\n' + ' '.repeat(keyCol + 2) + l).join('');
    if ((isScalar(v) || (isSeq(v) && v.flow)) && v.range) {
      // `on: workflow_dispatch` / `on: [workflow_dispatch]`: from the end of `on:` to the end of the value.
      const [, end] = nodeSpan(wf, v);
      const keyEnd = (on.key as { range?: number[] }).range?.[1] ?? 0;
      const colon = wf.text.indexOf(':', keyEnd);
      fix = { title, edits: [{ range: wf.range(colon + 1, end), newText: block(events) }] };
    } else if (isMap(v) && !v.flow && v.items.length > 0) {
      const [start] = nodeSpan(wf, v.items[0].key as never);
      const at = wf.lineStart(start);
      const indent = ' '.repeat(wf.column(v.items[0].key as never));
      fix = { title, edits: [{ range: wf.range(at, at), newText: PUSH_TRIGGER.map((l) => indent + l + '\n').join('') }] };
    }
    const out: Finding[] = [{ messageId: 'noPush', range: wf.nodeRange(on.key as never), fixes: fix ? [fix] : [] }];
    return out;
  },
};
