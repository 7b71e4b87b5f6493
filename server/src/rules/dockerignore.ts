/**
 * RULES.md 13: when the whole build context is copied (`COPY . .`, `ADD . /app`, `COPY * ./`), a
 * .dockerignore exists and excludes `.git`, `.env` and, in a Node project, `node_modules`.
 * The finding sits on the first whole-context copy (one per Dockerfile: .dockerignore is one file per
 * context); its fix creates .dockerignore, or appends the missing lines to it (never rewrites it).
 * An error where the copy reaches the final image; a warning when only a builder stage copies it
 * (.env and .git then stay in the discarded builder, only the context and the cache suffer).
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ALL_TASKS } from '../engine/types';
import { Char } from '../engine/charCodes';
import type { Analysis, Instr } from '../engine/analysis';
import type { FileChange, LocalizedText, Rule } from '../engine/types';
import { copySpec, isIgnored, isUrl, isWholeContext, readDockerignore } from './paths';
import type { CopySpec, PathArg } from './paths';
import { t } from './util';

interface Entry {
  /** The line written to .dockerignore. */
  line: string;
  /** A context path the line must exclude. */
  probe: string;
  why: LocalizedText;
}

const ENTRIES: Record<'node_modules' | '.git' | '.env', Entry> = {
  node_modules: {
    line: 'node_modules',
    probe: 'node_modules/some-package/package.json',
    why: t(
      'node_modules brings the host\'s packages (dev dependencies, binaries built for another OS) over the clean install',
      'node_modules приносит пакеты с хоста (dev-зависимости, бинарники под другую ОС) поверх чистой установки',
    ),
  },
  '.git': {
    line: '.git',
    probe: '.git/HEAD',
    why: t('.git adds the whole history (large, and old commits may hold secrets)', '.git добавляет всю историю (это много, и в старых коммитах бывают секреты)'),
  },
  '.env': {
    line: '.env',
    probe: '.env',
    why: t('.env puts local secrets into a layer anyone with the image can read', '.env кладёт локальные секреты в слой, который прочитает любой, у кого есть образ'),
  },
};

export const dockerignore: Rule = {
  id: 'dockerignore',
  courseRule: 13,
  title: t('.dockerignore when the whole context is copied', '.dockerignore, когда копируется весь контекст'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    missing: t(
      '`{copy}` copies the whole build context, and the project has no .dockerignore: {why}. The course asks for a .dockerignore that excludes {entries}. Create it.',
      '`{copy}` копирует весь контекст сборки, а .dockerignore в проекте нет: {why_ru}. Курс требует .dockerignore, исключающий {entries}. Создайте его.',
    ),
    incomplete: t(
      '`{copy}` copies the whole build context, and .dockerignore does not exclude {entries}: {why}. Add {them} to .dockerignore.',
      '`{copy}` копирует весь контекст сборки, а .dockerignore не исключает {entries}: {why_ru}. Добавьте {them_ru} в .dockerignore.',
    ),
  },
  check({ analysis }) {
    const project = analysis.project;
    // An unsaved Dockerfile has no context to look at.
    if (project.dir === undefined) return [];
    const found = wholeContextCopy(analysis);
    if (!found) return [];
    const { spec, source, inFinal } = found;
    const required = [...(project.exists('package.json') ? [ENTRIES.node_modules] : []), ENTRIES['.git'], ENTRIES['.env']];
    const patterns = readDockerignore(project);
    const missing = patterns === undefined ? required : required.filter((e) => !isIgnored(e.probe, patterns));
    if (missing.length === 0) return [];
    const names = missing.map((e) => e.line);
    const data = {
      copy: `${spec.keyword} ${spec.sources.map((s) => s.raw).join(' ')} ${spec.dest.raw}`,
      entries: names.join(', '),
      them: names.length === 1 ? 'it' : 'them',
      them_ru: names.length === 1 ? 'его' : 'их',
      why: missing.map((e) => e.why.en).join('; '),
      why_ru: missing.map((e) => e.why.ru).join('; '),
    };
    const severity = inFinal ? undefined : ('warning' as const);
    if (patterns === undefined) {
      const change: FileChange = { file: '.dockerignore', create: names.map((n) => n + analysis.eol).join('') };
      return [
        {
          messageId: 'missing',
          data,
          range: source.range,
          ...(severity ? { severity } : {}),
          fixes: [{ title: t('Create .dockerignore excluding {entries}', 'Создать .dockerignore, исключающий {entries}'), edits: [], otherFiles: [change] }],
        },
      ];
    }
    const text = project.read('.dockerignore') ?? '';
    // Docker splits .dockerignore on \n only: a lone CR is not a line break for it, so never write one.
    const eol = /\r\n/.test(text) ? '\r\n' : /\n/.test(text) ? '\n' : analysis.eol;
    const end = TextDocument.create('file:///.dockerignore', 'ignore', 0, text).positionAt(text.length);
    const lead = text === '' || /\n$/.test(text) ? '' : eol;
    const change: FileChange = { file: '.dockerignore', edits: [{ range: { start: end, end }, newText: lead + names.map((n) => n + eol).join('') }] };
    return [
      {
        messageId: 'incomplete',
        data,
        range: source.range,
        ...(severity ? { severity } : {}),
        fixes: [{ title: t('Add {entries} to .dockerignore', 'Добавить {entries} в .dockerignore'), edits: [], otherFiles: [change] }],
      },
    ];
  },
};

/**
 * Cheap and conservative, before copySpec (which expands variables, so computes the stage's scopes): a
 * COPY/ADD with a source that is the whole context as written, or one a variable, quotes or JSON may hide.
 */
function mayCopyWholeContext(analysis: Analysis, instr: Instr): boolean {
  if (instr.keyword !== 'COPY' && instr.keyword !== 'ADD') return false;
  return mayNameWholeContext(analysis.text, instr.start, instr.end);
}

/**
 * Whether a word of text[start, end), as written, other than the first (the keyword) and the last
 * (the destination), may be the whole context: `.`, `./`, `*` and the like, or a word with a variable,
 * a quote, a bracket, an escape or a backtick (a maybe). Words are split at JavaScript's `\s`, as
 * `split(/\s+/)` does, whose first and last pieces are empty when the text starts or ends with space.
 * Scanned in place: splitting every COPY/ADD of the file on each keystroke was 5% of what a 5,000-line
 * keystroke's check allocated. test/rules/dockerignore.test.ts compares it with the split.
 */
export function mayNameWholeContext(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i >= end) break;
    const wordStart = i;
    let special = false;
    let onlyPathChars = true;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (isSpace(c)) break;
      if (c === Char.DOLLAR || c === Char.DQUOTE || c === Char.SQUOTE || c === Char.LBRACKET || c === Char.BACKSLASH || c === Char.BACKTICK) special = true;
      else if (c !== Char.DOT && c !== Char.SLASH && c !== Char.STAR) onlyPathChars = false;
    }
    // The first piece of the split when the text starts with a word, the last when it ends with one.
    if (wordStart === start || i === end) continue;
    if (special || (onlyPathChars && isWholeContext(text.slice(wordStart, i)))) return true;
  }
  return false;
}

/** JavaScript's `\s`: WhiteSpace and LineTerminator. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** The first COPY/ADD of the build context as a whole; one reaching the final image wins. */
function wholeContextCopy(analysis: Analysis): { spec: CopySpec; source: PathArg; inFinal: boolean } | undefined {
  const final = analysis.finalStage;
  const finalChain = final ? analysis.chain(final) : [];
  let first: { spec: CopySpec; source: PathArg; inFinal: boolean } | undefined;
  for (const instr of analysis.instructions) {
    if (!mayCopyWholeContext(analysis, instr)) continue;
    const spec = copySpec(analysis, instr);
    if (!spec || spec.from || !instr.stage) continue;
    const source = spec.sources.find((s) => s.value !== undefined && !isUrl(s.value) && isWholeContext(s.value));
    if (!source) continue;
    const inFinal = finalChain.includes(instr.stage);
    if (inFinal) return { spec, source, inFinal };
    first ??= { spec, source, inFinal };
  }
  return first;
}
