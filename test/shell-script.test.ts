/**
 * Where a RUN/CMD/ENTRYPOINT's shell script starts (engine/shell.ts `shellScript`). It reads the start
 * from the text when there are no flags to skip, instead of asking dockerfile-ast's costly
 * getArguments(): on every input it must agree with getArguments()'s first argument.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { Analysis } from '../server/src/engine/analysis';
import { isExecForm, isWordBreak, shellScript } from '../server/src/engine/shell';
import { fuzzInputs } from './fuzz/corpus';

const SHELL_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'HEALTHCHECK']);

/** The script's first character by the text, and by dockerfile-ast (undefined: no arguments). */
function starts(text: string): { line: number; keyword: string; byText: number | undefined; byAst: number | undefined }[] {
  const analysis = new Analysis(text);
  return analysis.instructions
    .filter((i) => SHELL_KEYWORDS.has(i.keyword) && !isExecForm(i))
    .map((i) => {
      const script = shellScript(analysis, i);
      const args = i.node.getArguments();
      return {
        line: i.range.start.line,
        keyword: i.keyword,
        byText: script ? script.map.at(script.from) : undefined,
        byAst: args.length ? analysis.offsetAt(args[0].getRange().start) : undefined,
      };
    });
}

describe('shellScript: where the script starts', () => {
  const cases: [string, string, number | undefined][] = [
    ['plain', 'FROM a\nRUN echo hi\n', 11],
    ['continuation before the script', 'FROM a\nRUN \\\n  apk add x\n', 15],
    ['comment and blank line inside the continuation', 'FROM a\nRUN \\\n# note\n\n  echo hi\n', 23],
    ['a tab after the keyword', 'FROM a\nRUN\techo\n', 11],
    ['flags are skipped', 'FROM a\nRUN --mount=type=cache,target=/x echo hi\n', 40],
    ['a flag-like word later is an argument', 'FROM a\nRUN apk add --no-cache x\n', 11],
    ['no arguments', 'FROM a\nRUN\n', undefined],
    ['only a continuation', 'FROM a\nRUN \\\n', undefined],
    ['escape directive', '# escape=`\nFROM a\nRUN `\n  echo hi\n', 26],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const [s] = starts(text);
      assert.equal(s.byText, expected);
      assert.equal(s.byAst, expected);
    });
  }

  it('agrees with dockerfile-ast on the fuzz suite inputs', () => {
    let compared = 0;
    for (const { text } of fuzzInputs(1500)) {
      for (const s of starts(text)) {
        compared++;
        assert.equal(s.byText, s.byAst, `${s.keyword} on line ${s.line + 1} of ${JSON.stringify(text)}`);
      }
    }
    // The inputs must reach the code under test: thousands of instructions, not a handful.
    assert.ok(compared > 2000, `only ${compared} instructions compared`);
  });
});

describe('isWordBreak: the character class it replaces', () => {
  it('answers as /[\\s;&|<>()]/ for every UTF-16 code unit', () => {
    let breaks = 0;
    for (let code = 0; code < 0x10000; code++) {
      const c = String.fromCharCode(code);
      const expected = /[\s;&|<>()]/.test(c);
      assert.equal(isWordBreak(c), expected, `U+${code.toString(16).padStart(4, '0')}`);
      if (expected) breaks++;
    }
    // 25 whitespace code units (\s) and the 7 characters of ;&|<>().
    assert.equal(breaks, 32);
  });
});
