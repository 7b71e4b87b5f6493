/**
 * Course rule 17, gate task: the HMAC algorithm and secret are hardcoded in index.js, at lines the
 * developers marked `FIXME:`; the task wants both from `HMAC_ALGO` and `HMAC_SECRET` at run time.
 * Reported in index.js. The fix reads `process.env`: the algorithm keeps its current value as the
 * fallback (it is not a secret, and the task names it: HMAC-SHA256); the secret gets none, since a
 * default secret is a hardcoded secret. The resolved FIXME comment goes with it.
 */
import type { Finding, Fix, Rule, TextEdit } from '../engine/types';
import { nodeFacts, HardcodedValue } from '../engine/facts/node';
import { where } from './facts-util';
import { t } from './util';

export const hardcodedSecret: Rule = {
  id: 'hardcoded-secret',
  courseRule: 17,
  title: t('HMAC algorithm and secret from the environment', 'Алгоритм и секрет HMAC — из окружения'),
  defaultSeverity: 'error',
  // The HMAC service is the gate task's; any other project with the same FIXME still gets a warning.
  tasks: ['gate', 'generic'],
  messages: {
    algorithm: t(
      'The HMAC algorithm is hardcoded here ({source}, marked "{comment}"): `docker run -e HMAC_ALGO=...` changes nothing. The task wants it from the environment: read `process.env.HMAC_ALGO`.',
      'Алгоритм HMAC здесь захардкожен ({source}, помечено «{comment}»): `docker run -e HMAC_ALGO=...` ничего не изменит. По заданию он берётся из окружения: читайте `process.env.HMAC_ALGO`.',
    ),
    secret: t(
      'The HMAC secret is hardcoded here ({source}, marked "{comment}"): it ships in the public image for anyone to read, and `docker run -e HMAC_SECRET=...` changes nothing. Read `process.env.HMAC_SECRET` and pass it at run time.',
      'Секрет HMAC здесь захардкожен ({source}, помечено «{comment}»): он попадёт в публичный образ, его сможет прочитать любой, а `docker run -e HMAC_SECRET=...` ничего не изменит. Читайте `process.env.HMAC_SECRET` и передавайте секрет при запуске.',
    ),
    secretFallback: t(
      'The HMAC secret falls back to a hardcoded value when {env} is not set ({source}): the value ships in the public image, and a container started without `-e HMAC_SECRET=...` silently uses it. Drop the fallback: the secret comes only from the environment.',
      'Секрет HMAC без {env} берёт захардкоженное значение ({source}): оно попадёт в публичный образ, а контейнер, запущенный без `-e HMAC_SECRET=...`, молча будет его использовать. Уберите значение по умолчанию: секрет берётся только из окружения.',
    ),
  },
  check({ analysis, task }) {
    const facts = nodeFacts(analysis.project);
    const findings: Finding[] = [];
    for (const h of facts.hardcoded) {
      const f = finding(h);
      if (f) findings.push({ ...f, severity: task.name === 'generic' ? 'warning' : undefined });
    }
    return findings;
  },
};

function finding(h: HardcodedValue): Finding | undefined {
  const source = where(h.literal);
  const data = { source, comment: h.comment.text, env: h.fallbackOf?.name ?? '' };
  const removeComment: TextEdit = { range: h.commentRemoval, newText: '' };
  if (h.fallbackOf) {
    // `process.env.HMAC_ALGO || 'sha256'` is the intended shape for the algorithm.
    if (h.variable === 'HMAC_ALGO') return undefined;
    const fix: Fix | undefined =
      h.fallbackRange && h.wholeValue
        ? { title: t('Drop the hardcoded fallback secret', 'Убрать захардкоженный секрет по умолчанию'), edits: [removeComment, { range: h.fallbackRange, newText: '' }] }
        : undefined;
    return { messageId: 'secretFallback', file: h.literal.file, range: h.literal.range, data, fixes: fix ? [fix] : undefined };
  }
  const replacement = h.variable === 'HMAC_ALGO' ? `process.env.HMAC_ALGO || ${h.literal.raw}` : 'process.env.HMAC_SECRET';
  const fix: Fix | undefined = h.wholeValue
    ? {
        title: h.variable === 'HMAC_ALGO' ? t('Read the algorithm from HMAC_ALGO (default {value})', 'Читать алгоритм из HMAC_ALGO (по умолчанию {value})') : t('Read the secret from HMAC_SECRET', 'Читать секрет из HMAC_SECRET'),
        edits: [removeComment, { range: h.literal.range, newText: replacement }],
      }
    : undefined;
  return {
    messageId: h.variable === 'HMAC_ALGO' ? 'algorithm' : 'secret',
    file: h.literal.file,
    range: h.literal.range,
    data: { ...data, value: h.literal.raw },
    fixes: fix ? [fix] : undefined,
  };
}
