/**
 * Course rule 16: EXPOSE names the port the application really listens on, read from its code
 * (index.js, cmd/**.go) with the Dockerfile's ENV and the start command's flags applied, not the port
 * the task text claims (the scratch task's developer says 9000; the code listens on 9999).
 */
import { ALL_TASKS } from '../engine/types';
import type { Finding, Rule, TextEdit } from '../engine/types';
import { appFacts, appPorts } from './app-facts';
import { CLAIMED_PORT, beforeStartAnchor, exposedPorts, insertLinesAfter } from './facts-util';
import { keywordRange, t } from './util';

export const exposedPort: Rule = {
  id: 'exposed-port',
  courseRule: 16,
  title: t('EXPOSE the port the app listens on', 'EXPOSE — порт, который слушает приложение'),
  defaultSeverity: 'warning',
  tasks: ALL_TASKS,
  messages: {
    mismatch: t(
      'EXPOSE {exposed}, but the app listens on {port}: {source} ({how}).{claim} `docker run -p <host port>:{exposed}` would forward to a port nobody listens on. Expose {port} and publish it as `-p {hostPort}:{port}`.',
      'EXPOSE {exposed}, но приложение слушает порт {port}: {source} ({how}).{claim} `docker run -p <порт хоста>:{exposed}` будет пересылать на порт, который никто не слушает. Укажите EXPOSE {port} и публикуйте его как `-p {hostPort}:{port}`.',
    ),
    notExposed: t(
      'The app also listens on {port} ({source}, {how}), which no EXPOSE names. Add it, so `docker run -P` and readers of the image know it.',
      'Приложение слушает ещё и порт {port} ({source}, {how}), которого нет ни в одном EXPOSE. Добавьте его, чтобы о нём знали `docker run -P` и читатели образа.',
    ),
    missing: t(
      'No EXPOSE: the app listens on {port} ({source}, {how}). EXPOSE documents it for `docker run -P` and for whoever runs the image; add `EXPOSE {port}`.',
      'Нет EXPOSE: приложение слушает порт {port} ({source}, {how}). EXPOSE сообщает о нём `docker run -P` и тем, кто запускает образ; добавьте `EXPOSE {port}`.',
    ),
  },
  check({ analysis, task }) {
    const final = analysis.finalStage;
    const app = appFacts(analysis, task.name);
    if (!final || !app) return [];
    const ports = appPorts(analysis, app);
    if (!ports || ports.length === 0) return [];
    const exposed = exposedPorts(analysis);
    // A port from an unknown variable may be the right one: say nothing.
    if (exposed.some((e) => e.port === null)) return [];
    const findings: Finding[] = [];
    const first = ports[0];
    if (exposed.length === 0) {
      const line = `EXPOSE ${[...new Set(ports.map((p) => p.port))].join(' ')}`;
      const after = beforeStartAnchor(analysis) ?? final.fromInstr;
      const edit: TextEdit = insertLinesAfter(analysis, after, [line]);
      findings.push({
        messageId: 'missing',
        data: { port: first.port, source: first.source, how: first.how.en, how_ru: first.how.ru },
        range: keywordRange(final.fromInstr),
        severity: 'information',
        fixes: [{ title: t(`Add ${line}`, `Добавить ${line}`), edits: [edit] }],
      });
      return findings;
    }
    const appPortSet = new Set(ports.map((p) => p.port));
    const uncovered = ports.filter((p, k) => !exposed.some((e) => e.port === p.port) && ports.findIndex((q) => q.port === p.port) === k);
    const wrong = exposed.filter((e) => e.port !== null && !appPortSet.has(e.port));
    const claimed = CLAIMED_PORT[task.name];
    uncovered.forEach((p, k) => {
      const e = wrong[k];
      if (e) {
        const fromClaim = claimed !== undefined && e.port === claimed;
        findings.push({
          messageId: 'mismatch',
          data: {
            exposed: e.text,
            port: p.port,
            source: p.source,
            how: p.how.en,
            how_ru: p.how.ru,
            hostPort: claimed ?? p.port,
            claim: fromClaim ? ` The task text says ${claimed}; the code decides.` : '',
            claim_ru: fromClaim ? ` В тексте задания — ${claimed}, но решает код.` : '',
          },
          range: e.range,
          fixes: [{ title: t(`Expose ${p.port}`, `Указать EXPOSE ${p.port}`), edits: [{ range: e.range, newText: String(p.port) }] }],
        });
      } else {
        const last = exposed[exposed.length - 1];
        const end = analysis.argsRange(last.instr)?.end ?? last.instr.range.end;
        findings.push({
          messageId: 'notExposed',
          data: { port: p.port, source: p.source, how: p.how.en, how_ru: p.how.ru },
          range: last.range,
          fixes: [{ title: t(`Expose ${p.port} too`, `Добавить ${p.port} в EXPOSE`), edits: [{ range: { start: end, end }, newText: ` ${p.port}` }] }],
        });
      }
    });
    return findings;
  },
};
