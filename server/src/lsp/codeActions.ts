/**
 * Quick fixes (one per engine fix of each diagnostic in range) and the fix-all source action.
 * Fixes become versioned WorkspaceEdits, so a client refuses to apply one to a changed document.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  CreateFile,
  Diagnostic as LspDiagnostic,
  Range,
  TextDocumentEdit,
  TextEdit as LspTextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { applyPreferredFixes } from '../engine/edits';
import type { Diagnostic, FileChange, Lang, ResolvedFix } from '../engine/types';
import { DiagnosticData, isDiagnosticData } from './diagnostics';
import { DIAGNOSTIC_SOURCE, FIX_ALL_KIND } from './protocol';

/** What the client can apply (from its initialize capabilities). */
export interface EditCapabilities {
  documentChanges: boolean;
  createFiles: boolean;
}

export interface CodeActionContext {
  document: TextDocument;
  /** Folder the fixes' `otherFiles` are relative to; undefined for unsaved documents. */
  documentDir: string | undefined;
  capabilities: EditCapabilities;
  lang: Lang;
  /** Fixes of a diagnostic the client sent without `data` (clients that drop it). */
  lookupFixes(diagnostic: LspDiagnostic): DiagnosticData | undefined;
  /** The engine's diagnostics for the document's current version (checks now if needed). */
  currentDiagnostics(): Promise<Diagnostic[] | undefined>;
}

/** A document's last published diagnostics, with the version they were computed for. */
export interface PublishedDiagnostics {
  version: number;
  diagnostics: Diagnostic[];
}

/** The fixes of the published finding a client's diagnostic stands for: same rule, same range. */
export function publishedFixes(last: PublishedDiagnostics | undefined, diagnostic: LspDiagnostic): DiagnosticData | undefined {
  const { start, end } = diagnostic.range;
  const match = last?.diagnostics.find(
    (d) =>
      d.ruleId === diagnostic.code &&
      d.range.start.line === start.line &&
      d.range.start.character === start.character &&
      d.range.end.line === end.line &&
      d.range.end.character === end.character,
  );
  return last && match ? { version: last.version, fixes: match.fixes } : undefined;
}

const FIX_ALL_TITLE: Record<Lang, string> = {
  en: 'Fix all Dockerfile Coach problems',
  ru: 'Исправить все замечания Dockerfile Coach',
};

export async function codeActions(params: CodeActionParams, ctx: CodeActionContext): Promise<CodeAction[]> {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => o === '' || kind === o || kind.startsWith(o + '.'));
  const actions: CodeAction[] = [];

  if (wants(CodeActionKind.QuickFix)) {
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE || !rangesTouch(diagnostic.range, params.range)) continue;
      const data = isDiagnosticData(diagnostic.data) ? diagnostic.data : ctx.lookupFixes(diagnostic);
      // Ranges from an older version would land in the wrong place; fresh diagnostics follow shortly.
      if (!data || data.version !== ctx.document.version) continue;
      for (const fix of data.fixes) {
        const edit = workspaceEditFor([fix], ctx);
        if (!edit) continue;
        actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred, edit });
      }
    }
  }

  if (wants(FIX_ALL_KIND)) {
    const diagnostics = await ctx.currentDiagnostics();
    if (diagnostics) {
      const { applied } = applyPreferredFixes(ctx.document.getText(), diagnostics);
      const edit = applied.length > 0 ? workspaceEditFor(applied, ctx) : undefined;
      if (edit) actions.push({ title: FIX_ALL_TITLE[ctx.lang], kind: FIX_ALL_KIND, edit });
    }
  }
  return actions;
}

/** One WorkspaceEdit for non-overlapping fixes; undefined when the client cannot apply it. */
export function workspaceEditFor(fixes: ResolvedFix[], ctx: Pick<CodeActionContext, 'document' | 'documentDir' | 'capabilities'>): WorkspaceEdit | undefined {
  const { document, documentDir, capabilities } = ctx;
  const ownEdits: LspTextEdit[] = fixes.flatMap((f) => f.edits);
  const otherChanges = fixes.flatMap((f) => f.otherFiles ?? []);
  if (otherChanges.length > 0 && documentDir === undefined) return undefined;

  const others: { uri: string; create?: string; edits?: LspTextEdit[] }[] = [];
  const seen = new Set<string>();
  for (const change of otherChanges) {
    const target = otherFile(change, document.uri, documentDir as string);
    if (seen.has(target.uri)) continue;
    seen.add(target.uri);
    if (change.create !== undefined) {
      // "Create when absent": an existing file is left alone, never overwritten or prepended to.
      if (fs.existsSync(target.fsPath)) continue;
      if (!capabilities.documentChanges || !capabilities.createFiles) return undefined;
      others.push({ uri: target.uri, create: change.create });
    } else if (change.edits && change.edits.length > 0) {
      others.push({ uri: target.uri, edits: change.edits });
    }
  }
  if (ownEdits.length === 0 && others.length === 0) return undefined;

  if (!capabilities.documentChanges) {
    const changes: Record<string, LspTextEdit[]> = {};
    if (ownEdits.length > 0) changes[document.uri] = ownEdits;
    for (const o of others) changes[o.uri] = o.edits ?? [];
    return { changes };
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  if (ownEdits.length > 0) documentChanges.push(TextDocumentEdit.create({ uri: document.uri, version: document.version }, ownEdits));
  for (const o of others) {
    if (o.create !== undefined) {
      documentChanges.push(CreateFile.create(o.uri, { ignoreIfExists: true }));
      if (o.create !== '') documentChanges.push(TextDocumentEdit.create({ uri: o.uri, version: null }, [LspTextEdit.insert({ line: 0, character: 0 }, o.create)]));
    } else {
      documentChanges.push(TextDocumentEdit.create({ uri: o.uri, version: null }, o.edits ?? []));
    }
  }
  return { documentChanges };
}

function otherFile(change: FileChange, documentUri: string, documentDir: string): { uri: string; fsPath: string } {
  const relative = change.file.split(/[\\/]/).map(encodeURIComponent).join('/');
  // Resolved against the document's own URI so the new URI is spelled like the client's (drive letters, encoding).
  return { uri: new URL(relative, documentUri).href, fsPath: path.resolve(documentDir, change.file) };
}

function rangesTouch(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
