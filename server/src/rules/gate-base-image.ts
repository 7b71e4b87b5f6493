/**
 * Gate task: the base is the official `node` image on alpine 3.17, an LTS (even) major. Pinning to
 * the minor is pinned-base-image's; this rule checks the choice. The fix picks a real tag from the
 * shipped catalog (the newest even-major alpine3.17 tag in the version line the Dockerfile names).
 */
import type { Finding, Fix, Range, Rule } from '../engine/types';
import { ChooseOptions, chooseGateNodeTag, chooseTag, classifyTag } from '../catalog/catalog';
import { keywordRange, t } from './util';
import { fromImageRanges, hasUnescapedDollar } from '../engine/image';

/** The gate's fitting tags: the course's Alpine and an even (LTS) major, nothing outside the version line asked. */
const GATE_FITTING: ChooseOptions = { variant: 'alpine3.17', evenMajor: true, fallback: false };

export const gateBaseImage: Rule = {
  id: 'gate-base-image',
  courseRule: 3,
  title: t('Official node image on alpine 3.17, an LTS release', 'Официальный образ node на alpine 3.17, LTS-релиз'),
  defaultSeverity: 'error',
  tasks: ['gate'],
  messages: {
    notNode: t(
      'The gate task wants the official node image on alpine 3.17 ("официальный образ ноды на базе alpine 3.17"); `{image}` is not it. Use `node:<LTS version>-alpine3.17`, e.g. `node:18.16.0-alpine3.17`.',
      'Gate-задание требует официальный образ ноды на базе alpine 3.17; `{image}` — не он. Используйте `node:<LTS-версия>-alpine3.17`, например `node:18.16.0-alpine3.17`.',
    ),
    notAlpine317: t(
      '`{image}` is not on alpine 3.17: {variantText}. The task asks for the node image on alpine 3.17: a tag ending in `-alpine3.17`{suggestion}.',
      '`{image}` — не на alpine 3.17: {variantText}. Задание требует образ ноды на alpine 3.17: тег с окончанием `-alpine3.17`{suggestion}.',
    ),
    oddMajor: t(
      'Node {major} is not an LTS release (only even majors become LTS; odd ones are out of support within months), and the project runs on "the latest LTS". Use an even major on alpine 3.17{suggestion}.',
      'Node {major} — не LTS-релиз (LTS становятся только чётные major-версии, нечётные теряют поддержку за несколько месяцев), а проект работает на «последней LTS». Используйте чётную major-версию на alpine 3.17{suggestion}.',
    ),
  },
  check({ analysis }) {
    const final = analysis.finalStage;
    if (!final) return [];
    // The base at the bottom of the final stage's FROM chain; FROM <stage> is followed.
    const stage = analysis.chain(final).reverse()[0];
    const base = stage.base;
    if (base.kind === 'unknown' || base.kind === 'stage') return [];
    const from = stage.from;
    const fromVariable = hasUnescapedDollar(from.getImage() ?? '', '\\');
    const imageRange: Range = from.getImageRange() ?? keywordRange(stage.fromInstr);
    if (base.kind === 'scratch') return [{ messageId: 'notNode', data: { image: 'scratch' }, range: imageRange }];
    const { ref } = base;
    const image = base.text;
    if (ref.repository !== 'node' || (ref.registry !== undefined && ref.registry !== 'docker.io')) {
      return [{ messageId: 'notNode', data: { image }, range: imageRange }];
    }
    // A digest alone says nothing readable about the variant or version.
    if (ref.tag === undefined && ref.digest) return [];
    const info = classifyTag(ref.tag, 'node');
    const ranges = fromImageRanges(analysis, from);
    const tagRange = ranges?.tag ?? null;
    const range = tagRange && ref.tag ? tagRange : imageRange;
    // The newest fitting tag of the same version line, else of the same major, else any even major.
    const fixTag =
      chooseTag('node', info, GATE_FITTING) ??
      (info.version.length > 1 ? chooseTag('node', { ...info, version: info.version.slice(0, 1) }, GATE_FITTING) : undefined) ??
      chooseGateNodeTag(info);
    const fix = (): Fix[] | undefined => {
      if (!fixTag || fromVariable || ref.digest) return undefined;
      const nameEnd = ranges?.nameEnd;
      const edit = tagRange && ref.tag ? { range: tagRange, newText: fixTag } : nameEnd ? { range: { start: nameEnd, end: nameEnd }, newText: `:${fixTag}` } : undefined;
      return edit ? [{ title: t(`Use node:${fixTag}`, `Использовать node:${fixTag}`), edits: [edit], preferred: true }] : undefined;
    };
    const suggestion = fixTag ? `, e.g. \`node:${fixTag}\`` : '';
    const suggestion_ru = fixTag ? `, например \`node:${fixTag}\`` : '';
    const findings: Finding[] = [];
    if (info.variant !== 'alpine3.17') {
      const variantText =
        info.variant === ''
          ? { en: 'the tag names no variant, which means Debian', ru: 'тег не называет вариант, а это значит Debian' }
          : info.variant === 'alpine'
            ? { en: '`alpine` follows the newest Alpine release, not 3.17', ru: '`alpine` следует за новейшим релизом Alpine, а не за 3.17' }
            : { en: `the variant is \`${info.variant}\``, ru: `вариант — \`${info.variant}\`` };
      findings.push({
        messageId: 'notAlpine317',
        data: { image, variantText: variantText.en, variantText_ru: variantText.ru, suggestion, suggestion_ru },
        range,
        fixes: fix(),
      });
      return findings;
    }
    if (info.version.length > 0 && info.version[0] % 2 === 1) {
      findings.push({ messageId: 'oddMajor', data: { major: info.version[0], suggestion, suggestion_ru }, range, fixes: fix() });
    }
    return findings;
  },
};
