/**
 * Distroless task: no static binary is wanted, so cgo stays on and the binary links the builder's
 * glibc. It must not be newer than the runtime's: a bookworm builder (glibc 2.36) makes a binary that
 * base-debian11 (glibc 2.31) cannot start ("GLIBC_2.34 not found"). `golang:1.19` without a release in
 * its tag is bookworm today. Fix: the same Go version on `-bullseye`, from the catalog.
 */
import type { Stage } from '../engine/analysis';
import type { Finding, Rule } from '../engine/types';
import { CATALOG, chooseTag, classifyTag } from '../catalog/catalog';
import { hasUnescapedDollar } from '../engine/image';
import { goBuilds, stagesFeedingFinal } from './facts-util';
import { keywordRange, t } from './util';
import { table } from '../engine/lookup';

const RELEASES: Readonly<Record<string, { number: number; glibc: string }>> = table({
  buster: { number: 10, glibc: '2.28' },
  bullseye: { number: 11, glibc: '2.31' },
  bookworm: { number: 12, glibc: '2.36' },
  trixie: { number: 13, glibc: '2.41' },
});
const byNumber = (n: number): string | undefined => Object.keys(RELEASES).find((k) => RELEASES[k].number === n);

export const builderRelease: Rule = {
  id: 'builder-release',
  courseRule: 19,
  title: t('Builder on the runtime\'s Debian release (cgo on)', 'Сборка на том же релизе Debian, что и запуск (cgo включён)'),
  defaultSeverity: 'error',
  tasks: ['distroless'],
  messages: {
    newer: t(
      'The binary is built on `{builder}` (Debian {builderRelease}, glibc {builderGlibc}{implicit}) with cgo on (the task wants no static binary), so it needs that glibc or newer; `{runtime}` is Debian {runtimeRelease} with glibc {runtimeGlibc}, and the container fails to start ("GLIBC_2.xx not found"). Build on {wanted}.',
      'Бинарник собирается в `{builder}` (Debian {builderRelease}, glibc {builderGlibc}{implicit}) с включённым cgo (статический бинарник заданию не нужен), поэтому ему нужна такая же glibc или новее; `{runtime}` — это Debian {runtimeRelease} с glibc {runtimeGlibc}, и контейнер не запустится («GLIBC_2.xx not found»). Собирайте в {wanted}.',
    ),
    musl: t(
      'The binary is built on `{builder}` (Alpine, musl libc) with cgo on, but `{runtime}` has glibc: the binary looks for the musl loader, which is not there ("no such file or directory"). Build on {wanted}.',
      'Бинарник собирается в `{builder}` (Alpine, libc musl) с включённым cgo, а в `{runtime}` — glibc: бинарник ищет загрузчик musl, которого там нет («no such file or directory»). Собирайте в {wanted}.',
    ),
    implicitRelease: t(
      '`{builder}` does not say which Debian release it is built on, and the binary (cgo on) needs the glibc of its builder to be no newer than `{runtime}`\'s (Debian {runtimeRelease}). Name the release in the tag: `-{release}`.',
      '`{builder}` не говорит, на каком релизе Debian он собран, а бинарнику (cgo включён) нужна glibc сборки не новее, чем в `{runtime}` (Debian {runtimeRelease}). Укажите релиз в теге: `-{release}`.',
    ),
  },
  check({ analysis }) {
    const final = analysis.finalStage;
    if (!final) return [];
    const runtimeRoot = analysis.rootBase(final);
    if (runtimeRoot.kind === 'unknown') return [];
    const rt = runtimeRoot.kind === 'image' ? runtimeRoot.ref : undefined;
    const isDistroless = rt?.registry === 'gcr.io' && rt.repository.startsWith('distroless/');
    // Distroless base/cc (glibc) images name their Debian release; static- has no libc to match.
    const m = isDistroless ? /^distroless\/(base|cc)(?:-nossl)?-debian(\d+)$/.exec(rt!.repository) : null;
    if (isDistroless && !m) return [];
    // Not distroless yet (the developers' single golang stage): the task's final image is base-debian11.
    const runtimeNumber = m ? Number(m[2]) : 11;
    const wanted = byNumber(runtimeNumber);
    if (!wanted) return [];
    const runtime = m ? `gcr.io/${rt!.repository}` : 'gcr.io/distroless/base-debian11';
    const feeding = stagesFeedingFinal(analysis);
    const findings: Finding[] = [];
    const seen = new Set<Stage>();
    for (const build of goBuilds(analysis)) {
      // A build in a distroless final stage cannot run at all (no shell): other rules say so.
      if (!feeding.has(build.stage) || (m && build.stage === final)) continue;
      // Static after all (CGO_ENABLED=0, -extldflags -static, netgo): the glibc does not matter.
      if (build.cgo === '0' || build.cgo === null || build.staticAnyway) continue;
      const builderStage = [...analysis.chain(build.stage)].reverse()[0];
      if (seen.has(builderStage)) continue;
      seen.add(builderStage);
      const base = builderStage.base;
      if (base.kind !== 'image' || base.ref.repository !== 'golang' || base.ref.registry || base.ref.digest) continue;
      const tag = base.ref.tag;
      const info = classifyTag(tag, 'golang');
      const range = builderStage.from.getImageTagRange() ?? builderStage.from.getImageRange() ?? keywordRange(builderStage.fromInstr);
      const fromVariable = hasUnescapedDollar(builderStage.from.getImage() ?? '', '\\');
      const fixTag = fromVariable ? undefined : chooseTag('golang', info.kind === 'pinned' || info.kind === 'major' ? info : { ...info, version: [] }, { variant: wanted });
      const fix = () => {
        if (!fixTag) return undefined;
        const tagRange = builderStage.from.getImageTagRange();
        const nameRange = builderStage.from.getImageNameRange();
        const edit = tagRange && tag ? { range: tagRange, newText: fixTag } : nameRange ? { range: { start: nameRange.end, end: nameRange.end }, newText: `:${fixTag}` } : undefined;
        return edit ? [{ title: t(`Build on golang:${fixTag}`, `Собирать в golang:${fixTag}`), edits: [edit] }] : undefined;
      };
      const data: Record<string, string | number> = {
        builder: `golang${tag ? ':' + tag : ''}`,
        runtime,
        runtimeRelease: `${runtimeNumber} ${wanted}`,
        runtimeGlibc: RELEASES[wanted].glibc,
        wanted: fixTag ? `\`golang:${fixTag}\`` : `a \`-${wanted}\` golang tag`,
        wanted_ru: fixTag ? `\`golang:${fixTag}\`` : `образе golang с тегом \`-${wanted}\``,
        implicit: '',
        implicit_ru: '',
      };
      if (/^alpine/.test(info.variant)) {
        findings.push({ messageId: 'musl', data, range, fixes: fix() });
        continue;
      }
      let release = RELEASES[info.variant] ? info.variant : undefined;
      if (!release && info.variant === '') {
        release = implicitRelease(info.version, tag);
        if (release) {
          data.implicit = `; the tag names no release, and for this Go version that is ${release}`;
          data.implicit_ru = `; тег не называет релиз, а для этой версии Go это ${release}`;
        }
      }
      if (!release) {
        if (info.variant === '') {
          findings.push({ messageId: 'implicitRelease', data: { ...data, release: wanted }, range, severity: 'warning', fixes: fix() });
        }
        continue;
      }
      if (RELEASES[release].number <= runtimeNumber) continue;
      data.builderRelease = `${RELEASES[release].number} ${release}`;
      data.builderGlibc = RELEASES[release].glibc;
      findings.push({ messageId: 'newer', data, range, fixes: fix() });
    }
    return findings;
  },
};

/**
 * The Debian release behind a golang tag that names none: the catalog's newest release variant of the
 * newest version in the tag's line (the bare tag is built on that one). `latest` and no tag follow the
 * newest version of all. Undefined when the catalog cannot tell.
 */
function implicitRelease(version: number[], tag: string | undefined): string | undefined {
  const tags = CATALOG.images.golang ?? [];
  const moving = tag === undefined || tag === 'latest';
  if (!moving && version.length === 0) return undefined;
  let best: number[] | undefined;
  for (const x of tags) {
    const info = classifyTag(x, 'golang');
    if (info.kind !== 'pinned' || info.variant !== '') continue;
    if (!version.every((v, i) => info.version[i] === v)) continue;
    if (!best || compare(info.version, best) > 0) best = info.version;
  }
  if (!best) return undefined;
  const base = best.join('.');
  const releases = Object.keys(RELEASES).filter((r) => tags.includes(`${base}-${r}`));
  if (releases.length === 0) return undefined;
  return releases.sort((a, b) => RELEASES[b].number - RELEASES[a].number)[0];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
