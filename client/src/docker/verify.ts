/**
 * Verify a task: build with the legacy builder, run the container detached as the course's checker
 * would, send the task's own check request, inspect the image, and remove everything it started.
 * No VS Code here: the tests run exactly this against a real engine.
 */
import { createHmac, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Analysis, Instr } from '../../../server/src/engine/analysis';
import { checkDockerfile } from '../../../server/src/engine/engine';
import { isDistroless } from '../../../server/src/engine/image';
import { diskProject } from '../../../server/src/engine/project';
import type { Diagnostic, TaskName } from '../../../server/src/engine/types';
import { ChecklistItem, VerifyReport } from './checklist';
import { ComposeService, readCompose } from './compose';
import { Docker, ImageInspect, LABEL, SESSION_LABEL } from './dockerCli';
import { DockerFailure, Failure, classify as classifyResult, redact } from './failures';
import { postFile, postForm, postJson, request } from './http';
import { LocalizedText, fill, same, t } from './l10n';
import type { ProcessResult } from './process';
import { TASK_RUNTIME, looksSecret, runPlan } from './taskSpec';

export interface VerifyOptions {
  docker: Docker;
  dockerfile: string;
  /** The build context (the Dockerfile's folder by default). */
  context?: string;
  workspaceRoot?: string;
  /** The task, when already known; else chosen as the linter chooses it. */
  task?: TaskName;
  settingTask?: string;
  tag: string;
  buildArgs?: readonly string[];
  /** Values of the task's variables (secret ones included); compose's values fill the rest. */
  env?: Record<string, string>;
  sizeBudgetMB?: number;
  /** How long the service may take to answer, from the container's start. */
  timeoutMs?: number;
  /** Progress for the terminal (secret values already removed). */
  log?: (line: string) => void;
  onBuildLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
  /** Names what this run starts (containers, volume, network); random by default. */
  session?: string;
}

export const DEFAULT_SIZE_BUDGET_MB = 200;
export const DEFAULT_TIMEOUT_MS = 30000;

const T = {
  engine: t('Docker engine', 'Docker Engine'),
  build: t('Builds with the legacy builder (DOCKER_BUILDKIT=0)', 'Собирается legacy-сборщиком (DOCKER_BUILDKIT=0)'),
  buildOk: t('Built {tag} in {s} s ({steps} steps).', 'Образ {tag} собран за {s} с (шагов: {steps}).'),
  run: t('The container starts and keeps running', 'Контейнер запускается и продолжает работать'),
  runOk: t('Started with {args}.', 'Запущен так: {args}.'),
  exited: t('The container stopped with exit code {code}. Its last output:\n{logs}', 'Контейнер остановился с кодом {code}. Последний вывод:\n{logs}'),
  runFailed: t('docker run failed: {error}', 'docker run не удался: {error}'),
  namedUserOnScratch: t(
    'docker run failed: {error}. On scratch there is no /etc/passwd to look a user name up in: use a numeric USER (e.g. 65534:65534).',
    'docker run не удался: {error}. В scratch нет /etc/passwd, чтобы найти пользователя по имени: укажите числовой USER (например, 65534:65534).',
  ),
  service: {
    gate: t('POST {"data": ...} answers the HMAC of the data', 'POST {"data": ...} возвращает HMAC данных'),
    scratch: t('A multipart upload to /upload answers 200', 'Multipart-загрузка на /upload отвечает 200'),
    distroless: t('The form POST to /api/events answers 200', 'POST формы на /api/events отвечает 200'),
    generic: t('The service answers', 'Сервис отвечает'),
  } as Record<TaskName, LocalizedText>,
  noAnswer: t(
    'No answer on port {port} within {s} s ({error}). Does the program listen on 0.0.0.0:{port} inside the container? (localhost inside a container cannot be reached through -p.) Its last output:\n{logs}',
    'Нет ответа на порту {port} за {s} с ({error}). Слушает ли программа 0.0.0.0:{port} внутри контейнера? (localhost внутри контейнера недоступен через -p.) Последний вывод:\n{logs}',
  ),
  hmacOk: t('The answer {answer} is the {algo} HMAC of "{data}" with the secret given.', 'Ответ {answer} — это HMAC {algo} от «{data}» с заданным секретом.'),
  hmacBad: t(
    'The answer "{answer}" is not the {algo} HMAC of "{data}" with the secret given (expected {expected}). Does the program read HMAC_ALGO and HMAC_SECRET from the environment?',
    'Ответ «{answer}» — не HMAC {algo} от «{data}» с заданным секретом (ожидалось {expected}). Читает ли программа HMAC_ALGO и HMAC_SECRET из окружения?',
  ),
  hmacNoSecret: t('HMAC_SECRET has no value: give one (Build and run or Verify asks for it).', 'У HMAC_SECRET нет значения: задайте его (Build and run или Verify спросят).'),
  hmacBadAlgo: t('HMAC_ALGO "{algo}" is not an algorithm node knows: {error}', 'HMAC_ALGO «{algo}» — неизвестный node алгоритм: {error}'),
  status: t('{method} {path} answered {status}: {body}', '{method} {path} ответил {status}: {body}'),
  statusOk: t('{method} {path} answered {status}.', '{method} {path} ответил {status}.'),
  noPort: t('The image exposes no port and the task names none: nothing to send a request to.', 'Образ не публикует порт, и задание его не задаёт: запрос отправить некуда.'),
  volume: t('The uploaded file is in the volume at {path}', 'Загруженный файл лежит в томе {path}'),
  volumeOk: t('{file} ({size} bytes, owner uid {uid}) is in the volume mounted at {path}.', '{file} ({size} байт, владелец uid {uid}) лежит в томе, подключённом в {path}.'),
  volumeMissing: t('{file} is not in {path}: the program saved it somewhere else (its working directory?).', '{file} нет в {path}: программа сохранила его в другое место (в своей рабочей папке?).'),
  volumeNotMounted: t('{path} is not the volume: the file landed in the container\'s own layer and is lost with it.', '{path} — не том: файл попал в слой контейнера и пропадёт вместе с ним.'),
  database: t('The database from {file}', 'База данных из {file}'),
  dbStarted: t('Started {service} ({image}) on a private network as "{service}".', 'Запущен {service} ({image}) в отдельной сети под именем «{service}».'),
  dbMissing: t(
    '{service} ({image}) is not available locally and was not pulled, so the check runs without it. Pull it (`docker pull {image}`) to include it.',
    '{service} ({image}) нет локально, и он не скачивался, поэтому проверка идёт без него. Скачайте его (`docker pull {image}`), чтобы проверить вместе с ним.',
  ),
  dbFailed: t('{service} ({image}) did not start: {error}', '{service} ({image}) не запустился: {error}'),
  userConfig: t('Config.User is not root', 'Config.User — не root'),
  userConfigOk: t('Config.User is "{user}".', 'Config.User = «{user}».'),
  userConfigRoot: t('Config.User is {user}: the container runs as root.', 'Config.User = {user}: контейнер работает от root.'),
  userProcess: t('The process runs with a non-root uid', 'Процесс работает не от root (uid ≠ 0)'),
  userProcessOk: t('uid {uids}: {procs}', 'uid {uids}: {procs}'),
  userProcessRoot: t('Runs as uid 0 (root): {procs}', 'Работает с uid 0 (root): {procs}'),
  userProcessRemapped: t('The engine remaps users (rootless or userns-remap): host uids {uids} do not say which uid the process has inside.', 'Движок переназначает пользователей (rootless или userns-remap): uid на хосте ({uids}) не говорят, какой uid у процесса внутри.'),
  notRunning: t('The container was not running, so this could not be observed.', 'Контейнер не работал, поэтому это не удалось проверить.'),
  base: t('Base image', 'Базовый образ'),
  baseScratch: t('The final stage is FROM {base}, not FROM scratch: the whole toolchain ships in the image.', 'Итоговая стадия — FROM {base}, а не FROM scratch: в образ попадает весь тулчейн.'),
  baseDistroless: t('The final stage is FROM {base}, not a gcr.io/distroless image.', 'Итоговая стадия — FROM {base}, а не образ gcr.io/distroless.'),
  baseNode: t('The final stage is FROM {base}: the gate task runs on a node image on alpine, pinned to a version (e.g. node:18.16.0-alpine3.17).', 'Итоговая стадия — FROM {base}: задание gate работает на образе node на alpine с точной версией (например, node:18.16.0-alpine3.17).'),
  baseUnpinned: t('{base} is not pinned to a version: it changes under you with each release.', '{base} не закреплён на версии: он меняется с каждым выпуском.'),
  baseLinter: t('{base} is not the base image the task asks for: see the finding on the FROM line.', '{base} — не тот базовый образ, который требует задание: см. замечание в строке FROM.'),
  baseUnknown: t('The final stage\'s base depends on a build argument: {base}.', 'База итоговой стадии зависит от аргумента сборки: {base}.'),
  localImage: t(' (local image {id}, {mb} MB)', ' (локальный образ {id}, {mb} МБ)'),
  size: t('Image size within {budget} MB', 'Размер образа не больше {budget} МБ'),
  sizeOk: t('{mb} MB.', '{mb} МБ.'),
  sizeOver: t('{mb} MB, over the {budget} MB budget: ship only what the program needs to run.', '{mb} МБ — больше бюджета {budget} МБ: в образе должно быть только то, что нужно программе для работы.'),
  layers: t('Layers', 'Слои'),
  layersInfo: t('{n} layers ({own} from this Dockerfile).', 'Слоёв: {n} (из этого Dockerfile: {own}).'),
  execForm: t('CMD / ENTRYPOINT in exec form (the program is PID 1)', 'CMD / ENTRYPOINT в exec-форме (программа — PID 1)'),
  execFormShell: t('{which} is {value}: a shell runs the program, which is then not PID 1 and gets no SIGTERM from docker stop.', '{which} = {value}: программу запускает shell, она не PID 1 и не получит SIGTERM от docker stop.'),
  secrets: t('No secrets in the image (Config.Env, docker history)', 'Нет секретов в образе (Config.Env, docker history)'),
  secretsOk: t('Config.Env: {names}; no secret found in {n} history entries.', 'Config.Env: {names}; в {n} записях history секретов нет.'),
  secretsEnv: t('{name} is set in the image config (ENV): anyone who pulls the image reads it with docker inspect.', '{name} задан в конфигурации образа (ENV): его видит любой, кто скачал образ (docker inspect).'),
  secretsHistory: t('{name} is in the image history ({what}): docker history --no-trunc shows it.', '{name} есть в истории образа ({what}): его показывает docker history --no-trunc.'),
  secretsValue: t('The value of {name} is in the image ({where}).', 'Значение {name} есть в образе ({where}).'),
  devDeps: t('No development dependencies in the image', 'В образе нет dev-зависимостей'),
  devDepsOk: t('None of {names} is in {dir}.', 'Ни одной из {names} нет в {dir}.'),
  devDepsNone: t('package.json lists no devDependencies.', 'В package.json нет devDependencies.'),
  devDepsFound: t('{names} in {dir}: the install took the development dependencies too.', '{names} в {dir}: установка взяла и dev-зависимости.'),
  skipped: t('Not checked: an earlier step failed.', 'Не проверялось: раньше произошла ошибка.'),
  cleanup: t('Removed what Verify started: {what}.', 'Удалено всё, что запустила проверка: {what}.'),
};

const MB = 1000 * 1000;

/**
 * An item before it is linked: `ruleIds` are the rules that always explain it, `why` the rules that
 * explain it when the linter reported them (rules of other files included, e.g. listen-address in
 * index.js), `line` the Dockerfile line to show when no reported finding says better.
 */
type Draft = ChecklistItem & { why?: string[] };

/** Runs the whole verification; never throws (failures become checklist items). */
export async function verify(opts: VerifyOptions): Promise<VerifyReport> {
  const startedAt = Date.now();
  const docker = opts.docker;
  const log = (s: string) => opts.log?.(redact(s, docker.secrets));
  const dockerfile = path.resolve(opts.dockerfile);
  const contextDir = path.resolve(opts.context ?? path.dirname(dockerfile));
  const session = opts.session ?? randomBytes(4).toString('hex');
  const text = fs.readFileSync(dockerfile, 'utf8');
  const lint = checkDockerfile({ text, project: diskProject(path.dirname(dockerfile), opts.workspaceRoot ?? path.dirname(dockerfile)), task: opts.task, settingTask: opts.settingTask, lang: 'en' });
  const task = lint.task.profile.name;
  const analysis = lint.analysis;
  const items: ChecklistItem[] = [];
  const report = (failure?: Failure): VerifyReport => ({
    dockerfile,
    task,
    tag: opts.tag,
    items,
    passed: !failure && items.every((i) => i.status !== 'fail'),
    durationMs: Date.now() - startedAt,
    failure,
  });
  const links = new Linker(analysis, lint.diagnostics, path.dirname(dockerfile));
  const add = (draft: Draft) => {
    const item = links.explain(draft);
    items.push(item);
    log(`${item.status.toUpperCase().padEnd(4)} ${item.title.en}${item.status === 'pass' ? '' : `: ${item.detail.en.split('\n')[0]}`}`);
  };

  const compose = task === 'distroless' ? safely(() => readCompose(contextDir)) : undefined;
  const plan = runPlan(task, compose, contextDir);
  const values: Record<string, string> = {};
  for (const spec of plan.env) {
    const v = opts.env?.[spec.name] ?? plan.given[spec.name] ?? spec.default;
    if (v !== undefined) values[spec.name] = v;
  }
  const secretValues = plan.env.filter((e) => e.secret && values[e.name]).map((e) => values[e.name]);
  docker.secrets = [...new Set([...docker.secrets, ...secretValues])];

  // 1. The engine answers.
  try {
    const version = await docker.ping(20000, opts.signal);
    log(`Docker engine ${version} at ${docker.host}`);
  } catch (e) {
    const failure = failureOf(e);
    add({ id: 'engine', status: 'fail', title: T.engine, detail: failure.message });
    return report(failure);
  }

  // 2. The build, exactly as the course builds.
  log(`Task ${task}: building ${opts.tag} with the legacy builder`);
  const build = await docker.build({
    dockerfile,
    context: contextDir,
    tag: opts.tag,
    buildArgs: opts.buildArgs,
    analysis,
    signal: opts.signal,
    onStdoutLine: (l) => opts.onBuildLine?.(l, 'stdout'),
    onStderrLine: (l) => opts.onBuildLine?.(l, 'stderr'),
  });
  log(build.commandLine);
  if (!build.ok) {
    const err = build.error!;
    const rule = err.kind === 'buildkit-only' ? 'legacy-builder' : undefined;
    // the build's own line is the one to show, whatever the linter said
    items.push({ id: 'build', status: 'fail', title: T.build, detail: err.message, ...(rule ? { ruleIds: [rule] } : {}), line: err.line });
    log(`FAIL ${T.build.en}: ${err.message.en}`);
    const r = report(err.failure && err.kind === 'environment' ? err.failure : undefined);
    r.buildError = err;
    return r;
  }
  add({
    id: 'build',
    status: 'pass',
    title: T.build,
    detail: fill(T.buildOk, { tag: opts.tag, s: (build.durationMs / 1000).toFixed(1), steps: build.output.lastStep?.total ?? 0 }),
  });

  const image = await docker.imageInspect(opts.tag);
  if (!image) {
    add({ id: 'run', status: 'fail', title: T.run, detail: same(`docker image inspect ${opts.tag}: no such image`) });
    return report();
  }

  // 3. Run it as the checker would, and send the task's own request.
  const spec = TASK_RUNTIME[task];
  const containerPort = spec.containerPort ?? firstExposedPort(image);
  const appName = `dfcoach-${session}-app`;
  const started: Started = { containers: [], volumes: [], networks: [] };
  const labels = ['--label', `${LABEL}=verify`, '--label', `${SESSION_LABEL}=${session}`];
  let running = false;
  let runtime: RuntimeFacts | undefined;
  let envFailure: Failure | undefined;
  try {
    const runArgs: string[] = ['run', '-d', '--name', appName, ...labels];
    if (containerPort) runArgs.push('-p', `127.0.0.1::${containerPort}`);
    if (spec.volumePath) {
      const volume = `dfcoach-${session}-data`;
      await docker.run(['volume', 'create', ...labels, volume], { timeoutMs: 30000 });
      started.volumes.push(volume);
      runArgs.push('-v', `${volume}:${spec.volumePath}`);
    }
    if (plan.dependencies.length) {
      const dbItem = await startDependencies(docker, plan.dependencies, session, labels, started, compose!.file, contextDir);
      for (const item of dbItem.items) add(item);
      if (dbItem.network) runArgs.push('--network', dbItem.network);
    }
    const extraEnv: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) {
      // the name only: docker takes the value from its own environment, so it is on no command line
      runArgs.push('-e', name);
      extraEnv[name] = value;
    }
    runArgs.push(opts.tag, ...(plan.command ?? []));
    started.containers.push(appName);
    // as a student would type it: without our name, labels and -d
    const shown = ['docker', ...runArgs.filter((a, i) => a !== '-d' && !['--name', '--label'].includes(a) && !['--name', '--label'].includes(runArgs[i - 1]))];
    const runResult = await docker.exec(runArgs, { extraEnv, timeoutMs: 60000, signal: opts.signal, port: containerPort });
    if (runResult.code !== 0) {
      const failure = runFailure(docker, runResult, runArgs);
      const named = /unable to find user|no matching entries in passwd/i.test(failure.detail);
      add({
        id: 'run',
        status: 'fail',
        title: T.run,
        detail: named ? fill(T.namedUserOnScratch, { error: failure.detail.split('\n')[0] }) : failure.kind === 'other' ? fill(T.runFailed, { error: failure.detail }) : failure.message,
        ...(named ? { ruleIds: ['scratch-named-user'] } : {}),
        why: ['scratch-named-user', 'no-shell-in-minimal-image', 'static-binary', 'exec-form'],
        line: named ? links.userLine() : links.cmdLine(),
      });
      add({ id: 'service', status: 'skip', title: T.service[task], detail: T.skipped });
    } else {
      running = true;
      const hostPort = containerPort ? await docker.hostPort(appName, containerPort) : undefined;
      log(`Started ${appName}${hostPort ? ` on 127.0.0.1:${hostPort}` : ''}`);
      const check = await checkService({
        docker,
        task,
        container: appName,
        hostPort,
        containerPort,
        values,
        timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal: opts.signal,
        volumePath: spec.volumePath,
        workdirLine: links.workdirLine(),
      });
      const state = await docker.containerInspect(appName);
      running = !!state?.State.Running;
      if (running) add({ id: 'run', status: 'pass', title: T.run, detail: fill(T.runOk, { args: redact(shown.join(' '), docker.secrets) }) });
      else add({ id: 'run', status: 'fail', title: T.run, detail: fill(T.exited, { code: state?.State.ExitCode ?? '?', logs: (await docker.logs(appName)) || '-' }), why: EXITED_WHY[task], line: links.cmdLine() });
      for (const item of check) add(item.line === undefined && item.status === 'fail' ? { ...item, line: links.cmdLine() } : item);
      runtime = await observeRuntime(docker, appName, running, image, task, contextDir);
    }

    // 4. What the image itself says.
    add(userConfigItem(image, links));
    add(userProcessItem(runtime, links));
    add(await baseImageItem(docker, analysis, lint.diagnostics, task, links));
    add(sizeItem(image, opts.sizeBudgetMB ?? DEFAULT_SIZE_BUDGET_MB, task, links));
    add(await layersItem(docker, image, analysis));
    add(execFormItem(image, links));
    add(await secretsItem(docker, image, opts.tag, plan.env.filter((e) => e.secret || looksSecret(e.name)).map((e) => ({ name: e.name, value: values[e.name] })), links));
    if (task === 'gate') add(devDepsItem(runtime, links));
  } catch (e) {
    // docker itself failed in between (daemon gone, no permission): say so, and still clean up
    const failure = failureOf(e);
    add({ id: 'run', status: 'fail', title: T.run, detail: failure.message });
    if (failure.kind !== 'other') envFailure = failure;
  } finally {
    await docker.remove(started).catch(() => undefined);
    // anything labelled with this session that a crash in between may have left
    await docker.removeSession(session).catch(() => undefined);
  }
  log(fill(T.cleanup, { what: [...started.containers, ...started.networks, ...started.volumes].join(', ') }).en);
  return report(envFailure);
}

function safely<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function failureOf(e: unknown): Failure {
  if (e instanceof DockerFailure) return e.failure;
  const message = e instanceof Error ? e.message : String(e);
  return { kind: 'other', message: same(message), detail: message };
}

function runFailure(docker: Docker, result: ProcessResult, args: string[]): Failure {
  const ctx = docker.context(args, { image: args[args.length - 1] });
  return (
    classifyResult(result, ctx) ?? { kind: 'other', message: same(result.stderr.trim()), detail: redact(result.stderr.trim(), docker.secrets) }
  );
}

function firstExposedPort(image: ImageInspect): number | undefined {
  const key = Object.keys(image.Config.ExposedPorts ?? {}).find((k) => k.endsWith('/tcp'));
  return key ? Number(key.split('/')[0]) : undefined;
}

/** Lines of the Dockerfile that explain an item: the linter's finding first, else the instruction. */
class Linker {
  constructor(
    private readonly analysis: Analysis,
    private readonly diagnostics: Diagnostic[],
    private readonly dir: string,
  ) {}

  reported(ruleId: string): boolean {
    return this.diagnostics.some((d) => d.ruleId === ruleId);
  }

  /** A failed item's rules (the reported ones of `why` first) and the place of the first reported finding. */
  explain(draft: Draft): ChecklistItem {
    const { why, ...item } = draft;
    if (item.status !== 'fail' && item.status !== 'warn') return { ...item, ruleIds: undefined, line: undefined, file: undefined };
    const ruleIds = [...new Set([...(why ?? []).filter((id) => this.reported(id)), ...(item.ruleIds ?? [])])];
    const finding = ruleIds.map((id) => this.diagnostics.find((d) => d.ruleId === id)).find((d) => d !== undefined);
    const out: ChecklistItem = { ...item, ruleIds: ruleIds.length ? ruleIds : undefined };
    if (finding) {
      out.line = finding.range.start.line;
      out.file = finding.file === undefined ? undefined : path.resolve(this.dir, finding.file);
    }
    return out;
  }

  private final(keywords: string[]): Instr | undefined {
    const stage = this.analysis.finalStage;
    if (!stage) return undefined;
    for (const s of this.analysis.chain(stage)) {
      const found = s.instructions.filter((i) => keywords.includes(i.keyword));
      if (found.length) return found[found.length - 1];
    }
    return undefined;
  }

  fromLine(): number | undefined {
    return this.analysis.finalStage?.fromInstr.range.start.line;
  }
  userLine(): number | undefined {
    return this.final(['USER'])?.range.start.line ?? this.fromLine();
  }
  cmdLine(): number | undefined {
    return this.final(['CMD', 'ENTRYPOINT'])?.range.start.line ?? this.fromLine();
  }
  /** Where a relative path of the program points: the last WORKDIR, else the VOLUME, else FROM. */
  workdirLine(): number | undefined {
    return (this.final(['WORKDIR']) ?? this.final(['VOLUME']))?.range.start.line ?? this.fromLine();
  }
  /** The ENV or ARG line that sets a name. */
  setterLine(name: string): number | undefined {
    const re = new RegExp(`(^|\\s)${name}(=|\\s|$)`);
    return this.analysis.instructions.find((i) => (i.keyword === 'ENV' || i.keyword === 'ARG') && re.test(i.node.getArgumentsContent() ?? ''))?.range.start.line;
  }
  installLine(): number | undefined {
    return this.analysis.instructions.find((i) => i.keyword === 'RUN' && /\b(yarn|npm)\b.*\b(install|ci)\b|\byarn\s*($|&&)/.test(i.node.getArgumentsContent() ?? ''))?.range.start.line;
  }
}

interface ServiceCheck {
  docker: Docker;
  task: TaskName;
  container: string;
  hostPort: number | undefined;
  containerPort: number | undefined;
  values: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  volumePath?: string;
  /** Where the program writes (scratch: a refused upload is explained by the working directory). */
  workdirLine?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rules that can explain a service that never answered, a wrong answer, a container that stopped. */
const NO_ANSWER_WHY = ['listen-address', 'exposed-port', 'production-start', 'flags-from-env'];
const WRONG_ANSWER_WHY: Record<TaskName, string[]> = {
  gate: ['hardcoded-secret', 'runtime-env'],
  scratch: ['upload-volume', 'write-access', 'absolute-workdir', 'volumes'],
  distroless: ['flags-from-env'],
  generic: [],
};
const EXITED_WHY: Record<TaskName, string[]> = {
  gate: ['production-start', 'runtime-env', 'hardcoded-secret'],
  scratch: ['static-binary', 'no-shell-in-minimal-image', 'exec-form'],
  distroless: ['flags-from-env', 'builder-release', 'no-shell-in-minimal-image', 'exec-form', 'exec-form-variables'],
  generic: ['exec-form'],
};

/** Sends the task's request until the service answers, the container stops or the time is up. */
async function checkService(c: ServiceCheck): Promise<Draft[]> {
  const title = T.service[c.task];
  if (c.task === 'generic' && !c.hostPort) return [{ id: 'service', status: 'skip', title, detail: T.noPort }];
  if (!c.hostPort) return [{ id: 'service', status: 'fail', title, detail: T.noPort }];
  const base = `http://127.0.0.1:${c.hostPort}`;
  const nonce = `dockerfile-coach-${randomBytes(6).toString('hex')}`;

  let attempt: () => Promise<Draft[]>;
  if (c.task === 'gate') {
    const algo = c.values.HMAC_ALGO ?? 'sha256';
    const secret = c.values.HMAC_SECRET;
    if (!secret) return [{ id: 'service', status: 'fail', title, detail: T.hmacNoSecret }];
    let expected: string;
    try {
      expected = createHmac(algo, secret).update(nonce).digest('hex');
    } catch (e) {
      return [{ id: 'service', status: 'fail', title, detail: fill(T.hmacBadAlgo, { algo, error: (e as Error).message }) }];
    }
    attempt = async () => {
      const res = await postJson(`${base}/`, { data: nonce });
      const answer = res.body.trim();
      if (res.status === 200 && answer.toLowerCase() === expected) {
        return [{ id: 'service', status: 'pass', title, detail: fill(T.hmacOk, { answer: short(answer), algo, data: nonce }) }];
      }
      if (res.status !== 200) return [{ id: 'service', status: 'fail', title, detail: fill(T.status, { method: 'POST', path: '/', status: res.status, body: short(answer) }), why: WRONG_ANSWER_WHY.gate }];
      return [{ id: 'service', status: 'fail', title, detail: fill(T.hmacBad, { answer: short(answer), algo, data: nonce, expected: short(expected) }), why: WRONG_ANSWER_WHY.gate }];
    };
  } else if (c.task === 'scratch') {
    const file = `${nonce}.txt`;
    const content = Buffer.from(`uploaded by Dockerfile Coach's Verify: ${nonce}\n`);
    attempt = async () => {
      const res = await postFile(`${base}/upload`, 'file', file, content);
      if (res.status !== 200) {
        return [
          { id: 'service', status: 'fail', title, detail: fill(T.status, { method: 'POST', path: '/upload', status: res.status, body: short(res.body.trim()) }), line: c.workdirLine, why: WRONG_ANSWER_WHY.scratch },
          { id: 'volume', status: 'skip', title: fill(T.volume, { path: c.volumePath ?? '/upload' }), detail: T.skipped },
        ];
      }
      return [{ id: 'service', status: 'pass', title, detail: fill(T.statusOk, { method: 'POST', path: '/upload', status: res.status }) }, await volumeItem(c, file, content)];
    };
  } else if (c.task === 'distroless') {
    attempt = async () => {
      const res = await postForm(`${base}/api/events`, { action: 'view', product: 'k8s', fingerprint: nonce });
      if (res.status === 200) return [{ id: 'service', status: 'pass', title, detail: fill(T.statusOk, { method: 'POST', path: '/api/events', status: 200 }) }];
      return [{ id: 'service', status: 'fail', title, detail: fill(T.status, { method: 'POST', path: '/api/events', status: res.status, body: short(res.body.trim()) }), why: WRONG_ANSWER_WHY.distroless }];
    };
  } else {
    attempt = async () => {
      const res = await request(`${base}/`, { method: 'GET' });
      return [{ id: 'service', status: 'info', title, detail: fill(T.statusOk, { method: 'GET', path: '/', status: res.status }) }];
    };
  }

  const deadline = Date.now() + c.timeoutMs;
  let lastError = '';
  for (;;) {
    if (c.signal?.aborted) return [{ id: 'service', status: 'fail', title, detail: t('Cancelled.', 'Отменено.') }];
    try {
      return await attempt();
    } catch (e) {
      lastError = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    }
    const state = await c.docker.containerInspect(c.container);
    if (!state?.State.Running) {
      const logs = (await c.docker.logs(c.container)) || '-';
      return [{ id: 'service', status: 'fail', title, detail: fill(T.exited, { code: state?.State.ExitCode ?? '?', logs }), why: EXITED_WHY[c.task] }];
    }
    if (Date.now() > deadline) {
      const logs = (await c.docker.logs(c.container)) || '-';
      return [{ id: 'service', status: 'fail', title, detail: fill(T.noAnswer, { port: c.containerPort ?? '?', s: Math.round(c.timeoutMs / 1000), error: lastError, logs }), why: NO_ANSWER_WHY }];
    }
    await sleep(300);
  }
}

async function volumeItem(c: ServiceCheck, file: string, content: Buffer): Promise<Draft> {
  const dir = c.volumePath ?? '/upload';
  const title = fill(T.volume, { path: dir });
  const state = await c.docker.containerInspect(c.container);
  const mounted = state?.Mounts?.some((m) => m.Type === 'volume' && m.Destination === dir);
  if (!mounted) return { id: 'volume', status: 'fail', title, detail: fill(T.volumeNotMounted, { path: dir }), line: c.workdirLine, why: WRONG_ANSWER_WHY.scratch };
  const got = await c.docker.copyFile(c.container, `${dir}/${file}`);
  if (!got || !got.content.equals(content)) return { id: 'volume', status: 'fail', title, detail: fill(T.volumeMissing, { file, path: dir }), line: c.workdirLine, why: WRONG_ANSWER_WHY.scratch };
  return { id: 'volume', status: 'pass', title, detail: fill(T.volumeOk, { file, size: got.size, uid: got.uid, path: dir }) };
}

async function startDependencies(
  docker: Docker,
  deps: ComposeService[],
  session: string,
  labels: string[],
  started: Started,
  composeFile: string,
  contextDir: string,
): Promise<{ items: ChecklistItem[]; network?: string }> {
  const items: ChecklistItem[] = [];
  const title = fill(T.database, { file: path.relative(contextDir, composeFile) || composeFile });
  let network: string | undefined;
  for (const dep of deps) {
    if (!dep.image) continue;
    if (!(await docker.imageInspect(dep.image))) {
      items.push({ id: 'database', status: 'skip', title, detail: fill(T.dbMissing, { service: dep.name, image: dep.image }) });
      continue;
    }
    if (!network) {
      network = `dfcoach-${session}-net`;
      await docker.run(['network', 'create', ...labels, network], { timeoutMs: 30000 });
      started.networks.push(network);
    }
    const name = `dfcoach-${session}-${dep.name.replace(/[^a-zA-Z0-9_.-]/g, '-')}`;
    const args = ['run', '-d', '--name', name, ...labels, '--network', network, '--network-alias', dep.name];
    for (const k of Object.keys(dep.environment)) args.push('-e', k);
    args.push(dep.image, ...(dep.command ?? []));
    started.containers.push(name);
    const r = await docker.exec(args, { extraEnv: dep.environment, timeoutMs: 60000 });
    if (r.code === 0) items.push({ id: 'database', status: 'pass', title, detail: fill(T.dbStarted, { service: dep.name, image: dep.image }) });
    else items.push({ id: 'database', status: 'fail', title, detail: fill(T.dbFailed, { service: dep.name, image: dep.image, error: redact(r.stderr.trim(), docker.secrets) }) });
  }
  return { items, network };
}

interface Started {
  containers: string[];
  volumes: string[];
  networks: string[];
}

interface RuntimeFacts {
  running: boolean;
  processes?: { pid: number; uid: number; args: string }[];
  remapped?: boolean;
  /** Development dependencies found in the image's node_modules (gate). */
  devDeps?: { dir: string; names: string[]; found: string[] };
}

async function observeRuntime(docker: Docker, container: string, running: boolean, image: ImageInspect, task: TaskName, contextDir: string): Promise<RuntimeFacts> {
  const facts: RuntimeFacts = { running };
  if (running) {
    facts.processes = await docker.top(container).catch(() => undefined);
    facts.remapped = await docker.remapsUsers().catch(() => false);
  }
  if (task === 'gate') {
    let names: string[] = [];
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(contextDir, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
      names = Object.keys(pkg.devDependencies ?? {});
    } catch {
      names = [];
    }
    const dir = path.posix.join(image.Config.WorkingDir || '/', 'node_modules');
    const found: string[] = [];
    for (const n of names) if (await docker.pathExists(container, path.posix.join(dir, n, 'package.json'))) found.push(n);
    facts.devDeps = { dir, names, found };
  }
  return facts;
}

function isRootUser(user: string | undefined): boolean {
  const u = (user ?? '').trim();
  const name = u.split(':')[0];
  return name === '' || name === '0' || name === 'root';
}

function userConfigItem(image: ImageInspect, links: Linker): Draft {
  const user = image.Config.User ?? '';
  const rule = 'non-root-user';
  if (isRootUser(user)) {
    return { id: 'user-config', status: 'fail', title: T.userConfig, detail: fill(T.userConfigRoot, { user: user ? `"${user}"` : '""' }), ruleIds: [rule], line: links.userLine() };
  }
  return { id: 'user-config', status: 'pass', title: T.userConfig, detail: fill(T.userConfigOk, { user }) };
}

function userProcessItem(rt: RuntimeFacts | undefined, links: Linker): Draft {
  const rule = 'non-root-user';
  if (!rt?.running || !rt.processes || rt.processes.length === 0) return { id: 'user-process', status: 'skip', title: T.userProcess, detail: T.notRunning };
  const uids = [...new Set(rt.processes.map((p) => p.uid))].join(', ');
  const procs = rt.processes.map((p) => `${p.uid} ${p.args}`).slice(0, 4).join('; ');
  if (rt.remapped) return { id: 'user-process', status: 'info', title: T.userProcess, detail: fill(T.userProcessRemapped, { uids }) };
  if (rt.processes.some((p) => p.uid === 0)) {
    return { id: 'user-process', status: 'fail', title: T.userProcess, detail: fill(T.userProcessRoot, { procs }), ruleIds: [rule], line: links.userLine() };
  }
  return { id: 'user-process', status: 'pass', title: T.userProcess, detail: fill(T.userProcessOk, { uids, procs }) };
}

async function baseImageItem(docker: Docker, analysis: Analysis, diagnostics: Diagnostic[], task: TaskName, links: Linker): Promise<Draft> {
  const stage = analysis.finalStage;
  const line = links.fromLine();
  const title = T.base;
  if (!stage) return { id: 'base-image', status: 'skip', title, detail: same('-') };
  const root = analysis.rootBase(stage);
  const chainFrom = analysis.chain(stage);
  const rootFrom = chainFrom[chainFrom.length - 1];
  const baseText = root.kind === 'scratch' ? 'scratch' : (rootFrom.from.getImage() ?? '?');
  let local = same('');
  if (root.kind === 'image') {
    const img = await docker.imageInspect(baseText).catch(() => undefined);
    if (img) local = fill(T.localImage, { id: img.Id.replace(/^sha256:/, '').slice(0, 12), mb: (img.Size / MB).toFixed(1) });
  }
  const ok: Draft = { id: 'base-image', status: 'pass', title, detail: { en: `${baseText}${local.en}.`, ru: `${baseText}${local.ru}.` } };
  const fail = (detail: LocalizedText, ruleId: string, why: string[]): Draft => ({ id: 'base-image', status: 'fail', title, detail, ruleIds: [ruleId], why, line });
  // the linter knows the course's finer requirements of the final base (LTS, alpine 3.17, debian11)
  const onFinalFrom = (id: string) => diagnostics.some((d) => d.ruleId === id && d.file === undefined && d.range.start.line === line);
  if (root.kind === 'unknown') return { id: 'base-image', status: 'warn', title, detail: fill(T.baseUnknown, { base: baseText }), line };
  const gateWhy = ['gate-base-image', 'pinned-base-image'];
  const distrolessWhy = ['distroless-base', 'multi-stage'];
  switch (task) {
    case 'scratch':
      return root.kind === 'scratch' ? ok : fail(fill(T.baseScratch, { base: baseText }), 'multi-stage', ['multi-stage']);
    case 'distroless':
      if (root.kind !== 'image' || !isDistroless(root.ref)) return fail(fill(T.baseDistroless, { base: baseText }), 'multi-stage', distrolessWhy);
      return onFinalFrom('distroless-base') ? fail(fill(T.baseLinter, { base: baseText }), 'distroless-base', distrolessWhy) : ok;
    case 'gate': {
      if (root.kind !== 'image' || root.ref.repository !== 'node') return fail(fill(T.baseNode, { base: baseText }), 'gate-base-image', gateWhy);
      const pinned = !!root.ref.digest || /^\d+\.\d+/.test(root.ref.tag ?? '');
      if (!pinned) return fail(fill(T.baseUnpinned, { base: baseText }), 'pinned-base-image', gateWhy);
      const course = gateWhy.find(onFinalFrom);
      return course ? fail(fill(T.baseLinter, { base: baseText }), course, gateWhy) : ok;
    }
    default: {
      if (root.kind === 'image' && !(root.ref.digest || /\d/.test(root.ref.tag ?? ''))) return { ...fail(fill(T.baseUnpinned, { base: baseText }), 'pinned-base-image', []), status: 'warn' };
      return ok;
    }
  }
}

function sizeItem(image: ImageInspect, budgetMB: number, task: TaskName, links: Linker): Draft {
  const mb = image.Size / MB;
  const title = fill(T.size, { budget: budgetMB });
  if (mb <= budgetMB) return { id: 'size', status: 'pass', title, detail: fill(T.sizeOk, { mb: mb.toFixed(1) }) };
  const rules = task === 'scratch' || task === 'distroless' ? ['multi-stage'] : [];
  const why = task === 'gate' ? ['gate-base-image', 'layer-hygiene', 'production-install'] : task === 'distroless' ? ['distroless-base'] : ['layer-hygiene'];
  return { id: 'size', status: task === 'generic' ? 'warn' : 'fail', title, detail: fill(T.sizeOver, { mb: mb.toFixed(1), budget: budgetMB }), ruleIds: rules, why, line: links.fromLine() };
}

async function layersItem(docker: Docker, image: ImageInspect, analysis: Analysis): Promise<ChecklistItem> {
  const n = image.RootFS?.Layers?.length ?? 0;
  let own = n;
  const stage = analysis.finalStage;
  const root = stage ? analysis.rootBase(stage) : undefined;
  if (root?.kind === 'image' && stage) {
    const chain = analysis.chain(stage);
    const base = await docker.imageInspect(chain[chain.length - 1].from.getImage() ?? '').catch(() => undefined);
    if (base) own = n - (base.RootFS?.Layers?.length ?? 0);
  }
  return { id: 'layers', status: 'info', title: T.layers, detail: fill(T.layersInfo, { n, own }) };
}

function isShellForm(cmd: string[] | null | undefined): boolean {
  return !!cmd && cmd.length >= 2 && /^(\/bin\/|\/usr\/bin\/)?(sh|bash|ash|dash)$/.test(cmd[0]) && /^-\w*c\w*$/.test(cmd[1]);
}

function execFormItem(image: ImageInspect, links: Linker): Draft {
  const { Entrypoint, Cmd } = image.Config;
  const title = T.execForm;
  const show = (v: string[] | null | undefined) => JSON.stringify(v ?? null);
  for (const [which, value] of [['ENTRYPOINT', Entrypoint], ['CMD', Cmd]] as const) {
    if (isShellForm(value)) {
      return { id: 'exec-form', status: 'fail', title, detail: fill(T.execFormShell, { which, value: show(value) }), ruleIds: ['exec-form'], why: ['no-shell-scripts', 'exec-form-variables'], line: links.cmdLine() };
    }
  }
  const detail = [Entrypoint?.length ? `ENTRYPOINT ${show(Entrypoint)}` : '', Cmd?.length ? `CMD ${show(Cmd)}` : ''].filter(Boolean).join(', ');
  return { id: 'exec-form', status: 'pass', title, detail: same(detail || '-') };
}

async function secretsItem(docker: Docker, image: ImageInspect, tag: string, secretVars: { name: string; value: string | undefined }[], links: Linker): Promise<Draft> {
  const title = T.secrets;
  const rule = 'no-baked-secrets';
  const problems: { text: LocalizedText; line: number | undefined }[] = [];
  const env = image.Config.Env ?? [];
  for (const entry of env) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    const value = eq < 0 ? '' : entry.slice(eq + 1);
    if (looksSecret(name) && value !== '') problems.push({ text: fill(T.secretsEnv, { name }), line: links.setterLine(name) });
  }
  const history = await docker.history(tag).catch(() => [] as string[]);
  for (const h of history) {
    for (const m of h.matchAll(/\b(ENV|ARG)\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)) {
      if (looksSecret(m[2]) && !problems.some((p) => p.text.en.startsWith(`${m[2]} `))) problems.push({ text: fill(T.secretsHistory, { name: m[2], what: m[1] }), line: links.setterLine(m[2]) });
    }
    // build arguments used by a RUN: "|2 NAME=value OTHER=value /bin/sh -c ..."
    const args = /^\|\d+ (.*?) \/bin\/sh -c /.exec(h);
    if (args) {
      for (const m of args[1].matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S*)/g)) {
        if (looksSecret(m[1]) && m[2] && !problems.some((p) => p.text.en.startsWith(`${m[1]} `))) problems.push({ text: fill(T.secretsHistory, { name: m[1], what: 'build-arg' }), line: links.setterLine(m[1]) });
      }
    }
  }
  for (const s of secretVars) {
    if (!s.value || s.value.length < 4) continue;
    const where = [env.some((e) => e.includes(s.value!)) ? 'Config.Env' : '', history.some((h) => h.includes(s.value!)) ? 'docker history' : ''].filter(Boolean).join(', ');
    if (where) problems.push({ text: fill(T.secretsValue, { name: s.name, where }), line: links.setterLine(s.name) });
  }
  if (problems.length) {
    return {
      id: 'secrets',
      status: 'fail',
      title,
      detail: { en: problems.map((p) => p.text.en).join('\n'), ru: problems.map((p) => p.text.ru).join('\n') },
      ruleIds: [rule],
      line: problems.find((p) => p.line !== undefined)?.line,
    };
  }
  const names = env.map((e) => e.split('=')[0]).join(', ') || '-';
  return { id: 'secrets', status: 'pass', title, detail: fill(T.secretsOk, { names, n: history.length }) };
}

function devDepsItem(rt: RuntimeFacts | undefined, links: Linker): Draft {
  const title = T.devDeps;
  const d = rt?.devDeps;
  if (!d) return { id: 'dev-dependencies', status: 'skip', title, detail: T.notRunning };
  if (d.names.length === 0) return { id: 'dev-dependencies', status: 'pass', title, detail: T.devDepsNone };
  if (d.found.length === 0) return { id: 'dev-dependencies', status: 'pass', title, detail: fill(T.devDepsOk, { names: d.names.join(', '), dir: d.dir }) };
  const rule = 'production-install';
  return { id: 'dev-dependencies', status: 'fail', title, detail: fill(T.devDepsFound, { names: d.found.join(', '), dir: d.dir }), ruleIds: [rule], line: links.installLine() };
}

const short = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s);

