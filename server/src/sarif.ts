/**
 * SARIF 2.1.0 output, so GitHub code scanning shows the findings inline. Valid against the OASIS schema
 * (test/cli-sarif.test.ts), with the rule metadata code scanning reads: id, descriptions, help, level.
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ENGINE_IDS } from './engine/engine';
import type { Diagnostic, Lang, LocalizedText, Rule, Severity } from './engine/types';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export type SarifRule = Pick<Rule, 'id' | 'title' | 'defaultSeverity'>;

/** The engine's own diagnostics (a broken dockerfile-coach.json, a rule that threw): declared like rules. */
export const ENGINE_RULES: readonly SarifRule[] = [
  { id: ENGINE_IDS.config, title: { en: "Dockerfile Coach's own settings and project files", ru: 'Настройки Dockerfile Coach и файлы проекта' }, defaultSeverity: 'warning' },
  { id: ENGINE_IDS.internal, title: { en: 'A rule failed on this file', ru: 'Правило упало на этом файле' }, defaultSeverity: 'information' },
];

export interface SarifOptions {
  lang?: Lang;
  /** The rule's documentation (Markdown), shown by code scanning as the rule's help. */
  readDoc?: (ruleId: string) => string | undefined;
}

/**
 * `artifactLocation.uri` must be a URI reference: a relative path is percent-encoded per segment (spaces,
 * `%`, `#`, non-ASCII names), an absolute path becomes a file URI.
 */
export function artifactUri(file: string): string {
  if (path.isAbsolute(file)) return pathToFileURL(file).href;
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

export function toSarif(files: { file: string; diagnostics: Diagnostic[] }[], rules: readonly SarifRule[], docsBase: string, options: SarifOptions = {}) {
  const lang = options.lang ?? 'en';
  const title = (t: LocalizedText) => ({ text: t[lang] });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dockerfile-coach',
            rules: rules.map((r) => {
              const helpUri = `${docsBase}${r.id}.md`;
              const doc = options.readDoc?.(r.id);
              return {
                id: r.id,
                name: r.id,
                shortDescription: title(r.title),
                fullDescription: title(r.title),
                helpUri,
                // Code scanning shows help next to each alert; helpUri alone is a path on the machine that ran the check.
                help: doc ? { text: `${r.title[lang]}: ${helpUri}`, markdown: doc } : { text: `${r.title[lang]}: ${helpUri}` },
                defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
              };
            }),
          },
        },
        results: files.flatMap(({ file, diagnostics }) =>
          diagnostics.map((d) => ({
            ruleId: d.ruleId,
            level: LEVEL[d.severity],
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: artifactUri(file) },
                  // SARIF lines and columns are 1-based; an empty range still covers one column.
                  region: {
                    startLine: d.range.start.line + 1,
                    startColumn: d.range.start.character + 1,
                    endLine: d.range.end.line + 1,
                    endColumn: Math.max(d.range.end.character + 1, d.range.start.line === d.range.end.line ? d.range.start.character + 2 : 1),
                  },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
}
