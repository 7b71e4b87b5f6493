/**
 * "Explain this task": the checklist of the task a Dockerfile is checked against, as Markdown. The task's
 * title and why it was chosen, then every course requirement (rule) of the task: whether the Dockerfile
 * passes it now, or its findings with their lines, and the link to the rule's page. Pure: the language
 * server (for the VS Code command) and the CLI (`dockerfile-coach explain`) both print it.
 */
import { RULES } from '../rules';
import type { CheckResult } from './engine';
import type { Diagnostic, Lang, Level, Rule } from './types';

const TEXT = {
  en: {
    why: 'Why this task',
    requirements: 'Course requirements',
    summary: (passed: number, total: number) => `**${passed} of ${total}** checked requirements pass.`,
    rule: 'Rule',
    passes: 'passes',
    findings: (n: number) => (n === 1 ? '1 finding' : `${n} findings`),
    off: 'off, not checked',
    line: 'line',
    other: 'Other notes',
    severity: { error: 'error', warning: 'warning', information: 'information', hint: 'hint' },
  },
  ru: {
    why: 'Почему это задание',
    requirements: 'Требования курса',
    summary: (passed: number, total: number) => `Выполнено **${passed} из ${total}** проверяемых требований.`,
    rule: 'Правило',
    passes: 'выполнено',
    findings: (n: number) => `замечаний: ${n}`,
    off: 'отключено, не проверяется',
    line: 'строка',
    other: 'Прочие замечания',
    severity: { error: 'ошибка', warning: 'предупреждение', information: 'информация', hint: 'подсказка' },
  },
} as const;

/**
 * Message text as Markdown: the rules' `code` spans stay code; outside them nothing a rule quoted
 * (`*.json`, `<name>`, `[a]`) becomes emphasis, HTML or a link.
 */
export const escapeMarkdown = (s: string): string =>
  s
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\*[\]<>]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`))))
    .join('');

/** The rules of a task, in the order of the course's RULES.md (by rule number). */
export const taskRules = (result: CheckResult, rules: readonly Rule[] = RULES): Rule[] =>
  // Stable: the task's own rules (listed last in RULES) join the course rules of the same number.
  rules.filter((r) => r.tasks.includes(result.task.profile.name)).sort((a, b) => a.courseRule - b.courseRule);

export function explainTask(result: CheckResult, lang: Lang, docsBase: string, rules: readonly Rule[] = RULES): string {
  const t = TEXT[lang];
  const profile = result.task.profile;
  const own = taskRules(result, rules);
  const ids = new Set(own.map((r) => r.id));
  const levelOf = (rule: Rule): Level => result.levels?.get(rule.id) ?? profile.levels[rule.id] ?? rule.defaultSeverity;
  const findingLine = (d: Diagnostic) =>
    `  - ${d.file !== undefined ? `${escapeMarkdown(d.file)}, ` : ''}${t.line} ${d.range.start.line + 1}: ${escapeMarkdown(d.message)} (${t.severity[d.severity]})`;

  const lines: string[] = [`# ${escapeMarkdown(profile.title[lang])}`, '', `**${t.why}:** ${escapeMarkdown(result.task.reason[lang])}`, ''];
  const body: string[] = [];
  let checked = 0;
  let passed = 0;
  for (const rule of own) {
    const head = `**${t.rule} ${rule.courseRule}. ${escapeMarkdown(rule.title[lang])}**`;
    const docs = `[docs/rules/${rule.id}.md](${docsBase}${rule.id}.md)`;
    if (levelOf(rule) === 'off') {
      body.push(`- ➖ ${head} — ${t.off} (${docs})`);
      continue;
    }
    checked++;
    const found = result.diagnostics.filter((d) => d.ruleId === rule.id);
    if (found.length === 0) {
      passed++;
      body.push(`- ✅ ${head} — ${t.passes} (${docs})`);
      continue;
    }
    const mark = found.some((d) => d.severity === 'error') ? '❌' : '⚠️';
    body.push(`- ${mark} ${head} — ${t.findings(found.length)} (${docs})`, ...found.map(findingLine));
  }
  lines.push(`## ${t.requirements}`, '', t.summary(passed, checked), '', ...body);
  // The engine's own notes (a broken dockerfile-coach.json, an unknown rule id in coach-ignore).
  const other = result.diagnostics.filter((d) => !ids.has(d.ruleId));
  if (other.length > 0) {
    lines.push('', `## ${t.other}`, '');
    for (const d of other) lines.push(`- \`${d.ruleId}\`, ${t.line} ${d.range.start.line + 1}: ${escapeMarkdown(d.message)} (${t.severity[d.severity]})`);
  }
  return lines.join('\n') + '\n';
}
