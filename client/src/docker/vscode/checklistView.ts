/** Verify's checklist in a webview: each item, and for a failed one its line and its rule. */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { ItemStatus, VerifyReport, summary } from '../checklist';
import type { Lang } from '../l10n';

type Message = { type: 'line'; line: number; file?: string } | { type: 'rule'; id: string } | { type: 'markdown' };

export class ChecklistView {
  private panel: vscode.WebviewPanel | undefined;
  private report: VerifyReport | undefined;
  private lang: Lang = 'en';

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly renderMarkdown: (report: VerifyReport, lang: Lang) => string,
  ) {}

  show(report: VerifyReport, lang: Lang): void {
    this.report = report;
    this.lang = lang;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('dockerfileCoach.checklist', vscode.l10n.t('Verify: checklist'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [] });
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: Message) => void this.onMessage(m));
    }
    this.panel.title = vscode.l10n.t('Verify: {0}', report.tag);
    this.panel.webview.html = this.html(report, lang);
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  /** Opens the Dockerfile at a (0-based) line. */
  async openLine(dockerfile: string, line: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(dockerfile));
    const pos = new vscode.Position(line, 0);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
  }

  ruleDoc(id: string): vscode.Uri | undefined {
    const uri = vscode.Uri.joinPath(this.extensionUri, 'docs', 'rules', `${id}.md`);
    return fs.existsSync(uri.fsPath) ? uri : undefined;
  }

  private async onMessage(m: Message): Promise<void> {
    const report = this.report;
    if (!report) return;
    // only the Dockerfile or a file Verify itself named: the webview's message is not trusted blindly
    if (m.type === 'line') await this.openLine(m.file && report.items.some((i) => i.file === m.file) ? m.file : report.dockerfile, m.line);
    else if (m.type === 'rule') {
      const doc = this.ruleDoc(m.id);
      if (doc) await vscode.commands.executeCommand('markdown.showPreview', doc);
    } else if (m.type === 'markdown') {
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: this.renderMarkdown(report, this.lang) });
      await vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside);
    }
  }

  private html(report: VerifyReport, lang: Lang): string {
    const nonce = randomBytes(16).toString('base64');
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    // words, not emoji: a webview may have no emoji font
    const badge: Record<ItemStatus, string> = {
      pass: vscode.l10n.t('pass'),
      fail: vscode.l10n.t('fail'),
      warn: vscode.l10n.t('warning'),
      skip: vscode.l10n.t('skipped'),
      info: vscode.l10n.t('info'),
    };
    const rows = report.items
      .map((item) => {
        const refs: string[] = [];
        if (item.line !== undefined) {
          const where = `${item.file ? `${path.basename(item.file)} ` : ''}${vscode.l10n.t('line {0}', item.line + 1)}`;
          refs.push(`<a href="#" data-line="${item.line}" data-file="${esc(item.file ?? '')}">${esc(where)}</a>`);
        }
        for (const id of item.ruleIds ?? []) refs.push(this.ruleDoc(id) ? `<a href="#" data-rule="${esc(id)}">${esc(id)}</a>` : `<code>${esc(id)}</code>`);
        return `<li class="${item.status}"><span class="badge">${esc(badge[item.status])}</span><div><div class="title">${esc(item.title[lang])}${refs.length ? ` <span class="refs">(${refs.join(', ')})</span>` : ''}</div><div class="detail">${esc(item.detail[lang])}</div></div></li>`;
      })
      .join('\n');
    return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
ul { list-style: none; padding: 0; }
li { display: flex; gap: .6em; padding: .4em 0; border-bottom: 1px solid var(--vscode-panel-border); }
li.fail .title { color: var(--vscode-errorForeground); }
.badge { flex: 0 0 5.5em; text-align: center; align-self: flex-start; border-radius: 3px; padding: 0 .3em; font-size: .85em; text-transform: uppercase; color: var(--vscode-badge-foreground); background: var(--vscode-badge-background); }
li.pass .badge { color: #fff; background: var(--vscode-testing-iconPassed, #388a34); }
li.fail .badge { color: #fff; background: var(--vscode-testing-iconFailed, #c72e0f); }
li.warn .badge { color: #000; background: var(--vscode-editorWarning-foreground, #bf8803); }
.title { font-weight: 600; }
.detail { white-space: pre-wrap; font-family: var(--vscode-editor-font-family); font-size: .9em; opacity: .85; }
.refs { font-weight: normal; }
.meta { opacity: .8; }
</style></head><body>
<h2>${esc(vscode.l10n.t('Verify: {0} task', report.task))}</h2>
<p class="meta"><code>${esc(report.dockerfile)}</code> · <code>${esc(report.tag)}</code> · ${(report.durationMs / 1000).toFixed(1)} s · <a href="#" id="md">${esc(vscode.l10n.t('Open as Markdown'))}</a></p>
<p><strong>${esc(summary(report, lang))}</strong></p>
<ul>${rows}</ul>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (e) => {
  const a = e.target.closest('a');
  if (!a) return;
  e.preventDefault();
  if (a.id === 'md') vscode.postMessage({ type: 'markdown' });
  else if (a.dataset.line !== undefined) vscode.postMessage({ type: 'line', line: Number(a.dataset.line), file: a.dataset.file || undefined });
  else if (a.dataset.rule) vscode.postMessage({ type: 'rule', id: a.dataset.rule });
});
</script>
</body></html>`;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
