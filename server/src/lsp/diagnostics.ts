/** Engine diagnostics to LSP diagnostics, and back to what a code action needs. */
import { Diagnostic as LspDiagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Diagnostic, ResolvedFix, Severity } from '../engine/types';
import { DIAGNOSTIC_SOURCE } from './protocol';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * Carried in `Diagnostic.data`, which clients hand back in the code action request: the fixes
 * travel with the diagnostic, so a code action never re-runs the check.
 */
export interface DiagnosticData {
  /** The document version the fixes' ranges refer to. */
  version: number;
  fixes: ResolvedFix[];
}

export function toLspDiagnostic(d: Diagnostic, version: number): LspDiagnostic {
  const data: DiagnosticData = { version, fixes: d.fixes };
  return {
    range: d.range,
    severity: SEVERITIES[d.severity],
    source: DIAGNOSTIC_SOURCE,
    code: d.ruleId,
    codeDescription: { href: d.docs },
    message: d.message,
    data,
  };
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<DiagnosticData>;
  return typeof v.version === 'number' && Array.isArray(v.fixes);
}
