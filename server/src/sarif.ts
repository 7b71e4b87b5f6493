/** SARIF 2.1.0 output, so GitHub code scanning shows the findings inline. */
import type { Diagnostic, Rule, Severity } from './engine/types';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(files: { file: string; diagnostics: Diagnostic[] }[], rules: readonly Pick<Rule, 'id' | 'title' | 'defaultSeverity'>[], docsBase: string) {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dockerfile-coach',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.title.en },
              helpUri: `${docsBase}${r.id}.md`,
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            })),
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
                  artifactLocation: { uri: file },
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
