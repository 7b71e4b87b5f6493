/**
 * The catalog of real image tags that ships with the product (tags.json), and the logic that reads a tag
 * (pinned? major only? a moving name?) and picks a real replacement for it. No network here: the catalog
 * is refreshed offline of the editor by scripts/refresh-catalog.mjs.
 */
import tagsJson from './tags.json';
import { own, table } from '../engine/lookup';

export interface CatalogData {
  /** Date the catalog was written (YYYY-MM-DD). */
  generated: string;
  /** Where the tags came from. */
  source: string;
  /** Catalog key (see `imageKey`) -> tags that exist for it. */
  images: Record<string, string[]>;
  /** Per image, the registry and date of its last refresh (written by the refresh script). */
  refreshed?: Record<string, { registry: string; date: string }>;
}

export const CATALOG: CatalogData = tagsJson as CatalogData;

export type TagKind =
  /** No tag at all (Docker then pulls `latest`). */
  | 'none'
  /** `latest`, `lts`, `current`, `edge`, ... : a name that moves to every new release. */
  | 'moving'
  /** Only a major version (`18`, `18-alpine3.17`, node's `hydrogen`). */
  | 'major'
  /** A variant or other name without any version (`alpine`, `slim`, `bookworm`). */
  | 'variant'
  /** Pinned at least to the minor, or to a date / commit snapshot. */
  | 'pinned';

export interface TagInfo {
  kind: TagKind;
  /** The numeric version the tag names (`[18, 16, 0]`); empty when it names none. */
  version: number[];
  /** What follows the version (`alpine3.17`, `slim-bookworm`); '' for a plain version. */
  variant: string;
  /** The tag stands for an LTS line (`lts`, `lts-alpine`, a node codename). */
  lts: boolean;
}

const MOVING = ['latest', 'lts', 'current', 'stable', 'edge', 'mainline', 'rolling', 'nightly', 'devel', 'unstable', 'testing', 'sid'];
const MOVING_RE = new RegExp(`^(${MOVING.join('|')})(?:-(.+))?$`);

/** Node's release codenames: each names one LTS major line, so it floats like a major-only tag. */
export const NODE_CODENAMES: Readonly<Record<string, number>> = table({
  argon: 4,
  boron: 6,
  carbon: 8,
  dubnium: 10,
  erbium: 12,
  fermium: 14,
  gallium: 16,
  hydrogen: 18,
  iron: 20,
  jod: 22,
  krypton: 24,
});

/**
 * Distribution codenames used as tags of the distribution's own image: `ubuntu:jammy` is `ubuntu:22.04`
 * (pinned like it), `debian:bookworm` is `debian:12` (major only).
 */
const DISTRO_CODENAMES: Readonly<Record<string, Readonly<Record<string, number[]>>>> = table({
  debian: table({ buster: [10], bullseye: [11], bookworm: [12], trixie: [13] }),
  ubuntu: table({ bionic: [18, 4], focal: [20, 4], jammy: [22, 4], noble: [24, 4] }),
});

const VERSION_RE = /^v?(\d+(?:\.\d+)*)(?:[-_](.+))?$/;
// A date snapshot (`jammy-20240111`, `bookworm-20240110-slim`) never moves: as pinned as a patch version.
const DATE_RE = /(?:^|[-_.])(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:$|[-_.])/;
// Commit-sha tags (`3f2a9c1`, `sha-3f2a9c1`) are immutable by convention.
const SHA_RE = /^(?:sha-|git-)?(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}$/;

/** Read a tag. `image` is the catalog key; node's codenames are only read for `node`. */
export function classifyTag(tag: string | undefined, image = ''): TagInfo {
  const info = (kind: TagKind, version: number[] = [], variant = '', lts = false): TagInfo => ({ kind, version, variant, lts });
  if (tag === undefined || tag === '') return info('none');
  const moving = MOVING_RE.exec(tag);
  if (moving) return info('moving', [], moving[2] ?? '', moving[1] === 'lts');
  if (DATE_RE.test(tag) || SHA_RE.test(tag)) return info('pinned', [], '');
  const word = /^([a-z]+)(?:-(.+))?$/.exec(tag);
  if (word && image === 'node' && word[1] in NODE_CODENAMES) return info('major', [NODE_CODENAMES[word[1]]], word[2] ?? '', true);
  const distro = word ? DISTRO_CODENAMES[image]?.[word[1]] : undefined;
  if (word && distro) return info(distro.length >= 2 ? 'pinned' : 'major', distro, word[2] ?? '');
  const v = VERSION_RE.exec(tag);
  if (v) {
    const version = v[1].split('.').map(Number);
    return info(version.length >= 2 ? 'pinned' : 'major', version, v[2] ?? '');
  }
  return info('variant', [], tag);
}

/** Numeric version order; on an equal prefix the longer (more specific) version is the greater. */
export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

const startsWith = (version: number[], prefix: number[]): boolean => prefix.every((p, i) => version[i] === p);

export interface ChooseOptions {
  /** Use this variant instead of the one the tag has (the gate task wants `alpine3.17`). */
  variant?: string;
  /** Only even (LTS) majors: node's `lts`, codenames, the gate task. */
  evenMajor?: boolean;
  /** When nothing in the version line the user named fits, take the newest that fits otherwise. */
  fallback?: boolean;
}

/**
 * A real tag to replace `current` with: same variant, pinned to a patch, in the version line the user
 * already named (`18-alpine3.17` -> newest `18.x.y-alpine3.17`), else the newest. Undefined when nothing
 * in the catalog fits: a made-up tag would break the build.
 */
export function chooseTag(image: string, current: TagInfo, opts: ChooseOptions = {}, catalog: CatalogData = CATALOG): string | undefined {
  const tags = own(catalog.images, image);
  if (!tags) return undefined;
  const variant = opts.variant ?? current.variant;
  // `lts` and the codenames mean node's even majors; other images have no such convention.
  const evenOnly = opts.evenMajor || (current.lts && image === 'node');
  // The same question comes on every check of a file: answer it once per catalog.
  const key = `${image}|${variant}|${evenOnly}|${opts.fallback ?? false}|${current.version.join('.')}`;
  let answers = chosenMemo.get(catalog);
  if (!answers || answers.size > 1000) chosenMemo.set(catalog, (answers = new Map()));
  if (answers.has(key)) return answers.get(key);
  const answer = chooseFrom(catalog, image, tags, current, variant, evenOnly, opts);
  answers.set(key, answer);
  return answer;
}
const chosenMemo = new WeakMap<CatalogData, Map<string, string | undefined>>();

function chooseFrom(catalog: CatalogData, image: string, tags: string[], current: TagInfo, variant: string, evenOnly: boolean, opts: ChooseOptions): string | undefined {
  const candidates = classified(catalog, image, tags)
    .filter(({ info }) => info.kind === 'pinned' && info.version.length >= 2 && info.variant === variant && (!evenOnly || info.version[0] % 2 === 0));
  const inLine = candidates.filter(({ info }) => startsWith(info.version, current.version));
  const pool = inLine.length > 0 || !opts.fallback ? inLine : candidates;
  let best: (typeof pool)[number] | undefined;
  for (const c of pool) if (!best || compareVersions(c.info.version, best.info.version) > 0) best = c;
  return best?.tag;
}

// A catalog's tags never change: classify each image's list once, not on every check.
const classifiedMemo = new WeakMap<CatalogData, Map<string, { tag: string; info: TagInfo }[]>>();
function classified(catalog: CatalogData, image: string, tags: string[]): { tag: string; info: TagInfo }[] {
  let perCatalog = classifiedMemo.get(catalog);
  if (!perCatalog) classifiedMemo.set(catalog, (perCatalog = new Map()));
  let list = perCatalog.get(image);
  if (!list) perCatalog.set(image, (list = tags.map((tag) => ({ tag, info: classifyTag(tag, image) }))));
  return list;
}

/** The gate task: the official node image, an LTS (even) major, on alpine3.17. */
export function chooseGateNodeTag(current: TagInfo, catalog: CatalogData = CATALOG): string | undefined {
  return chooseTag('node', current, { variant: 'alpine3.17', evenMajor: true, fallback: true }, catalog);
}

/**
 * Distroless images have no version tags. For a missing or `latest` tag the explicit choice a student needs
 * is `nonroot` (same image, runs as uid 65532), keeping an arch suffix (`latest-amd64` -> `nonroot-amd64`).
 */
export function chooseDistrolessTag(image: string, tag: string | undefined, catalog: CatalogData = CATALOG): string | undefined {
  const suffix = tag?.startsWith('latest-') ? tag.slice('latest'.length) : '';
  const wanted = `nonroot${suffix}`;
  return own(catalog.images, image)?.includes(wanted) ? wanted : undefined;
}
