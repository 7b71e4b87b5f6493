/**
 * What went wrong with docker, in words a student can act on: no docker, a daemon that does not
 * answer, a socket without permission, a busy port, an image that cannot be pulled, a bad tag.
 */
import type { ProcessResult } from './process';
import { LocalizedText, fill, fmt, t } from './l10n';

export type FailureKind =
  | 'not-installed'
  | 'daemon-down'
  | 'daemon-timeout'
  | 'permission'
  | 'port-in-use'
  | 'pull-failed'
  | 'bad-tag'
  | 'build-failed'
  | 'run-failed'
  | 'timeout'
  | 'cancelled'
  | 'other';

export interface Failure {
  kind: FailureKind;
  /** What happened and what to do. */
  message: LocalizedText;
  /** Docker's own words (secret values already removed), for the terminal and the details. */
  detail: string;
}

export class DockerFailure extends Error {
  constructor(readonly failure: Failure) {
    super(`${failure.kind}: ${failure.message.en}${failure.detail ? ` (${failure.detail})` : ''}`);
    this.name = 'DockerFailure';
  }
}

export const MESSAGES = {
  notInstalled: t(
    'Docker was not found: "{command}" is not on PATH or cannot be run. Install Docker (Docker Desktop, or Docker Engine on Linux), or set dockerfileCoach.docker.path to the docker executable.',
    'Docker не найден: «{command}» нет в PATH, или его нельзя запустить. Установите Docker (Docker Desktop или Docker Engine в Linux) или укажите путь к docker в настройке dockerfileCoach.docker.path.',
  ),
  daemonDown: t(
    'The Docker daemon does not answer at {host}. Start Docker (Docker Desktop, or `sudo systemctl start docker` on Linux) and try again; if Docker runs elsewhere, check DOCKER_HOST or `docker context`.',
    'Демон Docker не отвечает по адресу {host}. Запустите Docker (Docker Desktop или `sudo systemctl start docker` в Linux) и повторите; если Docker работает в другом месте, проверьте DOCKER_HOST или `docker context`.',
  ),
  daemonTimeout: t(
    'The Docker daemon at {host} did not answer within {seconds} s. Restart Docker and try again.',
    'Демон Docker по адресу {host} не ответил за {seconds} с. Перезапустите Docker и повторите.',
  ),
  permission: t(
    'No permission to use the Docker socket {socket}. On Linux add your user to the docker group (`sudo usermod -aG docker $USER`, then log out and in) or use rootless Docker.',
    'Нет прав на сокет Docker {socket}. В Linux добавьте пользователя в группу docker (`sudo usermod -aG docker $USER`, затем перезайдите в систему) или используйте rootless Docker.',
  ),
  portInUse: t(
    'Port {port} on 127.0.0.1 is already in use, so the container could not publish it. Stop whatever listens there (another container: `docker ps`) and run again. Nothing was left running.',
    'Порт {port} на 127.0.0.1 уже занят, и контейнер не смог его опубликовать. Остановите то, что его слушает (другой контейнер: `docker ps`), и запустите снова. Ничего не осталось запущенным.',
  ),
  pullFailed: t(
    'The image {image} could not be pulled: {reason}. Check the name and the tag, the network and `docker login`; an image that is not in a registry must be built or loaded locally first.',
    'Образ {image} не удалось скачать: {reason}. Проверьте имя и тег, сеть и `docker login`; образ, которого нет в реестре, нужно сначала собрать или загрузить локально.',
  ),
  badTag: t(
    '"{tag}" is not a valid image tag. Use lowercase letters, digits and . _ - / with an optional :tag, e.g. my-app:dev.',
    '«{tag}» — недопустимый тег образа. Используйте строчные буквы, цифры и . _ - / и необязательный :тег, например my-app:dev.',
  ),
  timeout: t('docker {command} did not finish within {seconds} s and was stopped.', 'docker {command} не завершилась за {seconds} с и была остановлена.'),
  cancelled: t('Cancelled.', 'Отменено.'),
  other: t('docker {command} failed: {error}', 'docker {command} завершилась с ошибкой: {error}'),
};

export interface ClassifyContext {
  /** The docker executable, for "not installed". */
  command: string;
  /** The docker subcommand, for messages ("build", "run"). */
  subcommand: string;
  /** DOCKER_HOST or the default socket, for "does not answer". */
  host: string;
  timeoutMs?: number;
  /** The image a run or a build's FROM tried to pull. */
  image?: string;
  port?: number;
  /** Secret values to remove from docker's words. */
  secrets?: readonly string[];
}

export function defaultHost(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_HOST || (process.platform === 'win32' ? 'npipe:////./pipe/docker_engine' : 'unix:///var/run/docker.sock');
}

/** The lines of docker's stderr that say what failed (not its warnings and banners). */
export function errorText(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .filter((l) => !/^WARNING:|^DEPRECATED:|^\s{4,}(BuildKit|environment-variable|Install the buildx)|^See 'docker .* --help'|^Run 'docker .* --help'/.test(l))
    .filter((l) => !/^time=".*" level=(error|warning) msg="(Can't add file|Can't close tar writer)/.test(l));
  return lines.join('\n').replace(/^docker: /, '');
}

export function redact(text: string, secrets: readonly string[] = []): string {
  // passwords in URLs (a compose file's database URL) are not shown either
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, '$1***@');
  // Longest first, so a secret that contains another is removed whole.
  for (const s of [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  return out;
}

const PULL_ERROR =
  /pull access denied|manifest unknown|manifest for .* not found|repository does not exist|not found: manifest|registry-1\.docker\.io|dial tcp|no such host|i\/o timeout|TLS handshake timeout|toomanyrequests|unauthorized|denied: |connection refused|x509:|certificate/i;

/** A failure of any docker command from its result; undefined when it succeeded. */
export function classify(result: ProcessResult, ctx: ClassifyContext): Failure | undefined {
  const detail = redact(errorText(result.stderr), ctx.secrets);
  if (result.spawnError) {
    const code = result.spawnError.code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR' || code === 'EISDIR') {
      return { kind: 'not-installed', message: fill(MESSAGES.notInstalled, { command: ctx.command }), detail: `${code}: ${result.spawnError.message}` };
    }
    return { kind: 'other', message: fill(MESSAGES.other, { command: ctx.subcommand, error: result.spawnError.message }), detail: result.spawnError.message };
  }
  if (result.aborted) return { kind: 'cancelled', message: MESSAGES.cancelled, detail };
  if (result.timedOut) {
    const seconds = Math.round((ctx.timeoutMs ?? 0) / 1000);
    if (ctx.subcommand === 'version') return { kind: 'daemon-timeout', message: fill(MESSAGES.daemonTimeout, { host: ctx.host, seconds }), detail };
    return { kind: 'timeout', message: fill(MESSAGES.timeout, { command: ctx.subcommand, seconds }), detail };
  }
  if (result.code === 0) return undefined;
  return classifyText(detail, ctx) ?? { kind: 'other', message: fill(MESSAGES.other, { command: ctx.subcommand, error: firstLine(detail) || `exit code ${result.code}` }), detail };
}

/** The environment failures recognisable in docker's words (also used for a failed build's last line). */
export function classifyText(detail: string, ctx: ClassifyContext): Failure | undefined {
  let m = /permission denied while trying to connect to the Docker daemon socket at ([^\s:]+:\/\/[^\s:]+|[^\s:]+)/i.exec(detail);
  if (m) return { kind: 'permission', message: fill(MESSAGES.permission, { socket: m[1] }), detail };
  m = /Cannot connect to the Docker daemon at (\S+?)\.? Is the docker daemon running\?/i.exec(detail);
  if (m) return { kind: 'daemon-down', message: fill(MESSAGES.daemonDown, { host: m[1] }), detail };
  if (/error during connect|The system cannot find the file specified.*docker_engine|open \/\/\.\/pipe\/docker/i.test(detail)) {
    return { kind: 'daemon-down', message: fill(MESSAGES.daemonDown, { host: ctx.host }), detail };
  }
  if (/port is already allocated|address already in use/i.test(detail)) {
    const p = /(?:Bind for|listen tcp[46]?) \S*?:(\d+)/.exec(detail);
    const port = p ? p[1] : String(ctx.port ?? '?');
    return { kind: 'port-in-use', message: fill(MESSAGES.portInUse, { port }), detail };
  }
  const unable = /Unable to find image '([^']+)' locally/.exec(detail);
  if (unable || (ctx.image && PULL_ERROR.test(detail))) {
    const image = unable?.[1] ?? ctx.image ?? '?';
    const rest = detail.split('\n').filter((l) => !/Unable to find image/.test(l));
    return { kind: 'pull-failed', message: pullMessage(image, rest.join('\n')), detail };
  }
  m = /invalid (?:argument "([^"]*)" for "-t, --tag" flag|reference format)/i.exec(detail);
  if (m) return { kind: 'bad-tag', message: fill(MESSAGES.badTag, { tag: m[1] ?? '?' }), detail };
  return undefined;
}

/** "The image X could not be pulled: <why>", from docker's words. */
export function pullMessage(image: string, text: string): LocalizedText {
  const reason = pullReason(text);
  return { en: fmt(MESSAGES.pullFailed, 'en', { image, reason: reason.en }), ru: fmt(MESSAGES.pullFailed, 'ru', { image, reason: reason.ru }) };
}

function pullReason(text: string): LocalizedText {
  if (/no such host|dial tcp|i\/o timeout|TLS handshake timeout|connection refused|network is unreachable/i.test(text)) {
    return t('the registry cannot be reached', 'реестр недоступен');
  }
  if (/pull access denied|repository does not exist|unauthorized|denied: /i.test(text)) {
    return t('there is no such repository, or it needs `docker login`', 'такого репозитория нет, или нужен `docker login`');
  }
  if (/manifest unknown|not found/i.test(text)) return t('there is no such tag', 'такого тега нет');
  if (/toomanyrequests/i.test(text)) return t('the registry rate limit was hit', 'превышен лимит запросов к реестру');
  const line = firstLine(text);
  return { en: line, ru: line };
}

const firstLine = (s: string): string => s.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
