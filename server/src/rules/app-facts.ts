/**
 * The application behind a Dockerfile, as its code (not the task text) has it: which facts apply
 * (Node or Go), the Go build target, and the ports and hosts it listens on once the Dockerfile's ENV
 * and the start command's flags are taken into account.
 */
import type { Analysis } from '../engine/analysis';
import type { TaskName } from '../engine/types';
import { GoFacts, GoListen, AddrPart, goFacts } from '../engine/facts/go';
import { NodeFacts, nodeFacts } from '../engine/facts/node';
import { flagArgument, goBuilds, programArgv, runtimeEnv, stagesFeedingFinal, where } from './facts-util';

export type AppFacts = { kind: 'node'; facts: NodeFacts } | { kind: 'go'; facts: GoFacts };

/** Node for the gate task, Go for scratch and distroless; for generic whatever the project has. */
export function appFacts(analysis: Analysis, task: TaskName): AppFacts | undefined {
  const project = analysis.project;
  const hasGo = project.exists('go.mod');
  const hasNode = project.exists('package.json') || project.exists('index.js');
  const useGo = task === 'scratch' || task === 'distroless' ? hasGo : task === 'gate' ? false : hasGo && !hasNode;
  if (useGo) return { kind: 'go', facts: goFactsFor(analysis) };
  if (task !== 'scratch' && task !== 'distroless' && hasNode) return { kind: 'node', facts: nodeFacts(project) };
  return undefined;
}

/** Go facts of what the Dockerfile builds (the target of the `go build` whose result reaches the final image). */
export function goFactsFor(analysis: Analysis): GoFacts {
  const feeding = stagesFeedingFinal(analysis);
  const build = goBuilds(analysis).find((b) => feeding.has(b.stage) && b.target !== undefined);
  const target = build?.target && !build.target.startsWith('/') ? build.target : undefined;
  return goFacts(analysis.project, target);
}

export interface AppPort {
  port: number;
  /** Where the code listens (`cmd/main.go:53`). */
  source: string;
  /** How the port is decided, in both languages (`-port from APP_PORT, default 9000`). */
  how: { en: string; ru: string };
}

/** The ports the app listens on in this container; undefined when any of them cannot be known. */
export function appPorts(analysis: Analysis, app: AppFacts): AppPort[] | undefined {
  const out: AppPort[] = [];
  if (app.kind === 'node') {
    if (app.facts.listens.length === 0) return undefined;
    for (const l of app.facts.listens) {
      const source = where({ file: l.file, range: l.range });
      if (l.port.kind === 'literal') out.push({ port: l.port.value, source, how: { en: `listen(${l.port.value})`, ru: `listen(${l.port.value})` } });
      else if (l.port.kind === 'env') {
        const p = envPort(analysis, l.port.name, l.port.fallback === undefined ? undefined : String(l.port.fallback));
        if (!p) return undefined;
        out.push({ port: p.port, source, how: p.how });
      } else return undefined;
    }
    return out;
  }
  if (app.facts.listens.length === 0) return undefined;
  for (const l of app.facts.listens) {
    const p = goPort(analysis, l);
    if (!p) return undefined;
    out.push(p);
  }
  return out;
}

function envPort(analysis: Analysis, name: string, fallback: string | undefined): { port: number; how: { en: string; ru: string } } | undefined {
  const env = runtimeEnv(analysis, name);
  if (env === null) return undefined;
  if (env !== undefined) {
    const port = toPort(env);
    return port === undefined ? undefined : { port, how: { en: `${name} from ENV ${name}=${env}`, ru: `${name} из ENV ${name}=${env}` } };
  }
  const port = fallback === undefined ? undefined : toPort(fallback);
  return port === undefined ? undefined : { port, how: { en: `${name} unset, default ${port}`, ru: `${name} не задан, по умолчанию ${port}` } };
}

function goPort(analysis: Analysis, l: GoListen): AppPort | undefined {
  const source = where({ file: l.file, range: l.range });
  const part: AddrPart = l.port;
  // A flag given on the start command wins over its default (and over the environment).
  if (part.flag?.name) {
    const argv = programArgv(analysis);
    const arg = argv ? flagArgument(argv.words, part.flag.name) : undefined;
    if (arg) {
      if (/\$/.test(arg.value)) return undefined;
      const port = toPort(arg.value.includes(':') ? arg.value.slice(arg.value.lastIndexOf(':') + 1) : arg.value);
      return port === undefined ? undefined : { port, source, how: { en: `-${part.flag.name}=${arg.value} on the start command`, ru: `-${part.flag.name}=${arg.value} в команде запуска` } };
    }
  }
  if (part.kind === 'literal') {
    const port = toPort(part.value);
    if (port === undefined) return undefined;
    // The address as the code writes it (`":9999"`), when the host is literal text too.
    const address = l.host.kind === 'literal' && !l.host.flag ? `"${l.host.value.includes(':') ? `[${l.host.value}]` : l.host.value}:${part.value}"` : `port ${part.value}`;
    const how = part.flag?.name ? { en: `-${part.flag.name}, default ${part.value}`, ru: `-${part.flag.name}, по умолчанию ${part.value}` } : { en: address, ru: address.replace(/^port /, 'порт ') };
    return { port, source, how };
  }
  if (part.kind === 'env') {
    const p = envPort(analysis, part.name, part.fallback);
    if (!p) return undefined;
    const flag = part.flag?.name ? `-${part.flag.name}: ` : '';
    return { port: p.port, source, how: { en: flag + p.how.en, ru: flag + p.how.ru } };
  }
  return undefined;
}

export function toPort(text: string): number | undefined {
  const v = text.trim();
  if (!/^\d{1,5}$/.test(v)) return undefined;
  const n = Number(v);
  return n > 0 && n < 65536 ? n : undefined;
}
