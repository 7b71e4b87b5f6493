import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { normalizeSettings, resolveLang } from '../../server/src/lsp/settings';

describe('settings', () => {
  it('keeps valid values and drops malformed ones', () => {
    assert.deepEqual(normalizeSettings({ task: 'gate', language: 'ru', rules: { 'exec-form': 'off', 'multi-stage': 'loud', x: 3 } }), {
      task: 'gate',
      language: 'ru',
      rules: { 'exec-form': 'off' },
    });
    assert.deepEqual(normalizeSettings(null), { task: 'auto', language: 'auto', rules: {} });
    assert.deepEqual(normalizeSettings({ task: 'kubernetes', rules: ['error'] }), { task: 'auto', language: 'auto', rules: {} });
  });

  it('auto follows the editor locale: ru* is Russian, the rest English', () => {
    assert.equal(resolveLang('auto', 'ru'), 'ru');
    assert.equal(resolveLang('auto', 'ru-RU'), 'ru');
    assert.equal(resolveLang('auto', 'en-US'), 'en');
    assert.equal(resolveLang('auto', undefined), 'en');
    assert.equal(resolveLang('en', 'ru'), 'en');
  });
});
