/**
 * Course rule 17: an app that listens on localhost/127.0.0.1 is unreachable from outside its
 * container (`docker run -p` forwards to the container's network interface, not to its loopback).
 * Reported in the source file where the address is written. The gate task allows source edits, so
 * index.js gets a fix; the scratch and distroless tasks forbid them: no fix, and the message says what
 * to tell the developers or what the Dockerfile can do instead.
 */
import { ALL_TASKS } from '../engine/types';
import type { Analysis } from '../engine/analysis';
import type { Finding, Fix, Range, Rule, TaskName } from '../engine/types';
import type { AddrPart, GoListen } from '../engine/facts/go';
import { isLoopbackHost } from '../engine/facts/node';
import type { ListenFact } from '../engine/facts/node';
import { appFacts } from './app-facts';
import { flagArgument, genericLowered, programArgv, runtimeEnv, where } from './facts-util';
import { t } from './util';

/** The tasks whose text lets the student edit the application's code. */
export const sourceEditsAllowed = (task: TaskName): boolean => task === 'gate' || task === 'generic';

const FIX_TITLE = t('Listen on 0.0.0.0 (all interfaces)', 'Слушать 0.0.0.0 (все интерфейсы)');

export const listenAddress: Rule = {
  id: 'listen-address',
  courseRule: 17,
  title: t('Listen on all interfaces, not localhost', 'Слушать все интерфейсы, а не localhost'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    loopback: t(
      'The app listens on {host} ({source}): inside a container that is the container\'s own loopback, and `docker run -p` forwards connections to the container\'s network interface, so nothing outside the container can reach the app. Listen on 0.0.0.0 (all interfaces).',
      'Приложение слушает {host} ({source}): в контейнере это собственный loopback контейнера, а `docker run -p` пересылает соединения на его сетевой интерфейс, поэтому снаружи до приложения не достучаться. Слушайте 0.0.0.0 (все интерфейсы).',
    ),
    loopbackNoEdit: t(
      'The app listens on {host} ({source}): inside a container that is the container\'s own loopback, and `docker run -p` forwards connections to the container\'s network interface, so nothing outside the container can reach the app. The {task} task forbids editing the code, so there is no quick fix: the developers must make it listen on all interfaces (`":{port}"`).',
      'Приложение слушает {host} ({source}): в контейнере это собственный loopback контейнера, а `docker run -p` пересылает соединения на его сетевой интерфейс, поэтому снаружи до приложения не достучаться. Задание {task} запрещает править код, поэтому быстрого исправления нет: разработчики должны слушать все интерфейсы (`":{port}"`).',
    ),
    loopbackEnvDefault: t(
      'The app takes its listen address from {env} and falls back to {host} ({source}); the Dockerfile does not set {env}, so the app listens on the container\'s loopback and nothing outside the container can reach it. Set `ENV {env}=0.0.0.0` in the Dockerfile (or `docker run -e {env}=0.0.0.0`){orFix}.',
      'Приложение берёт адрес из {env}, а без него слушает {host} ({source}); Dockerfile {env} не задаёт, поэтому приложение слушает loopback контейнера, и снаружи до него не достучаться. Задайте `ENV {env}=0.0.0.0` в Dockerfile (или `docker run -e {env}=0.0.0.0`){orFix}.',
    ),
    loopbackFlagDefault: t(
      'The -{flag} flag defaults to {host} ({source}) and the start command does not pass it, so the app listens on the container\'s loopback and nothing outside the container can reach it. Pass `-{flag}=0.0.0.0` in ENTRYPOINT (exec form).',
      'Флаг -{flag} по умолчанию равен {host} ({source}), а команда запуска его не передаёт, поэтому приложение слушает loopback контейнера, и снаружи до него не достучаться. Передайте `-{flag}=0.0.0.0` в ENTRYPOINT (в exec-форме).',
    ),
  },
  check({ analysis, task }) {
    const app = appFacts(analysis, task.name);
    if (!app) return [];
    const severity = genericLowered(task.name);
    const out: Finding[] = [];
    if (app.kind === 'node') {
      for (const l of app.facts.listens) {
        const f = nodeFinding(analysis, l, task.name);
        if (f) out.push({ ...f, severity });
      }
    } else {
      for (const l of app.facts.listens) {
        const f = goFinding(analysis, l, task.name);
        if (f) out.push({ ...f, severity });
      }
    }
    return out;
  },
};

function portText(l: ListenFact): string {
  return l.port.kind === 'literal' ? String(l.port.value) : l.port.kind === 'env' && l.port.fallback !== undefined ? String(l.port.fallback) : '<port>';
}

function nodeFinding(analysis: Analysis, l: ListenFact, task: TaskName): Finding | undefined {
  const edits = sourceEditsAllowed(task);
  const host = l.host;
  if (host.kind === 'literal' && isLoopbackHost(host.value)) {
    const fix: Fix = { title: FIX_TITLE, edits: [{ range: host.loc.range, newText: `${host.quote}0.0.0.0${host.quote}` }] };
    return {
      messageId: edits ? 'loopback' : 'loopbackNoEdit',
      file: host.loc.file,
      range: host.loc.range,
      data: { host: host.value, source: where(host.loc), task, port: portText(l) },
      fixes: edits ? [fix] : undefined,
    };
  }
  if (host.kind === 'env' && host.fallback && isLoopbackHost(host.fallback.value) && runtimeEnv(analysis, host.name) === undefined) {
    const fb = host.fallback;
    return {
      messageId: 'loopbackEnvDefault',
      file: fb.loc.file,
      range: fb.loc.range,
      data: {
        env: host.name,
        host: fb.value,
        source: where(fb.loc),
        orFix: edits ? ', or change the fallback to 0.0.0.0' : '',
        orFix_ru: edits ? ' или замените значение по умолчанию на 0.0.0.0' : '',
      },
      fixes: edits ? [{ title: FIX_TITLE, edits: [{ range: fb.loc.range, newText: `${fb.quote}0.0.0.0${fb.quote}` }] }] : undefined,
    };
  }
  return undefined;
}

function goFinding(analysis: Analysis, l: GoListen, task: TaskName): Finding | undefined {
  const host: AddrPart = l.host;
  const flag = host.flag;
  // A value given on the start command replaces the flag's default.
  if (flag?.name) {
    const argv = programArgv(analysis);
    if (argv && flagArgument(argv.words, flag.name)) return undefined;
  }
  const port = l.port.kind === 'literal' ? l.port.value : l.port.kind === 'env' ? (l.port.fallback ?? '<port>') : '<port>';
  if (host.kind === 'literal' && isLoopbackHost(host.value)) {
    const loc = flag ? { file: flag.file, range: flag.range } : (host.loc ?? { file: l.file, range: l.range });
    if (flag?.name) {
      return { messageId: 'loopbackFlagDefault', file: loc.file, range: loc.range, data: { flag: flag.name, host: host.value, source: where(loc) } };
    }
    const edits = sourceEditsAllowed(task) && host.loc !== undefined;
    return {
      messageId: edits ? 'loopback' : 'loopbackNoEdit',
      file: loc.file,
      range: loc.range,
      data: { host: host.value, source: where(loc), task, port },
      // `"localhost:9999"` -> `":9999"`: the empty host is every interface.
      fixes: edits && host.loc ? [{ title: FIX_TITLE, edits: [{ range: host.loc.range, newText: host.quoted ? '"0.0.0.0"' : '' }] }] : undefined,
    };
  }
  if (host.kind === 'env' && host.fallback !== undefined && isLoopbackHost(host.fallback) && runtimeEnv(analysis, host.name) === undefined) {
    const range: Range = flag ? flag.range : l.range;
    const file = flag ? flag.file : l.file;
    return {
      messageId: 'loopbackEnvDefault',
      file,
      range,
      data: { env: host.name, host: host.fallback, source: where({ file, range }), orFix: '', orFix_ru: '' },
    };
  }
  return undefined;
}
