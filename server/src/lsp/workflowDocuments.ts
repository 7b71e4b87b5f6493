/**
 * Open `.github/workflows/*.yml|yaml` documents: checked with the workflow engine (not as Dockerfiles, not
 * as source files), published like a Dockerfile's diagnostics, with quick fixes and fix-all through the
 * same code action path (lsp/codeActions.ts). server.ts routes workflow documents here.
 */
import type { CodeAction, CodeActionParams, Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { emptyProject } from '../engine/project';
import type { ProjectFiles } from '../engine/project';
import type { Diagnostic, Lang, Level } from '../engine/types';
import { workflowConfig } from '../workflows/config';
import { checkWorkflow, isWorkflowPath } from '../workflows/engine';
import { EditCapabilities, PublishedDiagnostics, codeActions, publishedFixes } from './codeActions';
import { toLspDiagnostic } from './diagnostics';

/** A workflow file by its URI (`.../.github/workflows/<name>.yml|yaml`), whatever language the client gave it. */
export function isWorkflowDocument(doc: Pick<TextDocument, 'uri'>): boolean {
  let p: string;
  try {
    p = decodeURIComponent(new URL(doc.uri).pathname);
  } catch {
    p = doc.uri;
  }
  return isWorkflowPath(p);
}

export interface WorkflowCheckSettings {
  lang: Lang;
  /** The `dockerfileCoach.rules` setting; dockerfile-coach.json's `rules` override it, as for a Dockerfile. */
  levels?: Record<string, Level>;
}

export class WorkflowDocuments {
  private readonly published = new Map<string, PublishedDiagnostics>();

  constructor(
    private readonly send: (uri: string, version: number | undefined, diagnostics: LspDiagnostic[]) => void,
    private readonly docsBase: string,
    /** The project files around a workflow (the server's cached ones, emptied on file events); none: no config. */
    private readonly projectFor: (uri: string) => ProjectFiles = () => emptyProject(),
  ) {}

  /**
   * dockerfile-coach.json found as the CLI finds it (workflows/config.ts): its `rules` over the setting's,
   * and a `coach-config` warning first when it is not valid.
   */
  private run(document: TextDocument, settings: WorkflowCheckSettings): Diagnostic[] {
    const config = workflowConfig(this.projectFor(document.uri), settings.lang, this.docsBase);
    const settingLevels = { ...(settings.levels ?? {}), ...(config.levels ?? {}) };
    const { diagnostics } = checkWorkflow({ text: document.getText(), lang: settings.lang, settingLevels, docsBase: this.docsBase });
    return [...config.diagnostics, ...diagnostics];
  }

  /** Check and publish (cheap: one YAML parse and the config through the file cache, so not scheduled). */
  check(document: TextDocument, settings: WorkflowCheckSettings): void {
    const diagnostics = this.run(document, settings);
    const { uri, version } = document;
    if ((this.published.get(uri)?.version ?? -Infinity) > version) return;
    this.published.set(uri, { version, diagnostics });
    this.send(uri, version, diagnostics.map((d) => toLspDiagnostic(d, version)));
  }

  close(uri: string): void {
    this.published.delete(uri);
    this.send(uri, undefined, []);
  }

  codeActions(params: CodeActionParams, document: TextDocument, settings: WorkflowCheckSettings, capabilities: EditCapabilities): Promise<CodeAction[]> {
    return codeActions(params, {
      document,
      // Workflow fixes edit the workflow only.
      documentDir: undefined,
      capabilities,
      lang: settings.lang,
      lookupFixes: (diagnostic) => publishedFixes(this.published.get(document.uri), diagnostic),
      currentDiagnostics: async () => this.run(document, settings),
    });
  }
}
