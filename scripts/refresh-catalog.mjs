#!/usr/bin/env node
// Refreshes server/src/catalog/tags.json from a registry that speaks the Docker Registry HTTP API v2
// (GET /v2/<name>/tags/list, `Link` pagination, anonymous Bearer tokens as Docker Hub hands them out).
//
//   node scripts/refresh-catalog.mjs --registry https://registry-1.docker.io [--images node,golang]
//        [--out server/src/catalog/tags.json] [--page-size 1000]
//
// Only version-like tags (pinned at least to major.minor) are kept: the catalog exists to suggest pins.
// Images not named are kept as they are, so one registry can be refreshed without losing another's.
// Node's built-ins only: this runs in CI and on students' machines without installing anything.
import { readFileSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_OUT = join(ROOT, 'server/src/catalog/tags.json');
const TIMEOUT_MS = 30_000;

// Same notion of "pinned" as classifyTag in server/src/catalog/catalog.ts: major.minor[.patch...][-variant].
const VERSION_LIKE = /^v?\d+(\.\d+)+([-_][0-9A-Za-z][0-9A-Za-z._-]*)?$/;
// Distroless publishes no version tags at all; its flavour tags are the explicit choices the course accepts.
const DISTROLESS_FLAVOURS = new Set(['latest', 'nonroot', 'debug', 'debug-nonroot']);

function usage(message) {
  if (message) console.error(`refresh-catalog: ${message}`);
  console.error('usage: node scripts/refresh-catalog.mjs --registry <url> [--images a,b] [--out <file>] [--page-size <n>]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { out: DEFAULT_OUT, pageSize: 1000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--registry') opts.registry = value();
    else if (flag === '--images') opts.images = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (flag === '--out') opts.out = resolve(value());
    else if (flag === '--page-size') opts.pageSize = Number(value());
    else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown argument ${arg}`);
  }
  if (!opts.registry) usage('--registry is required');
  if (!/^https?:\/\//.test(opts.registry)) opts.registry = `https://${opts.registry}`;
  opts.registry = opts.registry.replace(/\/+$/, '');
  if (!Number.isInteger(opts.pageSize) || opts.pageSize < 1) usage('--page-size must be a positive integer');
  return opts;
}

const isDockerHub = (registry) => /^https?:\/\/(registry-1\.docker\.io|index\.docker\.io|docker\.io)$/.test(registry);

/** The repository path on the registry for a catalog key: Docker Hub keeps official images under library/. */
function remoteName(registry, key) {
  return isDockerHub(registry) && !key.includes('/') ? `library/${key}` : key;
}

/** `Bearer realm="...",service="...",scope="..."` -> { scheme, realm, service, scope }. */
export function parseChallenge(header) {
  const m = /^(\w+)\s+(.*)$/s.exec(header ?? '');
  if (!m) return undefined;
  const params = {};
  for (const p of m[2].matchAll(/(\w+)="([^"]*)"/g)) params[p[1]] = p[2];
  return { scheme: m[1].toLowerCase(), ...params };
}

/** `<url>; rel="next"` from a Link header, resolved against the registry. */
export function nextLink(header, base) {
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return new URL(m[1], base).toString();
  }
  return undefined;
}

const tokens = new Map();
/** Token last used per repository, sent up front so each page does not start with a 401. */
const tokenFor = new Map();

async function fetchToken(challenge, name) {
  const scope = challenge.scope ?? `repository:${name}:pull`;
  const cacheKey = `${challenge.realm} ${challenge.service} ${scope}`;
  if (tokens.has(cacheKey)) return tokens.get(cacheKey);
  const url = new URL(challenge.realm);
  if (challenge.service) url.searchParams.set('service', challenge.service);
  url.searchParams.set('scope', scope);
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) throw new Error(`token request to ${url.origin}${url.pathname} failed: HTTP ${res.status}`);
  const body = await res.json();
  const token = body.token ?? body.access_token;
  if (!token) throw new Error(`token response from ${url.origin}${url.pathname} has no token`);
  tokens.set(cacheKey, token);
  return token;
}

/** GET with anonymous Bearer auth: on 401 with a Bearer challenge, fetch a pull token and retry once. */
async function registryGet(url, name) {
  const get = (token) =>
    fetch(url, { headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  let res = await get(tokenFor.get(name));
  if (res.status === 401) {
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    if (!challenge || challenge.scheme !== 'bearer' || !challenge.realm) {
      throw new Error(`${url}: HTTP 401 without a Bearer challenge (credentials are not supported)`);
    }
    // A token we already sent was refused (expired): forget it and ask for a new one.
    if (tokenFor.has(name)) tokens.clear();
    const token = await fetchToken(challenge, name);
    tokenFor.set(name, token);
    res = await get(token);
  }
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  return res;
}

async function listTags(registry, name, pageSize) {
  const all = [];
  let url = `${registry}/v2/${name}/tags/list?n=${pageSize}`;
  const seen = new Set();
  while (url && !seen.has(url)) {
    seen.add(url);
    const res = await registryGet(url, name);
    const body = await res.json();
    all.push(...(body.tags ?? []));
    url = nextLink(res.headers.get('link'), registry);
  }
  return all;
}

export function keepTag(key, tag) {
  return VERSION_LIKE.test(tag) || (key.startsWith('distroless/') && DISTROLESS_FLAVOURS.has(tag));
}

/** Version order (numeric, shorter first on an equal prefix), then the variant; named tags alphabetically. */
export function compareTags(a, b) {
  const num = (t) => (/^v?(\d+(?:\.\d+)*)/.exec(t)?.[1]?.split('.').map(Number) ?? null);
  const va = num(a);
  const vb = num(b);
  if (!va || !vb) return va ? 1 : vb ? -1 : a < b ? -1 : a > b ? 1 : 0;
  for (let i = 0; i < Math.min(va.length, vb.length); i++) if (va[i] !== vb[i]) return va[i] - vb[i];
  if (va.length !== vb.length) return va.length - vb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function readCatalog(file) {
  if (!existsSync(file)) return { generated: '', source: '', images: {} };
  const data = JSON.parse(readFileSync(file, 'utf8'));
  if (!data || typeof data !== 'object' || typeof data.images !== 'object') throw new Error(`${file} is not a catalog (no "images")`);
  return data;
}

/** One image per line: a refresh then shows up in review as one changed line per image. */
export function formatCatalog(data) {
  const lines = ['{'];
  lines.push(`  "generated": ${JSON.stringify(data.generated)},`);
  lines.push(`  "source": ${JSON.stringify(data.source)},`);
  if (data.refreshed && Object.keys(data.refreshed).length > 0) {
    const entries = Object.keys(data.refreshed).sort().map((k) => `    ${JSON.stringify(k)}: ${JSON.stringify(data.refreshed[k])}`);
    lines.push('  "refreshed": {', entries.join(',\n'), '  },');
  }
  const images = Object.keys(data.images).sort().map((k) => `    ${JSON.stringify(k)}: ${JSON.stringify(data.images[k])}`);
  lines.push('  "images": {', images.join(',\n'), '  }', '}');
  return lines.join('\n') + '\n';
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const catalog = readCatalog(opts.out);
  const onGcr = /^https?:\/\/([a-z0-9-]+\.)?gcr\.io$/.test(opts.registry);
  const images = opts.images ?? Object.keys(catalog.images).filter((k) => k.startsWith('distroless/') === onGcr);
  if (images.length === 0) usage('no images to refresh: pass --images');

  const date = new Date().toISOString().slice(0, 10);
  const fresh = {};
  for (const key of images) {
    const name = remoteName(opts.registry, key);
    const tags = await listTags(opts.registry, name, opts.pageSize);
    const kept = [...new Set(tags.filter((t) => keepTag(key, t)))].sort(compareTags);
    if (kept.length === 0) throw new Error(`${opts.registry}/v2/${name}: no version-like tags among ${tags.length}; catalog left unchanged`);
    fresh[key] = kept;
    console.log(`${key}: ${kept.length} of ${tags.length} tags kept`);
  }
  // Written only once every image succeeded, and atomically: a half-written catalog would break the fix.
  const next = {
    ...catalog,
    generated: date,
    source: catalog.source || `Docker Registry HTTP API v2 tags/list of ${opts.registry}`,
    refreshed: { ...(catalog.refreshed ?? {}) },
    images: { ...catalog.images, ...fresh },
  };
  for (const key of images) next.refreshed[key] = { registry: opts.registry, date };
  const tmp = `${opts.out}.tmp-${process.pid}`;
  writeFileSync(tmp, formatCatalog(next));
  renameSync(tmp, opts.out);
  console.log(`wrote ${opts.out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`refresh-catalog: ${e.message}`);
    process.exit(1);
  });
}
