/**
 * The project files around a Dockerfile (its build context): package.json, lockfiles, .dockerignore,
 * go.mod, ... Read lazily, once, through a cache that the server invalidates on file events.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface ProjectFiles {
  /** The context folder (the Dockerfile's folder), or undefined for an unsaved document. */
  readonly dir: string | undefined;
  /** The workspace root, where `dockerfile-coach.json` may also live. */
  readonly workspaceRoot: string | undefined;
  /** File content relative to `dir`, or undefined when absent or unreadable. */
  read(rel: string): string | undefined;
  exists(rel: string): boolean;
  /** Entries of a folder relative to `dir` (names only), empty when absent. */
  list(rel: string): string[];
}

/** No project around the document (an unsaved Dockerfile): no folder, no files. */
export function emptyProject(): ProjectFiles {
  return { dir: undefined, workspaceRoot: undefined, read: () => undefined, exists: () => false, list: () => [] };
}

/** A project held in memory: for tests and for documents that are not on disk. */
export function memoryProject(files: Record<string, string>, dir: string | undefined = '/project'): ProjectFiles {
  const norm = (rel: string) => path.posix.normalize(rel).replace(/^\.\//, '');
  return {
    dir,
    workspaceRoot: dir,
    read: (rel) => files[norm(rel)],
    exists: (rel) => norm(rel) in files || Object.keys(files).some((f) => f.startsWith(norm(rel) + '/')),
    list: (rel) => {
      const prefix = norm(rel) === '.' ? '' : norm(rel) + '/';
      const names = new Set<string>();
      for (const f of Object.keys(files)) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('/')[0]);
      return [...names];
    },
  };
}

/** Reads files from disk once and keeps them until told that they changed. */
export class FileCache {
  private readonly contents = new Map<string, string | undefined>();
  private readonly listings = new Map<string, string[]>();

  read(file: string): string | undefined {
    if (this.contents.has(file)) return this.contents.get(file);
    let content: string | undefined;
    try {
      const stat = fs.statSync(file);
      // Project files worth reading are small; a huge one is treated as unreadable.
      content = stat.isFile() && stat.size <= 2_000_000 ? fs.readFileSync(file, 'utf8') : undefined;
    } catch {
      content = undefined;
    }
    this.contents.set(file, content);
    return content;
  }

  list(dir: string): string[] {
    const cached = this.listings.get(dir);
    if (cached) return cached;
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      names = [];
    }
    this.listings.set(dir, names);
    return names;
  }

  /** Forget a changed file (and its folder's listing). */
  invalidate(file: string): void {
    this.contents.delete(file);
    this.listings.delete(path.dirname(file));
    this.listings.delete(file);
  }

  clear(): void {
    this.contents.clear();
    this.listings.clear();
  }
}

export function diskProject(dir: string, workspaceRoot: string | undefined, cache = new FileCache()): ProjectFiles {
  const abs = (rel: string) => path.resolve(dir, rel);
  return {
    dir,
    workspaceRoot,
    read: (rel) => cache.read(abs(rel)),
    exists: (rel) => cache.read(abs(rel)) !== undefined || cache.list(path.dirname(abs(rel))).includes(path.basename(abs(rel))),
    list: (rel) => cache.list(abs(rel)),
  };
}

export interface PackageJson {
  name?: string;
  main?: string;
  scripts?: Record<string, string>;
  packageManager?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string } | undefined;

/** package.json of the project: undefined when absent, an error when it is not valid JSON. */
export function readPackageJson(project: ProjectFiles): Parsed<PackageJson> {
  const text = project.read('package.json');
  if (text === undefined) return undefined;
  // Asked several times per check, and the file rarely changes between checks: the last text's parse is
  // kept (callers only read it).
  if (lastPackageJson?.text !== text) lastPackageJson = { text, parsed: parsePackageJson(text) };
  return lastPackageJson.parsed;
}
let lastPackageJson: { text: string; parsed: Parsed<PackageJson> } | undefined;

function parsePackageJson(text: string): Parsed<PackageJson> {
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'not a JSON object' };
    return { ok: true, value: value as PackageJson };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export type PackageManager = 'yarn1' | 'yarn-berry' | 'npm' | 'pnpm' | 'pip' | 'poetry';

export interface Lockfile {
  manager: PackageManager;
  file: string;
}

/** The lockfile the project has, which decides the package manager it must be installed with. */
export function findLockfile(project: ProjectFiles): Lockfile | undefined {
  const yarn = project.read('yarn.lock');
  if (yarn !== undefined) {
    const pkg = readPackageJson(project);
    const pm = pkg?.ok ? pkg.value.packageManager ?? '' : '';
    const berry = /^__metadata:/m.test(yarn) || project.exists('.yarnrc.yml') || /^yarn@[2-9]/.test(pm);
    return { manager: berry ? 'yarn-berry' : 'yarn1', file: 'yarn.lock' };
  }
  if (project.exists('pnpm-lock.yaml')) return { manager: 'pnpm', file: 'pnpm-lock.yaml' };
  if (project.exists('package-lock.json')) return { manager: 'npm', file: 'package-lock.json' };
  if (project.exists('npm-shrinkwrap.json')) return { manager: 'npm', file: 'npm-shrinkwrap.json' };
  if (project.exists('poetry.lock')) return { manager: 'poetry', file: 'poetry.lock' };
  return undefined;
}
