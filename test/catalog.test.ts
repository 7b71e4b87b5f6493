/** The tag catalog: reading tags, choosing a real replacement, and the shipped data itself. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CATALOG,
  CatalogData,
  TagInfo,
  chooseDistrolessTag,
  chooseGateNodeTag,
  chooseTag,
  classifyTag,
  compareVersions,
} from '../server/src/catalog/catalog';

const info = (kind: TagInfo['kind'], version: number[] = [], variant = '', lts = false): TagInfo => ({ kind, version, variant, lts });

describe('classifyTag', () => {
  const table: [string | undefined, string, TagInfo][] = [
    [undefined, 'node', info('none')],
    ['', 'node', info('none')],
    ['latest', 'node', info('moving')],
    ['lts', 'node', info('moving', [], '', true)],
    ['lts-alpine3.17', 'node', info('moving', [], 'alpine3.17', true)],
    ['current-slim', 'node', info('moving', [], 'slim')],
    ['edge', 'alpine', info('moving')],
    ['18', 'node', info('major', [18])],
    ['18-alpine3.17', 'node', info('major', [18], 'alpine3.17')],
    ['3-slim', 'python', info('major', [3], 'slim')],
    ['hydrogen-alpine', 'node', info('major', [18], 'alpine', true)],
    ['iron', 'node', info('major', [20], '', true)],
    ['hydrogen', 'python', info('variant', [], 'hydrogen')],
    ['18.16', 'node', info('pinned', [18, 16])],
    ['18.16.0', 'node', info('pinned', [18, 16, 0])],
    ['v1.2.3', 'myorg/app', info('pinned', [1, 2, 3])],
    ['3.11.6-slim-bookworm', 'python', info('pinned', [3, 11, 6], 'slim-bookworm')],
    ['1.19-bullseye', 'golang', info('pinned', [1, 19], 'bullseye')],
    ['22.04', 'ubuntu', info('pinned', [22, 4])],
    ['alpine', 'node', info('variant', [], 'alpine')],
    ['slim', 'node', info('variant', [], 'slim')],
    ['bookworm', 'node', info('variant', [], 'bookworm')],
    ['bookworm', 'debian', info('major', [12])],
    ['bookworm-slim', 'debian', info('major', [12], 'slim')],
    ['jammy', 'ubuntu', info('pinned', [22, 4])],
    ['jammy-20240111', 'ubuntu', info('pinned')],
    ['bookworm-20240110-slim', 'debian', info('pinned')],
    ['3f2a9c1', 'ghcr.io/org/app', info('pinned')],
    ['sha-3f2a9c1', 'ghcr.io/org/app', info('pinned')],
    ['deadbeef', 'ghcr.io/org/app', info('variant', [], 'deadbeef')],
    ['prod', 'myorg/app', info('variant', [], 'prod')],
  ];
  for (const [tag, image, expected] of table) {
    it(`${image}:${tag ?? '(none)'}`, () => assert.deepEqual(classifyTag(tag, image), expected));
  }
});

describe('compareVersions', () => {
  it('orders numerically, not as text', () => assert.ok(compareVersions([18, 19, 0], [18, 2, 0]) > 0));
  it('ranks the more specific version higher on an equal prefix', () => assert.ok(compareVersions([18, 19, 0], [18, 19]) > 0));
  it('is zero for equal versions', () => assert.equal(compareVersions([1, 2], [1, 2]), 0));
});

const FIXTURE: CatalogData = {
  generated: '2000-01-01',
  source: 'test',
  images: {
    node: [
      '18.2.0-alpine3.17',
      '18.16.0-alpine3.17',
      '18.19.0-alpine3.17',
      '18.19',
      '18.19.0',
      '19.5.0-alpine3.17',
      '20.10.0-alpine3.17',
      '21.1.0-alpine3.17',
      '20.11.1',
      '21.0.0',
      '22.1.0-alpine',
    ],
    'distroless/base-debian11': ['debug', 'latest', 'nonroot', 'nonroot-amd64'],
  },
};
const choose = (tag: string | undefined) => chooseTag('node', classifyTag(tag, 'node'), {}, FIXTURE);
const gate = (tag: string | undefined) => chooseGateNodeTag(classifyTag(tag, 'node'), FIXTURE);

describe('chooseTag', () => {
  it('keeps the version line and the variant: 18-alpine3.17 -> newest 18.x.y-alpine3.17', () => assert.equal(choose('18-alpine3.17'), '18.19.0-alpine3.17'));
  it('prefers the patch over a minor alias of the same version', () => assert.equal(choose('18'), '18.19.0'));
  it('no tag -> the newest plain version', () => assert.equal(choose(undefined), '21.0.0'));
  it('latest -> the newest plain version', () => assert.equal(choose('latest'), '21.0.0'));
  it('a bare variant -> the newest version with that variant', () => assert.equal(choose('alpine3.17'), '21.1.0-alpine3.17'));
  it('lts -> only even majors', () => assert.equal(choose('lts-alpine3.17'), '20.10.0-alpine3.17'));
  it('a codename -> its major line', () => assert.equal(choose('hydrogen-alpine3.17'), '18.19.0-alpine3.17'));
  it('nothing in the line the user named -> no fix', () => assert.equal(choose('16-alpine3.17'), undefined));
  it('no tag with that variant -> no fix', () => assert.equal(choose('bookworm'), undefined));
  it('an image the catalog does not know -> no fix', () => assert.equal(chooseTag('myorg/app', classifyTag('latest'), {}, FIXTURE), undefined));
});

describe('chooseGateNodeTag (LTS major on alpine3.17)', () => {
  it('keeps an even major the user named', () => assert.equal(gate('18'), '18.19.0-alpine3.17'));
  it('switches the variant to alpine3.17', () => assert.equal(gate('18-bullseye'), '18.19.0-alpine3.17'));
  it('moves an odd major to the newest LTS', () => assert.equal(gate('19-alpine3.17'), '20.10.0-alpine3.17'));
  it('no tag -> the newest LTS on alpine3.17', () => assert.equal(gate(undefined), '20.10.0-alpine3.17'));
  it('a major without an alpine3.17 build -> the newest LTS that has one', () => assert.equal(gate('22-alpine'), '20.10.0-alpine3.17'));
});

describe('chooseDistrolessTag', () => {
  it('no tag -> nonroot', () => assert.equal(chooseDistrolessTag('distroless/base-debian11', undefined, FIXTURE), 'nonroot'));
  it('latest -> nonroot', () => assert.equal(chooseDistrolessTag('distroless/base-debian11', 'latest', FIXTURE), 'nonroot'));
  it('keeps an arch suffix', () => assert.equal(chooseDistrolessTag('distroless/base-debian11', 'latest-amd64', FIXTURE), 'nonroot-amd64'));
  it('an arch the catalog lacks -> no fix', () => assert.equal(chooseDistrolessTag('distroless/base-debian11', 'latest-arm64', FIXTURE), undefined));
  it('an unknown distroless image -> no fix', () => assert.equal(chooseDistrolessTag('distroless/java17-debian11', undefined, FIXTURE), undefined));
});

describe('the shipped catalog', () => {
  const has = (image: string, tag: string) => CATALOG.images[image]?.includes(tag) ?? false;
  const versionsOf = (image: string, major: string, variant: string) =>
    (CATALOG.images[image] ?? []).filter((t) => {
      const i = classifyTag(t, image);
      return String(i.version[0]) + (image === 'golang' ? `.${i.version[1]}` : '') === major && i.variant === variant;
    });

  it('records where and when it came from', () => {
    assert.match(CATALOG.generated, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(CATALOG.source.length > 0);
  });

  it('holds only tags the rule accepts as pinned, so every suggestion passes', () => {
    for (const [image, tags] of Object.entries(CATALOG.images)) {
      if (image.startsWith('distroless/')) continue;
      for (const tag of tags) {
        const i = classifyTag(tag, image);
        assert.ok(i.kind === 'pinned' && i.version.length >= 2, `${image}:${tag} is ${i.kind}`);
      }
    }
  });

  it('covers node 16/18/20/22 in the variants the course meets', () => {
    for (const major of ['16', '18', '20', '22']) {
      for (const variant of ['', 'alpine', 'alpine3.18', 'slim', 'bookworm', 'bookworm-slim', 'bullseye', 'bullseye-slim']) {
        assert.ok(versionsOf('node', major, variant).length > 0, `node ${major} ${variant || '(plain)'}`);
      }
    }
    // alpine3.17 builds stopped before node 22 existed (last: 16.20.2, 18.19.0, 20.10.0).
    for (const major of ['16', '18', '20']) assert.ok(versionsOf('node', major, 'alpine3.17').length > 0, `node ${major} alpine3.17`);
    assert.deepEqual(versionsOf('node', '22', 'alpine3.17'), []);
  });

  it('covers golang 1.19-1.23 with alpine, bullseye and bookworm', () => {
    for (const minor of ['1.19', '1.20', '1.21', '1.22', '1.23']) {
      for (const variant of ['', 'alpine', 'bullseye', 'bookworm']) assert.ok(versionsOf('golang', minor, variant).length > 0, `golang ${minor} ${variant}`);
    }
  });

  it('has the distroless flavour tags', () => {
    for (const image of ['distroless/base-debian11', 'distroless/static-debian11', 'distroless/base-debian12']) {
      for (const tag of ['latest', 'nonroot', 'debug', 'debug-nonroot']) assert.ok(has(image, tag), `${image}:${tag}`);
    }
  });

  it('has python, alpine, debian and ubuntu', () => {
    assert.ok(has('python', '3.11.6-slim-bookworm'));
    assert.ok(has('alpine', '3.18.4'));
    assert.ok(has('debian', '12.5-slim'));
    assert.ok(has('ubuntu', '22.04'));
  });

  it('gives the gate task an LTS release on alpine3.17', () => {
    assert.equal(chooseGateNodeTag(classifyTag(undefined, 'node')), '20.10.0-alpine3.17');
    assert.equal(chooseGateNodeTag(classifyTag('18-alpine3.17', 'node')), '18.19.0-alpine3.17');
  });

  it('agrees with the refresh script on which tags are version-like, and on their order', async () => {
    // The script is plain ESM for Node; tsc would turn import() into require(), so load it as ESM by hand.
    const load = new Function('u', 'return import(u)') as (
      u: string,
    ) => Promise<{ keepTag(k: string, t: string): boolean; compareTags(a: string, b: string): number; formatCatalog(d: unknown): string }>;
    const script = await load(pathToFileURL(path.resolve(__dirname, '../../scripts/refresh-catalog.mjs')).href);
    const samples = ['18', '18.16', '18.16.0-alpine3.17', 'latest', 'alpine', '3.11.6-slim-bookworm', '1.21rc2', 'lts-alpine', '22.04', 'v1.2.3'];
    for (const tag of samples) {
      const i = classifyTag(tag, 'node');
      assert.equal(script.keepTag('node', tag), i.kind === 'pinned' && i.version.length >= 2, tag);
    }
    for (const [image, tags] of Object.entries(CATALOG.images)) {
      assert.ok(tags.every((t) => script.keepTag(image, t)), `${image}: a tag the script would drop`);
      assert.deepEqual([...tags].sort(script.compareTags), tags, `${image} is not in the script's order`);
    }
    // Written in the script's layout, so the first refresh diffs only the tags that changed.
    const shipped = fs.readFileSync(path.resolve(__dirname, '../../server/src/catalog/tags.json'), 'utf8');
    assert.equal(script.formatCatalog(JSON.parse(shipped)), shipped);
  });
});
