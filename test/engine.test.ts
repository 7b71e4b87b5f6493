/** The engine around the rules: task choice, config, suppression, severity, isolation of a failing rule. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkDockerfile, fixAll, format } from '../server/src/engine/engine';
import { memoryProject } from '../server/src/engine/project';
import { RULES } from '../server/src/rules';
import type { Lang, Rule } from '../server/src/engine/types';

const SHELL_CMD = 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD node index.js\n';
const ids = (text: string, files: Record<string, string> = {}, extra: Partial<Parameters<typeof checkDockerfile>[0]> = {}) =>
  checkDockerfile({ text, project: memoryProject(files), ...extra }).diagnostics.map((d) => `${d.ruleId}@${d.range.start.line}:${d.severity}`);

describe('task resolution', () => {
  const gateFiles = { 'package.json': '{"main":"index.js"}', 'yarn.lock': '', 'index.js': '' };
  it('detects gate from package.json + yarn.lock + index.js', () => {
    const r = checkDockerfile({ text: SHELL_CMD, project: memoryProject(gateFiles) });
    assert.equal(r.task.profile.name, 'gate');
    assert.equal(r.task.source, 'detected');
  });
  it('detects scratch from go.mod and an upload handler in cmd/', () => {
    const r = checkDockerfile({ text: 'FROM scratch\n', project: memoryProject({ 'go.mod': 'module x', 'cmd/main.go': 'r.FormFile("file")' }) });
    assert.equal(r.task.profile.name, 'scratch');
  });
  it('detects distroless from go.mod and docker-compose.yml', () => {
    const r = checkDockerfile({ text: 'FROM scratch\n', project: memoryProject({ 'go.mod': 'module x', 'main.go': 'package main', 'docker-compose.yml': '' }) });
    assert.equal(r.task.profile.name, 'distroless');
  });
  it('falls back to generic', () => {
    const r = checkDockerfile({ text: 'FROM alpine:3.17\n', project: memoryProject({}) });
    assert.equal(r.task.profile.name, 'generic');
    assert.equal(r.task.source, 'default');
  });
  it('comment beats config beats setting beats detection', () => {
    const config = { 'dockerfile-coach.json': '{"task":"distroless"}', ...gateFiles };
    assert.equal(checkDockerfile({ text: '# coach: task=scratch\nFROM scratch\n', project: memoryProject(config), settingTask: 'generic' }).task.profile.name, 'scratch');
    assert.equal(checkDockerfile({ text: 'FROM scratch\n', project: memoryProject(config), settingTask: 'generic' }).task.source, 'config');
    assert.equal(checkDockerfile({ text: 'FROM scratch\n', project: memoryProject(gateFiles), settingTask: 'generic' }).task.profile.name, 'generic');
    assert.equal(checkDockerfile({ text: 'FROM scratch\n', project: memoryProject(gateFiles), settingTask: 'auto' }).task.profile.name, 'gate');
  });
  it('an unknown task in the comment is reported on its line, with the valid names', () => {
    const r = checkDockerfile({ text: '# coach: task=gatee\nFROM alpine:3.17\n', project: memoryProject({}) });
    const d = r.diagnostics.find((x) => x.ruleId === 'coach-config');
    assert.ok(d);
    assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 19 } });
    assert.match(d.message, /gate, scratch, distroless, generic/);
  });
  it('a malformed package.json is reported in package.json itself, at the parse error', () => {
    const r = checkDockerfile({ text: 'FROM node:18.16.0-alpine3.17\n', project: memoryProject({ 'package.json': '{\n  "name": "x",\n  oops\n}' }) });
    const d = r.diagnostics.find((x) => x.ruleId === 'coach-config');
    assert.ok(d);
    assert.equal(d.file, 'package.json');
    assert.equal(d.severity, 'error');
    assert.deepEqual(d.range.start, { line: 2, character: 2 });
    assert.match(d.message, /package\.json is not valid JSON/);
  });
  it('a malformed dockerfile-coach.json is reported, not thrown', () => {
    const r = checkDockerfile({ text: 'FROM alpine:3.17\n', project: memoryProject({ 'dockerfile-coach.json': '{"task": ' }) });
    const d = r.diagnostics.find((x) => x.ruleId === 'coach-config');
    assert.ok(d);
    assert.match(d.message, /dockerfile-coach\.json is not valid/);
    assert.equal(r.task.profile.name, 'generic');
  });
});

describe('levels', () => {
  it('task profile sets severity: gate error, generic warning', () => {
    assert.ok(ids(SHELL_CMD, {}, { task: 'gate' }).includes('exec-form@2:error'));
    assert.ok(ids(SHELL_CMD, {}, { task: 'generic' }).includes('exec-form@2:warning'));
  });
  it('settings and config turn rules off or change severity; config wins over settings', () => {
    assert.ok(!ids(SHELL_CMD, {}, { task: 'gate', settingLevels: { 'exec-form': 'off' } }).some((x) => x.startsWith('exec-form')));
    assert.ok(ids(SHELL_CMD, {}, { task: 'gate', settingLevels: { 'exec-form': 'hint' } }).includes('exec-form@2:hint'));
    const files = { 'dockerfile-coach.json': '{"rules":{"exec-form":"warning"}}' };
    assert.ok(ids(SHELL_CMD, files, { task: 'gate', settingLevels: { 'exec-form': 'off' } }).includes('exec-form@2:warning'));
  });
});

describe('suppression', () => {
  it('# coach-ignore on the line before covers that instruction only', () => {
    const text = 'FROM node:18.16.0-alpine3.17\nUSER node\n# coach-ignore exec-form -- the course allows it here\nCMD node index.js\nENTRYPOINT node x.js\n';
    const found = ids(text, {}, { task: 'gate' }).filter((x) => x.startsWith('exec-form'));
    assert.deepEqual(found, ['exec-form@4:error']);
  });
  it('several ids, comment blocks between, multi-line instructions', () => {
    const text = 'FROM node:18.16.0-alpine3.17\nUSER node\n# coach-ignore no-baked-secrets, exec-form\n# another comment\nCMD node \\\n  index.js\n';
    assert.deepEqual(ids(text, {}, { task: 'gate' }).filter((x) => x.startsWith('exec-form')), []);
  });
  it('# coach-ignore-file anywhere', () => {
    assert.deepEqual(ids(SHELL_CMD + '# coach-ignore-file exec-form\n', {}, { task: 'gate' }).filter((x) => x.startsWith('exec-form')), []);
  });
  it('an unknown rule id is reported at the id', () => {
    const r = checkDockerfile({ text: '# coach-ignore exec-fom\nFROM alpine:3.17\n', project: memoryProject({}) });
    const d = r.diagnostics.find((x) => x.ruleId === 'coach-config');
    assert.ok(d);
    assert.deepEqual(d.range, { start: { line: 0, character: 15 }, end: { line: 0, character: 23 } });
  });
});

describe('isolation', () => {
  it('a rule that throws becomes one internal-error diagnostic; the other rules still report', () => {
    const boom: Rule = { id: 'boom', courseRule: 0, title: { en: 'b', ru: 'b' }, defaultSeverity: 'error', tasks: ['gate'], messages: {}, check: () => { throw new Error('kaput'); } };
    const logged: string[] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => { logged.push(a.join(' ')); };
    let diagnostics;
    try {
      diagnostics = checkDockerfile({ text: SHELL_CMD, task: 'gate', rules: [boom, ...RULES] }).diagnostics;
    } finally {
      console.error = original;
    }
    assert.equal(diagnostics.filter((d) => d.ruleId === 'internal-error').length, 1);
    assert.match(diagnostics.find((d) => d.ruleId === 'internal-error')!.message, /boom.*kaput/);
    assert.ok(diagnostics.some((d) => d.ruleId === 'exec-form'));
    assert.ok(logged.some((l) => l.includes('rule boom threw')));
  });
  it('a rule runs only for the tasks it belongs to', () => {
    const gateOnly: Rule = { id: 'gate-only', courseRule: 0, title: { en: 'g', ru: 'g' }, defaultSeverity: 'error', tasks: ['gate'], messages: { m: { en: 'm', ru: 'm' } }, check: () => [{ messageId: 'm', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }] };
    const count = (task: 'gate' | 'scratch') => checkDockerfile({ text: 'FROM scratch\n', task, rules: [gateOnly] }).diagnostics.length;
    assert.equal(count('gate'), 1);
    assert.equal(count('scratch'), 0);
  });
});

describe('fix all', () => {
  it('applies every preferred fix until nothing changes, and the result re-checks clean of fixed rules', () => {
    const text = '# syntax=docker/dockerfile:1\nFROM node:18.16.0-alpine3.17\nUSER node\nRUN --mount=type=cache,target=/x true\nCMD node index.js\n';
    const r = fixAll({ text, task: 'gate' });
    assert.equal(r.text, 'FROM node:18.16.0-alpine3.17\nUSER node\nRUN true\nCMD ["node", "index.js"]\n');
    assert.deepEqual(r.result.diagnostics.filter((d) => d.fixes.length > 0), []);
  });
});

describe('format: the placeholders of messages and fix titles', () => {
  it('fills each placeholder, prefers name_ru in Russian, marks a missing one, and leaves the rest alone', () => {
    const text = { en: 'Use {tag} of {image}: {image}!', ru: 'Используйте {tag} из {image}' };
    const cases: [Lang, Record<string, string | number>, string][] = [
      ['en', { tag: '18.16.0', image: 'node' }, 'Use 18.16.0 of node: node!'],
      ['ru', { tag: '18.16.0', image: 'node' }, 'Используйте 18.16.0 из node'],
      ['ru', { tag: 'the tag', tag_ru: 'тег', image: 'node' }, 'Используйте тег из node'],
      ['en', { tag: 'the tag', tag_ru: 'тег', image: 'node' }, 'Use the tag of node: node!'],
      ['en', { tag: 3 }, 'Use 3 of {?image}: {?image}!'],
    ];
    for (const [lang, data, expected] of cases) assert.equal(format(text, lang, data), expected, JSON.stringify(data));
    // The same text again (now split once and kept) gives the same answers.
    for (const [lang, data, expected] of cases) assert.equal(format(text, lang, data), expected);
    assert.equal(format({ en: 'no placeholders, {not one} {}', ru: '' }, 'en'), 'no placeholders, {not one} {}');
    assert.equal(format({ en: '{a}{b}', ru: '' }, 'en', { a: '$&', b: '$1' }), '$&$1', 'replacement patterns are plain text');
    assert.equal(format({ en: '', ru: '' }, 'en'), '');
  });

  it('texts built from the Dockerfile, past the bound of kept ones, are formatted all the same', () => {
    for (let i = 0; i < 2500; i++) assert.equal(format({ en: `step ${i}: {what}`, ru: '' }, 'en', { what: 'x' }), `step ${i}: x`);
  });
});

describe('diagnostics of findings kept from the previous version', () => {
  const text = 'FROM node:18 AS one\nRUN apt-get update\nRUN npm install\n\nFROM node:18 AS two\nRUN apt-get update\nRUN npm install\n\nFROM node:18-alpine\nCMD npm start\n';
  const typed = text.replace('RUN npm install', 'RUN npm installx');
  const project = memoryProject({ 'package.json': '{"name":"x","scripts":{"start":"node i.js"}}', 'i.js': '' });
  const key = (d: { ruleId: string; range: { start: { line: number } } }) => `${d.ruleId}@${d.range.start.line}`;

  it('are the same objects while level, language and docs are the same, and equal to a fresh check', () => {
    const first = checkDockerfile({ text, project });
    const second = checkDockerfile({ text: typed, project, previous: first.analysis.parseSnapshot });
    const same = second.diagnostics.filter((d) => first.diagnostics.includes(d)).map(key);
    // Stage `two` is untouched and nothing is built from stage `one`: its findings are kept.
    assert.deepEqual(same, ['layer-hygiene@5', 'production-install@6']);
    assert.deepEqual(second.diagnostics, checkDockerfile({ text: typed, project }).diagnostics);
  });

  it('are made again with the new severity, language or docs link when those change', () => {
    const first = checkDockerfile({ text, project });
    const previous = checkDockerfile({ text: typed, project, previous: first.analysis.parseSnapshot });
    const variants = [
      { settingLevels: { 'layer-hygiene': 'error' as const } },
      { lang: 'ru' as const },
      { docsBase: 'https://example.test/rules/' },
    ];
    for (const variant of variants) {
      const again = checkDockerfile({ text: typed, project, previous: previous.analysis.parseSnapshot, ...variant });
      const fresh = checkDockerfile({ text: typed, project, ...variant });
      assert.deepEqual(again.diagnostics, fresh.diagnostics, JSON.stringify(variant));
      const layer = again.diagnostics.find((d) => key(d) === 'layer-hygiene@5')!;
      assert.equal(previous.diagnostics.includes(layer), false, JSON.stringify(variant));
    }
    const upgraded = checkDockerfile({ text: typed, project, previous: previous.analysis.parseSnapshot, settingLevels: { 'layer-hygiene': 'error' } });
    assert.equal(upgraded.diagnostics.find((d) => key(d) === 'layer-hygiene@5')!.severity, 'error');
  });
});
