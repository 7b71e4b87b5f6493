import type { From } from 'dockerfile-ast';
import type { Analysis } from './analysis';

/** An image reference split into its parts: `[registry/]repository[:tag][@digest]`. */
export interface ImageRef {
  registry: string | undefined;
  /** Repository path without the registry; Docker Hub's `library/` prefix removed. */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

export function parseImageRef(ref: string): ImageRef | undefined {
  const text = ref.trim();
  if (!text || /\s/.test(text)) return undefined;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (!rest) return undefined;
  let repository = rest;
  if ((registry === undefined || registry === 'docker.io' || registry === 'index.docker.io') && repository.startsWith('library/')) {
    repository = repository.slice('library/'.length);
  }
  if (registry === 'docker.io' || registry === 'index.docker.io') registry = undefined;
  return { registry, repository, tag, digest };
}

/** The short name used by the catalog and by user-fitting rules: `node`, `golang`, `distroless/base-debian11`. */
export function imageKey(ref: ImageRef): string {
  if (ref.registry === 'gcr.io' && ref.repository.startsWith('distroless/')) return ref.repository;
  return ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
}

export function isDistroless(ref: ImageRef): boolean {
  return ref.registry === 'gcr.io' && ref.repository.startsWith('distroless/');
}

/** Where the parts of a FROM image argument are, in document offsets (`end` exclusive). */
export interface ImageSpans {
  image: [number, number];
  registry?: [number, number];
  /** The repository path, without the registry. */
  name: [number, number];
  tag?: [number, number];
  digest?: [number, number];
}

/**
 * Splits the image argument as written, in linear time: dockerfile-ast's own From range getters resolve
 * variables over the whole file on every call, which is quadratic in the number of stages. A `:` or `@`
 * inside a variable (`${V:-x}`) is not a separator.
 */
export function imageSpans(text: string, start: number): ImageSpans {
  const masked = text.includes('$') ? text.replace(/\$\{[^}]*\}?|\$[A-Za-z_][A-Za-z0-9_]*/g, (m) => 'x'.repeat(m.length)) : text;
  const end = start + text.length;
  const at = masked.indexOf('@');
  const beforeDigest = at >= 0 ? masked.slice(0, at) : masked;
  let nameStart = 0;
  let registry: [number, number] | undefined;
  const slash = beforeDigest.indexOf('/');
  if (slash > 0) {
    const first = beforeDigest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = [start, start + slash];
      nameStart = slash + 1;
    }
  }
  const colon = beforeDigest.lastIndexOf(':');
  const hasTag = colon > beforeDigest.lastIndexOf('/') && colon >= nameStart;
  const nameEnd = hasTag ? colon : beforeDigest.length;
  return {
    image: [start, end],
    registry,
    name: [start + nameStart, start + nameEnd],
    tag: hasTag ? [start + colon + 1, start + beforeDigest.length] : undefined,
    digest: at >= 0 ? [start + at + 1, end] : undefined,
  };
}

/**
 * A FROM's image argument's parts as document ranges (the registry is part of the name range here),
 * from imageSpans: dockerfile-ast's getImageTagRange parses the instruction's variables on every call
 * (2% of a 50-line check).
 */
export function fromImageRanges(analysis: Analysis, from: From) {
  const imageRange = from.getImageRange();
  if (!imageRange) return undefined;
  const start = analysis.offsetAt(imageRange.start);
  const spans = imageSpans(analysis.text.slice(start, analysis.offsetAt(imageRange.end)), start);
  const range = (span: [number, number] | undefined) => (span ? analysis.rangeOf(span[0], span[1]) : null);
  return {
    image: imageRange,
    fullName: analysis.rangeOf(spans.registry?.[0] ?? spans.name[0], spans.name[1]),
    nameEnd: analysis.doc.positionAt(spans.name[1]),
    tag: range(spans.tag),
    tagText: spans.tag ? analysis.text.slice(spans.tag[0], spans.tag[1]) : '',
  };
}

/**
 * Is there a `$` at the start of `text` or after a character other than `escape`? A FROM image with
 * one comes (in part) from a variable.
 */
export function hasUnescapedDollar(text: string, escape: string): boolean {
  for (let i = text.indexOf('$'); i >= 0; i = text.indexOf('$', i + 1)) if (i === 0 || text[i - 1] !== escape) return true;
  return false;
}
