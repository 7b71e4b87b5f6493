/**
 * Diagnostics that a Dockerfile's check reports in other files (index.js, cmd/main.go,
 * docker-compose.yml). Several open Dockerfiles may report in one file (two Dockerfiles of one
 * project): what the file shows is the merge of what each of them found, and a file is cleared when
 * no open Dockerfile reports in it any more. Open source documents also replace their files on disk
 * for the checks, so ranges match the buffer being edited.
 */
import * as path from 'path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ProjectFiles } from '../engine/project';
import type { Diagnostic } from '../engine/types';
import { fsPathOf } from './projects';

/** Languages whose documents are read by the checks and get diagnostics, but are never checked as Dockerfiles. */
const SOURCE_LANGUAGES = new Set(['javascript', 'go', 'yaml', 'dockercompose']);

export function isSourceDocument(doc: Pick<TextDocument, 'languageId' | 'uri'>): boolean {
  return SOURCE_LANGUAGES.has(doc.languageId) || /\.(?:c|m)?js$|\.go$/i.test(doc.uri);
}

/** The URI of a file given relative to a Dockerfile (spelled like the Dockerfile's own URI). */
export function sourceUri(dockerfileUri: string, rel: string): string {
  return new URL(rel.split('/').map(encodeURIComponent).join('/'), dockerfileUri).href;
}

interface Entry {
  diagnostics: Diagnostic[];
  /** The source document's version the ranges refer to; undefined when it was read from disk. */
  version: number | undefined;
}

const sameKey = (d: Diagnostic): string =>
  `${d.ruleId}|${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}|${d.message}`;

export class SourceDiagnostics {
  /** source URI -> Dockerfile URI -> what that Dockerfile's last check found there. */
  private readonly bySource = new Map<string, Map<string, Entry>>();
  private readonly byProducer = new Map<string, Set<string>>();

  /** Replace what a Dockerfile's check found in other files; returns the source URIs to publish again. */
  update(producer: string, found: Map<string, Entry>): string[] {
    const before = this.byProducer.get(producer) ?? new Set<string>();
    const touched = new Set<string>([...before, ...found.keys()]);
    for (const uri of before) if (!found.has(uri)) this.bySource.get(uri)?.delete(producer);
    for (const [uri, entry] of found) {
      let producers = this.bySource.get(uri);
      if (!producers) {
        producers = new Map();
        this.bySource.set(uri, producers);
      }
      producers.set(producer, entry);
    }
    this.byProducer.set(producer, new Set(found.keys()));
    for (const uri of touched) if (this.bySource.get(uri)?.size === 0) this.bySource.delete(uri);
    return [...touched];
  }

  /** A Dockerfile closed: forget what it found; returns the source URIs to publish again. */
  remove(producer: string): string[] {
    const uris = this.update(producer, new Map());
    this.byProducer.delete(producer);
    return uris;
  }

  /**
   * The merged diagnostics of a source file. With the open document's version, only what was computed
   * for that version (a check of an older buffer would put ranges in the wrong place).
   */
  merged(uri: string, version: number | undefined): Diagnostic[] {
    const out: Diagnostic[] = [];
    const seen = new Set<string>();
    for (const entry of this.bySource.get(uri)?.values() ?? []) {
      if (version !== undefined && entry.version !== version) continue;
      for (const d of entry.diagnostics) {
        const key = sameKey(d);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(d);
      }
    }
    return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId));
  }

  /** Dockerfiles whose last check reported in this source file. */
  producers(uri: string): string[] {
    return [...(this.bySource.get(uri)?.keys() ?? [])];
  }

  has(uri: string): boolean {
    return this.bySource.has(uri);
  }
}

/** The project with the open source documents' text in place of their files on disk. */
export function withOpenDocuments(project: ProjectFiles, openText: (fsPath: string) => string | undefined): ProjectFiles {
  const dir = project.dir;
  if (dir === undefined) return project;
  const abs = (rel: string) => path.resolve(dir, rel);
  return {
    dir: project.dir,
    workspaceRoot: project.workspaceRoot,
    read: (rel) => openText(abs(rel)) ?? project.read(rel),
    exists: (rel) => openText(abs(rel)) !== undefined || project.exists(rel),
    list: (rel) => project.list(rel),
  };
}

/** Open source documents by their file path. */
export function openSourceTexts(documents: readonly TextDocument[]): Map<string, TextDocument> {
  const out = new Map<string, TextDocument>();
  for (const doc of documents) {
    if (!isSourceDocument(doc)) continue;
    const p = fsPathOf(doc.uri);
    if (p !== undefined) out.set(path.resolve(p), doc);
  }
  return out;
}
