/** Verify's result: a checklist, rendered as Markdown (for the preview, the tests and bug reports). */
import type { TaskName } from '../../../server/src/engine/types';
import type { BuildError } from './buildOutput';
import type { Failure } from './failures';
import { Lang, LocalizedText, t } from './l10n';

export type ItemStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'info';

export interface ChecklistItem {
  id: string;
  status: ItemStatus;
  title: LocalizedText;
  detail: LocalizedText;
  /** The linter rules that explain a failure (those the linter reported first). */
  ruleIds?: string[];
  /** 0-based line that explains it: of `file`, or of the Dockerfile when `file` is not set. */
  line?: number;
  /** Another file of the project (absolute path) when the explaining finding is there, e.g. index.js. */
  file?: string;
}

export interface VerifyReport {
  dockerfile: string;
  task: TaskName;
  tag: string;
  items: ChecklistItem[];
  /** No item failed. */
  passed: boolean;
  durationMs: number;
  /** Docker itself could not be used (not installed, no daemon, ...). */
  failure?: Failure;
  buildError?: BuildError;
}

export const STATUS_ICON: Record<ItemStatus, string> = { pass: '✅', fail: '❌', warn: '⚠️', skip: '⏭️', info: 'ℹ️' };

const TEXT = {
  heading: t('Verify: {task} task', 'Проверка: задание {task}'),
  summaryPass: t('All {n} checks passed.', 'Все проверки ({n}) пройдены.'),
  summaryFail: t('{failed} of {n} checks failed.', 'Не пройдено проверок: {failed} из {n}.'),
  image: t('Image', 'Образ'),
  took: t('took {s} s', 'заняло {s} с'),
  line: t('line {n}', 'строка {n}'),
  rule: t('rule {id}', 'правило {id}'),
};

const f = (text: LocalizedText, lang: Lang, data: Record<string, string | number>) => text[lang].replace(/\{(\w+)\}/g, (m, k: string) => (k in data ? String(data[k]) : m));

export function summary(report: VerifyReport, lang: Lang): string {
  const judged = report.items.filter((i) => i.status === 'pass' || i.status === 'fail');
  const failed = judged.filter((i) => i.status === 'fail').length;
  return failed === 0 ? f(TEXT.summaryPass, lang, { n: judged.length }) : f(TEXT.summaryFail, lang, { failed, n: judged.length });
}

export interface Links {
  /** A link to a (0-based) line of the Dockerfile, or of another file. */
  line?: (line: number, file: string | undefined) => string;
  /** A link to a rule's page, when there is one. */
  rule?: (ruleId: string) => string | undefined;
}

export function renderMarkdown(report: VerifyReport, lang: Lang, links: Links = {}): string {
  const out: string[] = [];
  out.push(`# ${f(TEXT.heading, lang, { task: report.task })}`, '');
  out.push(`\`${report.dockerfile}\` · ${TEXT.image[lang]} \`${report.tag}\` · ${f(TEXT.took, lang, { s: (report.durationMs / 1000).toFixed(1) })}`, '');
  out.push(`**${summary(report, lang)}**`, '');
  for (const item of report.items) {
    const refs: string[] = [];
    if (item.line !== undefined) {
      const label = `${item.file ? `${item.file.split(/[\\/]/).pop()} ` : ''}${f(TEXT.line, lang, { n: item.line + 1 })}`;
      refs.push(links.line ? `[${label}](${links.line(item.line, item.file)})` : label);
    }
    for (const id of item.ruleIds ?? []) {
      const label = f(TEXT.rule, lang, { id });
      const href = links.rule?.(id);
      refs.push(href ? `[${label}](${href})` : `\`${id}\``);
    }
    out.push(`- ${STATUS_ICON[item.status]} **${escapeMd(item.title[lang])}**${refs.length ? ` (${refs.join(', ')})` : ''}  `);
    for (const l of item.detail[lang].split('\n')) if (l.trim()) out.push(`  ${escapeMd(l)}  `);
  }
  out.push('');
  return out.join('\n');
}

function escapeMd(s: string): string {
  return s.replace(/([<>])/g, '\\$1');
}
