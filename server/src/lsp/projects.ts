/**
 * The project files around each Dockerfile: one FileCache per workspace folder, emptied file by file
 * as the client reports changes (workspace/didChangeWatchedFiles).
 */
import * as path from 'path';
import { fileURLToPath } from 'url';
import { FileCache, ProjectFiles, diskProject, emptyProject } from '../engine/project';

interface Folder {
  fsPath: string;
  cache: FileCache;
}

export interface DocumentProject {
  project: ProjectFiles;
  /** The Dockerfile's folder (fixes' other files are relative to it); undefined when not on disk. */
  dir: string | undefined;
}

/** A local path for a `file:` URI; undefined for `untitled:` and other schemes. */
export function fsPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class Projects {
  private folders: Folder[] = [];

  setFolders(uris: string[]): void {
    this.setFolderPaths(uris.map(fsPathOf).filter((p): p is string => p !== undefined));
  }

  changeFolders(added: string[], removed: string[]): void {
    const removedPaths = new Set(removed.map(fsPathOf).filter((p): p is string => p !== undefined).map((p) => path.resolve(p)));
    const kept = this.folders.map((f) => f.fsPath).filter((p) => !removedPaths.has(p));
    this.setFolderPaths([...kept, ...added.map(fsPathOf).filter((p): p is string => p !== undefined)]);
  }

  private setFolderPaths(paths: string[]): void {
    const previous = new Map(this.folders.map((f) => [f.fsPath, f]));
    this.folders = [];
    for (const resolved of paths.map((p) => path.resolve(p))) {
      if (this.folders.some((f) => f.fsPath === resolved)) continue;
      // A folder that stays keeps its cache.
      this.folders.push(previous.get(resolved) ?? { fsPath: resolved, cache: new FileCache() });
    }
    // Longest first, so a nested workspace folder wins over the one around it.
    this.folders.sort((a, b) => b.fsPath.length - a.fsPath.length);
  }

  projectFor(documentUri: string): DocumentProject {
    const file = fsPathOf(documentUri);
    if (file === undefined) return { project: emptyProject(), dir: undefined };
    const dir = path.dirname(path.resolve(file));
    const folder = this.folders.find((f) => isInside(dir, f.fsPath));
    // Outside every workspace folder no file events arrive, so nothing may be cached across checks.
    if (!folder) return { project: diskProject(dir, undefined, new FileCache()), dir };
    return { project: diskProject(dir, folder.fsPath, folder.cache), dir };
  }

  /** Forget a changed, created or deleted file in every cache that may hold it. */
  invalidate(fileUri: string): void {
    const file = fsPathOf(fileUri);
    if (file === undefined) return;
    const resolved = path.resolve(file);
    for (const folder of this.folders) if (isInside(resolved, folder.fsPath)) folder.cache.invalidate(resolved);
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
