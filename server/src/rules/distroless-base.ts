/**
 * Distroless task: the final base is `gcr.io/distroless/base-debian11` (the customer's requirement,
 * which the developers claim to have met): not `static-` (no libc for a cgo binary), not `debian12`,
 * not another flavour. The explicit tag or digest is pinned-base-image's. The fix swaps the flavour
 * in the image name and keeps the tag (the catalog has the same tags for every flavour).
 */
import type { Finding, Range, Rule } from '../engine/types';
import { CATALOG } from '../catalog/catalog';
import { hasUnescapedDollar } from '../engine/image';
import { keywordRange, t } from './util';

const WANTED = 'distroless/base-debian11';

export const distrolessBase: Rule = {
  id: 'distroless-base',
  courseRule: 19,
  title: t('Final image: distroless base-debian11', 'Итоговый образ: distroless base-debian11'),
  defaultSeverity: 'error',
  tasks: ['distroless'],
  messages: {
    notDistroless: t(
      'The final image is `{image}`, not `gcr.io/distroless/base-debian11` as the customer required, whatever the developers say: the whole {what} ships with the app. Build in a builder stage and make the final stage `FROM gcr.io/distroless/base-debian11:nonroot`.',
      'Итоговый образ — `{image}`, а не `gcr.io/distroless/base-debian11`, как требовал заказчик, что бы ни говорили разработчики: вместе с приложением поставляется {what_ru}. Соберите программу в отдельной стадии, а итоговую стадию сделайте `FROM gcr.io/distroless/base-debian11:nonroot`.',
    ),
    static: t(
      '`{image}` has no libc: it is for static binaries, and the task keeps cgo on ("no static binary"), so the program cannot start. Use `gcr.io/distroless/base-debian11`, which has glibc.',
      'В `{image}` нет libc: он для статических бинарников, а задание оставляет cgo включённым («статически слинкованный бинарник создавать не нужно»), поэтому программа не запустится. Используйте `gcr.io/distroless/base-debian11` — в нём есть glibc.',
    ),
    wrongRelease: t(
      '`{image}` is Debian {release}; the customer required Distroless Base **Debian 11**. Use `gcr.io/distroless/base-debian11` (and a bullseye builder, so the glibc matches).',
      '`{image}` — это Debian {release}, а заказчик требовал Distroless Base **Debian 11**. Используйте `gcr.io/distroless/base-debian11` (и сборку на bullseye, чтобы совпала glibc).',
    ),
    otherFlavour: t(
      '`{image}` is not the image the customer required: use `gcr.io/distroless/base-debian11`.',
      '`{image}` — не тот образ, что требовал заказчик: используйте `gcr.io/distroless/base-debian11`.',
    ),
  },
  check({ analysis }) {
    const final = analysis.finalStage;
    if (!final) return [];
    const root = [...analysis.chain(final)].reverse()[0];
    const base = root.base;
    if (base.kind === 'unknown' || base.kind === 'stage') return [];
    const from = root.from;
    const imageRange: Range = from.getImageRange() ?? keywordRange(root.fromInstr);
    if (base.kind === 'scratch') return [{ messageId: 'notDistroless', data: { image: 'scratch', what: 'nothing but the binary', what_ru: 'только бинарник' }, range: imageRange }];
    const { ref } = base;
    const image = base.text;
    const isDistroless = ref.registry === 'gcr.io' && ref.repository.startsWith('distroless/');
    if (!isDistroless) {
      const toolchain = ref.repository === 'golang';
      return [
        {
          messageId: 'notDistroless',
          data: {
            image,
            what: toolchain ? 'Go toolchain, a shell and a package manager' : 'distribution, with its shell and package manager',
            what_ru: toolchain ? 'весь тулчейн Go, shell и пакетный менеджер' : 'весь дистрибутив с shell и пакетным менеджером',
          },
          range: imageRange,
        },
      ];
    }
    if (ref.repository === WANTED) return [];
    const name = ref.repository.slice('distroless/'.length);
    const fromVariable = hasUnescapedDollar(from.getImage() ?? '', '\\');
    const nameRange = from.getImageNameRange();
    const tag = ref.tag ?? 'latest';
    // The same tag must exist for base-debian11 (every flavour publishes the same ones).
    const canFix = !fromVariable && nameRange && (ref.digest === undefined || ref.tag !== undefined) && (CATALOG.images[WANTED]?.includes(tag) ?? false);
    const fixes = canFix
      ? [{ title: t('Use gcr.io/distroless/base-debian11', 'Использовать gcr.io/distroless/base-debian11'), edits: [{ range: nameRange!, newText: WANTED }] }]
      : undefined;
    // A digest pins the old flavour's content: swapping the name alone would pull nothing.
    const finding = (messageId: string, data: Record<string, string>): Finding => ({ messageId, data, range: nameRange ?? imageRange, fixes: ref.digest ? undefined : fixes });
    if (/^static(-|$)/.test(name)) return [finding('static', { image })];
    const release = /-debian(\d+)$/.exec(name)?.[1];
    if (release && release !== '11') return [finding('wrongRelease', { image, release })];
    return [finding('otherFlavour', { image })];
  },
};
