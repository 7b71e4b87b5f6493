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
