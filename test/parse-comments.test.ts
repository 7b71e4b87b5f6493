/**
 * The parse's linear comment assignment (server/src/engine/incremental.ts `organizeComments`) gives each
 * comment to the same place as dockerfile-ast's own `Dockerfile.organizeComments`: the global ARGs or
 * the build stages whose range holds it, in the same order.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { Dockerfile, DockerfileParser } from 'dockerfile-ast';
import { Dockerfile as DockerfileImpl } from 'dockerfile-ast/lib/dockerfile';
import { parseDockerfile } from '../server/src/engine/incremental';
import { generateDockerfile } from '../bench/generate';
import { corpus, fuzzInputs } from './fuzz/corpus';

type Ranged = { getRange(): { start: { line: number; character: number }; end: { line: number; character: number } }; getContent?(): string };
type Template = { getComments(): Ranged[] };

/** Where every comment went: the global ARGs' comments, then each stage's, as [line, character, content]. */
function placement(df: Dockerfile): unknown {
  const internals = df as unknown as { initialInstructions: Template; buildStages: Template[] };
  const list = (t: Template) => t.getComments().map((c) => [c.getRange().start.line, c.getRange().start.character, c.getRange().end.line, c.getRange().end.character, c.getContent?.()]);
  return { initial: list(internals.initialInstructions), stages: internals.buildStages.map(list), all: df.getComments().length };
}

/** Corpus files end to end: hundreds of stages and comments, where the original is slowest. */
function longCorpusFile(lines: number): string {
  const files = corpus().map((f) => f.replace(/\n?$/, '\n'));
  const out: string[] = [];
  for (let i = 0; out.length < lines; i++) out.push(...files[i % files.length].split('\n').slice(0, -1));
  return out.slice(0, lines).join('\n') + '\n';
}

describe('parse: comments go where dockerfile-ast puts them', () => {
  it('examples, corpus, 2,000 fuzz inputs, generated and long files: the same placement', () => {
    const texts = [...corpus(), ...fuzzInputs(2000).map((i) => i.text), generateDockerfile(500).text, generateDockerfile(5000).text, longCorpusFile(3000)];
    let stagesWithComments = 0;
    let initialComments = 0;
    for (const text of texts) {
      const ours = placement(parseDockerfile(text)) as { initial: unknown[]; stages: unknown[][] };
      assert.deepEqual(ours, placement(DockerfileParser.parse(text)), `comments placed differently in ${JSON.stringify(text.slice(0, 300))}`);
      stagesWithComments += ours.stages.filter((s) => s.length > 0).length;
      initialComments += ours.initial.length;
    }
    // The comparison covered both kinds of placement.
    assert.ok(stagesWithComments > 1000 && initialComments > 50, `${stagesWithComments} stages with comments, ${initialComments} global comments`);
  });

  it('touching ranges, a comment before any instruction, comments only, escape directive and CRLF', () => {
    for (const text of [
      '# only a comment\n',
      '# a\n# b\nARG X=1\n# c\nFROM alpine\n# d\nRUN a\n# e\n',
      '#escape=`\n# c\nFROM alpine AS a\nRUN echo `\n# inside\n  b\n# after\nFROM a\n# last\n',
      'FROM alpine\r\n# c\r\nRUN x\r\n# tail\r\n',
      'ARG A\n# between\nARG B\nFROM x\nFROM y\n# y\n',
      '\uFEFF# bom\nFROM z\n#\n',
    ]) {
      assert.deepEqual(placement(parseDockerfile(text)), placement(DockerfileParser.parse(text)), JSON.stringify(text));
    }
  });

  it('leaves dockerfile-ast itself unchanged after the call', () => {
    const before = (DockerfileImpl.prototype as unknown as { organizeComments: unknown }).organizeComments;
    parseDockerfile('FROM alpine\n# c\n');
    assert.equal((DockerfileImpl.prototype as unknown as { organizeComments: unknown }).organizeComments, before);
  });
});
