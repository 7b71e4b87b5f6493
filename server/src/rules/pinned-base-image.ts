/**
 * Course rule 3: every external FROM is pinned at least to the minor version, or to a digest.
 * The fix picks a real tag from the shipped catalog (never a made-up one) and keeps the variant.
 */
import { ALL_TASKS } from '../engine/types';
import type { Stage } from '../engine/analysis';
import { fromImageRanges, hasUnescapedDollar, imageKey, isDistroless } from '../engine/image';
import type { Finding, Fix, LocalizedText, Range, Rule, RuleContext, TextEdit } from '../engine/types';
import { TagInfo, chooseDistrolessTag, chooseGateNodeTag, chooseTag, classifyTag } from '../catalog/catalog';
import { keywordRange, t } from './util';

const MESSAGES = {
  missingTag: t(
    '`{image}` has no tag, so Docker pulls `latest`: the base image changes with every release and the build is not reproducible. Pin a version at least to the minor (`<major>.<minor>`) or a digest.',
    'У `{image}` нет тега, поэтому Docker берёт `latest`: базовый образ меняется с каждым релизом, и сборка не воспроизводима. Закрепите версию хотя бы до минорной (`<major>.<minor>`) или укажите digest.',
  ),
  movingTag: t(
    '`{ref}` is a moving tag: it points to another version after each release. Pin a version at least to the minor (`<major>.<minor>`) or a digest.',
    '`{ref}` — плавающий тег: после каждого релиза он указывает на другую версию. Закрепите версию хотя бы до минорной (`<major>.<minor>`) или укажите digest.',
  ),
  majorOnly: t(
    '`{ref}` pins only the major version {major}: every minor release changes the base image. Pin at least the minor (`{major}.<minor>`) or a digest.',
    '`{ref}` закрепляет только мажорную версию {major}: каждый минорный релиз меняет базовый образ. Закрепите хотя бы минорную версию (`{major}.<minor>`) или укажите digest.',
  ),
  bareVariant: t(
    '`{ref}` names no version, only `{tag}`: it follows the newest release. Put a version pinned at least to the minor in front (`<major>.<minor>-{tag}`) or use a digest.',
    '`{ref}` не называет версию, только `{tag}`: тег следует за новейшим релизом. Укажите перед ним версию, закреплённую хотя бы до минорной (`<major>.<minor>-{tag}`), или digest.',
  ),
  distrolessTag: t(
    'Distroless images have no version tags, so the course wants `{image}` with an explicit tag other than `latest` (`nonroot`, `debug-nonroot`, ...) or a digest (`@sha256:...`).',
    'У distroless-образов нет тегов с версиями, поэтому курс требует `{image}` с явным тегом, отличным от `latest` (`nonroot`, `debug-nonroot`, ...), или с digest (`@sha256:...`).',
  ),
} satisfies Record<string, LocalizedText>;

const FIX_TITLES = {
  pin: t('Pin {image} to {fixTag}', 'Закрепить {image} на {fixTag}'),
  gate: t(
    'Pin node to {fixTag} (an LTS release on alpine3.17, as the gate task requires)',
    'Закрепить node на {fixTag} (LTS-релиз на alpine3.17, как требует gate-задание)',
  ),
  distroless: t(
    'Use {image}:{fixTag} (an explicit tag; the image runs as the non-root user 65532)',
    'Использовать {image}:{fixTag} (явный тег; образ работает от непривилегированного пользователя 65532)',
  ),
} satisfies Record<string, LocalizedText>;

const KIND_MESSAGE: Record<Exclude<TagInfo['kind'], 'pinned'>, keyof typeof MESSAGES> = {
  none: 'missingTag',
  moving: 'movingTag',
  major: 'majorOnly',
  variant: 'bareVariant',
};

/** The image as written (variables expanded), without tag and digest: `node`, `gcr.io/distroless/base-debian11`. */
function imageName(text: string): string {
  const noDigest = text.split('@')[0];
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

function checkStage(ctx: RuleContext, stage: Stage): Finding | undefined {
  const { analysis } = ctx;
  const base = stage.base;
  // scratch and earlier stages are exempt; `unknown` depends on a --build-arg nobody can know here.
  if (base.kind !== 'image') return undefined;
  const { ref } = base;
  if (ref.digest) return undefined;

  const from = stage.from;
  const raw = from.getImage() ?? '';
  // An unescaped `$` in the FROM text: the image (or its tag) comes from a variable.
  const fromVariable = hasUnescapedDollar(raw, analysis.escape);
  const ranges = fromImageRanges(analysis, from);
  const tagRange = ranges?.tag ?? null;
  const hasTagText = !!tagRange && ranges?.tagText !== '';
  // What came through a variable has no text of its own to point at or edit: the whole image, no fix.
  const range: Range = (fromVariable ? ranges?.image : hasTagText ? tagRange : ranges?.fullName) ?? keywordRange(stage.fromInstr);

  const key = imageKey(ref);
  const image = imageName(base.text);
  const tag = ref.tag ?? '';
  const data: Record<string, string | number> = { image, tag, ref: tag ? `${image}:${tag}` : image };

  let messageId: keyof typeof MESSAGES;
  let fixTag: string | undefined;
  let title: LocalizedText = FIX_TITLES.pin;
  if (isDistroless(ref)) {
    // Distroless publishes only flavour tags (nonroot, debug, ...): any explicit one but latest is a choice.
    if (tag !== '' && !/^latest(-|$)/.test(tag)) return undefined;
    messageId = 'distrolessTag';
    fixTag = chooseDistrolessTag(key, ref.tag);
    title = FIX_TITLES.distroless;
  } else {
    const info = classifyTag(ref.tag, key);
    if (info.kind === 'pinned') return undefined;
    messageId = KIND_MESSAGE[info.kind];
    if (info.kind === 'major') data.major = info.version[0];
    if (ctx.task.name === 'gate' && key === 'node') {
      fixTag = chooseGateNodeTag(info);
      title = FIX_TITLES.gate;
    } else {
      fixTag = chooseTag(key, info);
    }
  }

  const finding: Finding = { messageId, data, range };
  if (fixTag && !fromVariable) {
    let edit: TextEdit | undefined;
    if (tagRange) edit = { range: tagRange, newText: fixTag };
    else if (ranges) edit = { range: { start: ranges.nameEnd, end: ranges.nameEnd }, newText: `:${fixTag}` };
    if (edit) {
      data.fixTag = fixTag;
      const fix: Fix = { title, edits: [edit], preferred: true };
      finding.fixes = [fix];
    }
  }
  return finding;
}

export const pinnedBaseImage: Rule = {
  id: 'pinned-base-image',
  courseRule: 3,
  title: t('Pinned base image', 'Закреплённый базовый образ'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: MESSAGES,
  check(ctx) {
    const findings: Finding[] = [];
    for (const stage of ctx.analysis.stages) {
      const f = checkStage(ctx, stage);
      if (f) findings.push(f);
    }
    return findings;
  },
};
