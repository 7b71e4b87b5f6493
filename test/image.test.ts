/** Helpers of engine/image.ts that the FROM rules share. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { hasUnescapedDollar } from '../server/src/engine/image';

describe('hasUnescapedDollar (engine/image.ts), as pinned-base-image, gate-base-image, builder-release and distroless-base use it', () => {
  it('answers as the regular expression it replaced, for both escape characters', () => {
    const regexFor = (escape: string) => new RegExp(`(^|[^${escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}])\\$`);
    const pieces = ['$', '\\', '`', 'a', '{', '}', '\n', ' '];
    let texts = [''];
    for (let len = 1; len <= 5; len++) texts = texts.concat(texts.filter((t) => t.length === len - 1).flatMap((t) => pieces.map((p) => t + p)));
    let unescaped = 0;
    for (const escape of ['\\', '`']) {
      for (const text of texts) {
        const expected = regexFor(escape).test(text);
        assert.equal(hasUnescapedDollar(text, escape), expected, `${JSON.stringify(text)} with ${escape}`);
        if (expected) unescaped++;
      }
    }
    assert.ok(unescaped > 1000 && unescaped < 2 * texts.length, `${unescaped} of ${2 * texts.length}`);
  });
});
