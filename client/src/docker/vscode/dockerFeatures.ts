/**
 * The VS Code side of Build, Build and run and Verify: commands, the `dockerfile-coach` task type,
 * SecretStorage for the task's values, build errors as diagnostics, the checklist. Everything that
 * talks to docker is in the modules one folder up (no VS Code there; the tests run them for real).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { isTaskName } from '../../../../server/src/engine/tasks';
import { diskProject } from '../../../../server/src/engine/project';
import { checkDockerfile } from '../../../../server/src/engine/engine';
import type { TaskName } from '../../../../server/src/engine/types';
import { Analysis } from '../../../../server/src/engine/analysis';
import { renderMarkdown, summary, VerifyReport } from '../checklist';
import { readCompose } from '../compose';
import type { BuildError } from '../buildOutput';
import { Docker } from '../dockerCli';
import { displayCommand } from '../process';
import type { Failure } from '../failures';
import type { Lang, LocalizedText } from '../l10n';
import { startRun } from '../run';
import { defaultTag, isValidTag } from '../tags';
import { RunPlan, runPlan } from '../taskSpec';
import { DEFAULT_SIZE_BUDGET_MB, DEFAULT_TIMEOUT_MS, verify } from '../verify';
import { ChecklistView } from './checklistView';
import { JobTerminal, TerminalIO, style } from './terminal';

export const COMMANDS = {
  build: 'dockerfileCoach.build',
  run: 'dockerfileCoach.buildAndRun',
  verify: 'dockerfileCoach.verify',
  forget: 'dockerfileCoach.forgetRunValues',
} as const;

export const TASK_TYPE = 'dockerfile-coach';
type Action = 'build' | 'run' | 'verify';

export interface CoachTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  action: Action;
  /** The Dockerfile, absolute or relative to the workspace folder. */
  dockerfile: string;
  /** The build context (the Dockerfile's folder by default). */
  context?: string;
  tag?: string;
  buildArgs?: string[];
}

interface Settings {
  dockerPath: string;
  buildArgs: string[];
  tag: string;
  sizeBudgetMB: number;
  timeoutSeconds: number;
  settingTask: string;
  lang: Lang;
}

function settings(uri: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('dockerfileCoach', uri);
  const language = c.get<string>('language', 'auto');
  const lang: Lang = language === 'en' || language === 'ru' ? language : vscode.env.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
  return {
    dockerPath: c.get<string>('docker.path', '').trim() || 'docker',
    buildArgs: c.get<string[]>('docker.buildArgs', []).filter((a) => typeof a === 'string'),
    tag: c.get<string>('docker.tag', '').trim(),
    sizeBudgetMB: c.get<number>('verify.sizeBudgetMB', DEFAULT_SIZE_BUDGET_MB),
    timeoutSeconds: c.get<number>('verify.timeoutSeconds', DEFAULT_TIMEOUT_MS / 1000),
    settingTask: c.get<string>('task', 'auto'),
    lang,
  };
}

const DOCKERFILE_GLOB = '**/{Dockerfile,Containerfile,*.Dockerfile,Dockerfile.*,*.containerfile}';

export interface DockerFeaturesOptions {
  /** The task the language server chose for a Dockerfile (what the status bar shows). */
  taskOf(uri: vscode.Uri): string | undefined;
}

export function registerDockerFeatures(context: vscode.ExtensionContext, options: DockerFeaturesOptions): void {
  const features = new DockerFeatures(context, options);
  context.subscriptions.push(
    features,
    vscode.commands.registerCommand(COMMANDS.build, (uri?: vscode.Uri) => features.command('build', uri)),
    vscode.commands.registerCommand(COMMANDS.run, (uri?: vscode.Uri) => features.command('run', uri)),
    vscode.commands.registerCommand(COMMANDS.verify, (uri?: vscode.Uri) => features.command('verify', uri)),
    vscode.commands.registerCommand(COMMANDS.forget, (uri?: vscode.Uri) => features.forget(uri)),
    vscode.tasks.registerTaskProvider(TASK_TYPE, {
      provideTasks: () => features.provideTasks(),
      resolveTask: (task) => features.resolveTask(task),
    }),
  );
}

class DockerFeatures implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('dockerfile-coach-build');
  private readonly checklist: ChecklistView;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly options: DockerFeaturesOptions,
  ) {
    this.checklist = new ChecklistView(context.extensionUri, (report, lang) =>
      renderMarkdown(report, lang, { line: (l, file) => `${vscode.Uri.file(file ?? report.dockerfile).toString()}#L${l + 1}`, rule: (id) => this.checklist.ruleDoc(id)?.toString() }),
    );
  }

  /** Containers of Build and run still running, stopped when VS Code shuts down. */
  private readonly running = new Map<string, Docker>();

  dispose(): void {
    for (const [name, docker] of this.running) docker.removeNow([name]);
    this.running.clear();
    this.diagnostics.dispose();
    this.checklist.dispose();
  }

  // ---- commands ---------------------------------------------------------------------------------

  async command(action: Action, uri: vscode.Uri | undefined): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      const manage = vscode.l10n.t('Manage Workspace Trust');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Building and running images executes code from this workspace (the RUN steps and the program). Trust the workspace to use Build, Build and run and Verify; checking the Dockerfile works without it.'),
        manage,
      );
      if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    }
    const dockerfile = await this.targetDockerfile(uri);
    if (!dockerfile) return;
    const tag = await this.tagFor(dockerfile, true);
    if (!tag) return;
    if (action !== 'build') {
      const values = await this.valuesFor(dockerfile, true);
      if (!values) return;
    }
    const folder = vscode.workspace.getWorkspaceFolder(dockerfile);
    const definition: CoachTaskDefinition = { type: TASK_TYPE, action, dockerfile: folder ? path.relative(folder.uri.fsPath, dockerfile.fsPath) : dockerfile.fsPath };
    if (folder) {
      await vscode.tasks.executeTask(this.task(definition, folder));
    } else {
      // a Dockerfile outside any workspace folder: tasks need a folder, a plain terminal does not
      const terminal = vscode.window.createTerminal({ name: `Dockerfile Coach: ${path.basename(path.dirname(dockerfile.fsPath))}`, pty: new JobTerminal((io) => this.job(definition, undefined, io)) });
      terminal.show();
    }
  }

  /** The Dockerfile of the command: the one clicked, else the active editor's (saved first). */
  private async targetDockerfile(uri: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    const doc = target ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString()) : undefined;
    if (!target || (doc && doc.languageId !== 'dockerfile' && !uri)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a Dockerfile to build, run or verify it.'));
      return undefined;
    }
    if (target.scheme !== 'file') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Save the Dockerfile to a folder first: docker builds from files on disk.'));
      return undefined;
    }
    // docker reads the file from disk: what the student sees must be what is built
    if (doc?.isDirty) await doc.save();
    return target;
  }

  async forget(uri: vscode.Uri | undefined): Promise<void> {
    const dockerfile = await this.targetDockerfile(uri);
    if (!dockerfile) return;
    await this.context.workspaceState.update(tagKey(dockerfile), undefined);
    const names = this.plan(dockerfile).env.map((e) => e.name);
    for (const n of names) await this.context.secrets.delete(secretKey(dockerfile, n));
    void vscode.window.showInformationMessage(vscode.l10n.t('Forgot the image tag and the stored values ({0}) for {1}.', names.join(', ') || '-', vscode.workspace.asRelativePath(dockerfile)));
  }

  /** The tag: the task's, the setting's, the one remembered for this Dockerfile, or asked for once. */
  private async tagFor(dockerfile: vscode.Uri, ask: boolean, explicit?: string): Promise<string | undefined> {
    if (explicit) return explicit;
    const s = settings(dockerfile);
    if (s.tag) return s.tag;
    const stored = this.context.workspaceState.get<string>(tagKey(dockerfile));
    if (stored) return stored;
    const proposed = defaultTag(path.dirname(dockerfile.fsPath));
    if (!ask) return proposed;
    const tag = await vscode.window.showInputBox({
      title: vscode.l10n.t('Image tag for {0}', vscode.workspace.asRelativePath(dockerfile)),
      prompt: vscode.l10n.t('Asked once; remembered for this Dockerfile ("Forget Tag and Values" asks again).'),
      value: proposed,
      ignoreFocusOut: true,
      validateInput: (v) => (isValidTag(v.trim()) ? undefined : vscode.l10n.t('Lowercase letters, digits and . _ - / with an optional :tag, e.g. my-app:dev')),
    });
    if (!tag) return undefined;
    await this.context.workspaceState.update(tagKey(dockerfile), tag.trim());
    return tag.trim();
  }

  private taskName(dockerfile: vscode.Uri): TaskName {
    const fromServer = this.options.taskOf(dockerfile);
    if (isTaskName(fromServer)) return fromServer;
    const text = fs.readFileSync(dockerfile.fsPath, 'utf8');
    const dir = path.dirname(dockerfile.fsPath);
    const root = vscode.workspace.getWorkspaceFolder(dockerfile)?.uri.fsPath ?? dir;
    return checkDockerfile({ text, project: diskProject(dir, root), settingTask: settings(dockerfile).settingTask, rules: [] }).task.profile.name;
  }

  private plan(dockerfile: vscode.Uri, context?: string): RunPlan {
    const dir = context ?? path.dirname(dockerfile.fsPath);
    const task = this.taskName(dockerfile);
    let compose;
    try {
      compose = readCompose(dir);
    } catch {
      compose = undefined;
    }
    return runPlan(task, compose, dir);
  }

  /** The task's variables: compose's values, else SecretStorage, else asked for (a password box for secrets). */
  private async valuesFor(dockerfile: vscode.Uri, ask: boolean, context?: string): Promise<Record<string, string> | undefined> {
    const plan = this.plan(dockerfile, context);
    const values: Record<string, string> = {};
    for (const spec of plan.env) {
      if (spec.name in plan.given) continue;
      const key = secretKey(dockerfile, spec.name);
      let value = await this.context.secrets.get(key);
      if (value === undefined) {
        if (!ask) continue;
        value = await vscode.window.showInputBox({
          title: spec.name,
          prompt: spec.prompt[settings(dockerfile).lang],
          password: spec.secret,
          value: spec.secret ? '' : spec.default ?? '',
          ignoreFocusOut: true,
        });
        if (value === undefined) return undefined;
        await this.context.secrets.store(key, value);
      }
      values[spec.name] = value;
    }
    return values;
  }

  // ---- tasks ------------------------------------------------------------------------------------

  async provideTasks(): Promise<vscode.Task[]> {
    if (!vscode.workspace.isTrusted) return [];
    const files = await vscode.workspace.findFiles(DOCKERFILE_GLOB, '**/node_modules/**', 30);
    const tasks: vscode.Task[] = [];
    for (const file of files) {
      const folder = vscode.workspace.getWorkspaceFolder(file);
      const rel = folder ? path.relative(folder.uri.fsPath, file.fsPath) : file.fsPath;
      for (const action of ['build', 'run', 'verify'] as const) tasks.push(this.task({ type: TASK_TYPE, action, dockerfile: rel }, folder));
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const def = task.definition as CoachTaskDefinition;
    if (!def.dockerfile || !['build', 'run', 'verify'].includes(def.action)) return undefined;
    const folder = typeof task.scope === 'object' ? task.scope : undefined;
    return this.task(def, folder, task.name);
  }

  private task(def: CoachTaskDefinition, folder: vscode.WorkspaceFolder | undefined, name?: string): vscode.Task {
    const label = { build: vscode.l10n.t('Build image'), run: vscode.l10n.t('Build and run'), verify: vscode.l10n.t('Verify task') }[def.action];
    const task = new vscode.Task(
      def,
      folder ?? vscode.TaskScope.Workspace,
      name ?? `${label}: ${def.dockerfile}`,
      'Dockerfile Coach',
      new vscode.CustomExecution(async (resolved) => new JobTerminal((io) => this.job(resolved as CoachTaskDefinition, folder, io))),
      [],
    );
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true, echo: true };
    if (def.action === 'build') task.group = vscode.TaskGroup.Build;
    return task;
  }

  private async job(def: CoachTaskDefinition, folder: vscode.WorkspaceFolder | undefined, io: TerminalIO): Promise<number> {
    if (!vscode.workspace.isTrusted) {
      io.line(style.error(vscode.l10n.t('This workspace is not trusted: Dockerfile Coach does not build or run anything in it.')));
      return 1;
    }
    const base = folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    const dockerfile = vscode.Uri.file(path.resolve(base, def.dockerfile));
    if (!fs.existsSync(dockerfile.fsPath)) {
      io.line(style.error(vscode.l10n.t('No Dockerfile at {0}.', dockerfile.fsPath)));
      return 1;
    }
    const context = def.context ? path.resolve(base, def.context) : undefined;
    const s = settings(dockerfile);
    const tag = await this.tagFor(dockerfile, false, def.tag);
    if (!tag || !isValidTag(tag)) {
      io.line(style.error(vscode.l10n.t('"{0}" is not a valid image tag.', tag ?? '')));
      return 1;
    }
    const buildArgs = [...s.buildArgs, ...(def.buildArgs ?? [])];
    const docker = new Docker({ command: s.dockerPath, env: process.env });
    const text = fs.readFileSync(dockerfile.fsPath, 'utf8');

    if (def.action === 'verify') return this.verifyJob(dockerfile, context, tag, buildArgs, docker, s, io);

    // build (and run)
    this.diagnostics.delete(dockerfile);
    const analysis = new Analysis(text, undefined, dockerfile.toString());
    io.line(style.info(vscode.l10n.t('Building {0} with the legacy builder (DOCKER_BUILDKIT=0), as the course builds it', tag)));
    const req = { dockerfile: dockerfile.fsPath, context, tag, buildArgs, analysis, signal: io.signal };
    const { args, cwd } = docker.buildArgs(req);
    io.line(style.dim(`${cwd}$ DOCKER_BUILDKIT=0 ${displayCommand(docker.command, args)}`));
    const build = await docker.build({ ...req, onStdoutLine: io.line, onStderrLine: io.line });
    if (!build.ok) {
      this.showBuildError(dockerfile, build.error!, s.lang, io);
      return 1;
    }
    io.line(style.ok(vscode.l10n.t('Built {0} in {1} s.', tag, (build.durationMs / 1000).toFixed(1))));
    if (def.action === 'build') return 0;

    const values = await this.valuesFor(dockerfile, true, context);
    if (!values) {
      io.line(style.error(vscode.l10n.t('Cancelled: no values for the task\'s variables.')));
      return 1;
    }
    const plan = this.plan(dockerfile, context);
    const env = { ...plan.given, ...values };
    const spec = plan.env.map((e) => e.name);
    for (const e of plan.env) if (!(e.name in env) && e.default !== undefined) env[e.name] = e.default;
    const handle = startRun({
      docker,
      tag,
      task: this.taskName(dockerfile),
      env: Object.fromEntries(Object.entries(env).filter(([k]) => spec.includes(k))),
      command: plan.command,
      volume: `${tag.split(':')[0].replace(/[^a-zA-Z0-9_.-]/g, '-')}-data`,
      onLine: io.line,
    });
    io.line(style.dim(`$ ${handle.commandLine}`));
    io.line(style.info(vscode.l10n.t('Running. Ctrl+C or closing this terminal stops and removes the container.')));
    const onAbort = () => void handle.stop();
    io.signal.addEventListener('abort', onAbort, { once: true });
    this.running.set(handle.name, docker);
    const outcome = await handle.done;
    this.running.delete(handle.name);
    io.signal.removeEventListener('abort', onAbort);
    if (outcome.failure) {
      this.showFailure(outcome.failure, s.lang, io);
      return 1;
    }
    io.line(style.info(outcome.stopped ? vscode.l10n.t('Stopped; the container was removed.') : vscode.l10n.t('The container exited with code {0} and was removed.', String(outcome.code))));
    return outcome.stopped ? 0 : outcome.code ?? 1;
  }

  private async verifyJob(dockerfile: vscode.Uri, context: string | undefined, tag: string, buildArgs: string[], docker: Docker, s: Settings, io: TerminalIO): Promise<number> {
    const values = await this.valuesFor(dockerfile, true, context);
    if (!values) {
      io.line(style.error(vscode.l10n.t('Cancelled: no values for the task\'s variables.')));
      return 1;
    }
    this.diagnostics.delete(dockerfile);
    const fromServer = this.options.taskOf(dockerfile);
    io.line(style.info(vscode.l10n.t('Verify: build, run, check and inspect {0}', tag)));
    const report = await verify({
      docker,
      dockerfile: dockerfile.fsPath,
      context,
      workspaceRoot: vscode.workspace.getWorkspaceFolder(dockerfile)?.uri.fsPath,
      task: isTaskName(fromServer) ? fromServer : undefined,
      settingTask: s.settingTask,
      tag,
      buildArgs,
      env: values,
      sizeBudgetMB: s.sizeBudgetMB,
      timeoutMs: Math.max(1, s.timeoutSeconds) * 1000,
      signal: io.signal,
      log: (l) => io.line(style.info(l)),
      onBuildLine: (l) => io.line(l),
    });
    if (report.buildError) this.setBuildDiagnostic(dockerfile, report.buildError.range, report.buildError.message, s.lang);
    for (const item of report.items) {
      const mark = { pass: style.ok('PASS'), fail: style.error('FAIL'), warn: 'WARN', skip: style.dim('SKIP'), info: style.dim('INFO') }[item.status];
      io.line(`${mark} ${item.title[s.lang]}${item.line !== undefined ? ` (${vscode.l10n.t('line {0}', item.line + 1)})` : ''}`);
    }
    io.line(summary(report, s.lang));
    this.checklist.show(report, s.lang);
    void this.notifyVerify(report, s.lang);
    return report.passed ? 0 : 1;
  }

  private async notifyVerify(report: VerifyReport, lang: Lang): Promise<void> {
    if (report.failure) {
      void vscode.window.showErrorMessage(report.failure.message[lang]);
      return;
    }
    const show = vscode.l10n.t('Show Checklist');
    const failed = report.items.filter((i) => i.status === 'fail');
    if (failed.length === 0) {
      if ((await vscode.window.showInformationMessage(vscode.l10n.t('Verify {0}: {1}', report.tag, summary(report, lang)), show)) === show) this.checklist.show(report, lang);
      return;
    }
    const first = failed.find((i) => i.line !== undefined);
    const goTo = vscode.l10n.t('Go to Line {0}', (first?.line ?? 0) + 1);
    const choice = await vscode.window.showErrorMessage(
      vscode.l10n.t('Verify {0}: {1} Failed: {2}', report.tag, summary(report, lang), failed.map((i) => i.title[lang]).join('; ')),
      show,
      ...(first ? [goTo] : []),
    );
    if (choice === show) this.checklist.show(report, lang);
    else if (choice === goTo && first?.line !== undefined) await this.checklist.openLine(first.file ?? report.dockerfile, first.line);
  }

  private showBuildError(dockerfile: vscode.Uri, error: BuildError, lang: Lang, io: TerminalIO): void {
    io.line(style.error(error.message[lang]));
    if (error.range) {
      this.setBuildDiagnostic(dockerfile, error.range, error.message, lang);
      const open = vscode.l10n.t('Go to Line {0}', error.range.start.line + 1);
      void vscode.window.showErrorMessage(vscode.l10n.t('The build failed: {0}', error.message[lang]), open).then(async (c) => {
        if (c === open) await this.checklist.openLine(dockerfile.fsPath, error.range!.start.line);
      });
    } else {
      void vscode.window.showErrorMessage(error.message[lang]);
    }
  }

  private showFailure(failure: Failure, lang: Lang, io: TerminalIO): void {
    io.line(style.error(failure.message[lang]));
    if (failure.detail) io.line(style.dim(failure.detail));
    void vscode.window.showErrorMessage(failure.message[lang]);
  }

  /** A build error on its line, until the next build of this Dockerfile. */
  private setBuildDiagnostic(dockerfile: vscode.Uri, range: { start: { line: number; character: number }; end: { line: number; character: number } } | undefined, message: LocalizedText, lang: Lang): void {
    if (!range) return;
    const d = new vscode.Diagnostic(new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character), message[lang], vscode.DiagnosticSeverity.Error);
    d.source = 'docker build';
    this.diagnostics.set(dockerfile, [d]);
  }
}

const tagKey = (dockerfile: vscode.Uri) => `dockerfileCoach.tag:${dockerfile.fsPath}`;
const secretKey = (dockerfile: vscode.Uri, name: string) => `dockerfileCoach.env:${dockerfile.fsPath}:${name}`;
