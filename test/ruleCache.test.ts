/**
 * Per-stage findings kept from one version to the next (server/src/engine/ruleCache.ts): a check given
 * the previous version gives exactly what a check from scratch gives, while the project files, the task
 * and the text change, and it recomputes only the stages an edit can change.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkDockerfile } from '../server/src/engine/engine';
import { Analysis } from '../server/src/engine/analysis';
import { Instruction } from 'dockerfile-ast';
import type { CheckResult } from '../server/src/engine/engine';
import { memoryProject } from '../server/src/engine/project';
import type { RuleCacheSnapshot } from '../server/src/engine/ruleCache';
import type { Rule, TaskName } from '../server/src/engine/types';
import { RULES } from '../server/src/rules';
import { generateDockerfile, prng } from '../bench/generate';
import { randomEdit, readCorpus, readExamples } from './editing';
import { corpus } from './fuzz/corpus';

/** Five stages, the final image's chain four deep, installs, prunes, USER, VOLUME, COPY --from. */
const CHAINED = `# coach: task=gate
ARG NODE_VERSION=20.11.1
FROM node:\${NODE_VERSION}-alpine AS base
WORKDIR /app
COPY . .
RUN yarn install
FROM base AS deps
RUN apt-get update
RUN apt-get install -y curl
RUN yarn install --frozen-lockfile --production
FROM node:20-alpine AS tools
WORKDIR app
COPY package.json ./
RUN npm install
RUN mkdir -p /data && chown node /data
FROM deps AS final-base
USER node
RUN mkdir /app/cache
VOLUME /app/cache
FROM final-base
COPY --from=tools /app/node_modules ./node_modules
RUN npm prune --production
RUN rm -rf /app/node_modules/.cache
EXPOSE 3000
CMD ["node", "index.js"]
`;

const GATE_FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'hmac', version: '1.0.0', main: 'index.js', scripts: { start: 'node index.js' } }, null, 2),
  'yarn.lock': '# yarn lockfile v1\n\n\nnodemon@^3.0.1:\n  version "3.0.1"\n',
  'index.js': "const http = require('http');\nhttp.createServer((req, res) => res.end('ok')).listen(3000);\n",
  '.dockerignore': 'node_modules\n.git\n',
};

/** A change to the project files, as a student makes them while the Dockerfile is open. */
function projectEdit(files: Record<string, string>, rnd: () => number): { files: Record<string, string>; what: string } {
  const next = { ...files };
  const choice = Math.floor(rnd() * 8);
  const toggle = (name: string, content: string) => {
    if (name in next) delete next[name];
    else next[name] = content;
    return `toggle ${name}`;
  };
  const what = [
    () => toggle('yarn.lock', GATE_FILES['yarn.lock']),
    () => toggle('package-lock.json', '{"lockfileVersion": 3}'),
    () => toggle('.dockerignore', GATE_FILES['.dockerignore']),
    () => ((next['.dockerignore'] = 'node_modules\n.git\n.env\nyarn.lock\n'), 'ignore yarn.lock'),
    () => ((next['package.json'] = '{"name": "hmac", '), 'break package.json'),
    () => ((next['package.json'] = JSON.stringify({ name: 'hmac', packageManager: 'yarn@3.6.0' })), 'package.json: yarn 3'),
    () => ((next['index.js'] = "const secret = 'hunter2'; // HMAC_SECRET\nrequire('http').createServer(() => {}).listen(8080);\n"), 'index.js: port 8080'),
    () => ((next['package.json'] = GATE_FILES['package.json']), 'restore package.json'),
  ][choice]();
  return { files: next, what };
}

interface Tally {
  steps: number;
  kept: number;
  computed: number;
  statesKept: number;
}

const stats = (r: CheckResult): RuleCacheSnapshot | undefined => r.analysis.parseSnapshot.rules;

function runSequences(name: string, sources: string[], seeds: number, steps: number, tally: Tally, projectEvery = 0.1): void {
  for (let s = 0; s < seeds; s++) {
    const seed = 0x5ca1e + s * 104729 + name.length;
    const rnd = prng(seed);
    let task: TaskName = (['gate', 'generic', 'scratch', 'distroless'] as const)[s % 4];
    let files = { ...GATE_FILES };
    let text = sources[s % sources.length];
    let prev = checkDockerfile({ text, project: memoryProject(files), task });
    const history: string[] = [];
    for (let step = 0; step < steps; step++) {
      const r = rnd();
      if (r < projectEvery) {
        const e = projectEdit(files, rnd);
        files = e.files;
        history.push(e.what);
      } else if (r < projectEvery + 0.02) {
        task = (['gate', 'generic', 'scratch', 'distroless'] as const)[Math.floor(rnd() * 4)];
        history.push(`task ${task}`);
      } else {
        const e = randomEdit(text, rnd, sources);
        text = e.text;
        history.push(e.what);
      }
      // A new project object per check, as the server makes one.
      const inc = checkDockerfile({ text, project: memoryProject(files), task, previous: prev.analysis.parseSnapshot });
      const full = checkDockerfile({ text, project: memoryProject(files), task });
      const where = `${name}: seed ${seed}, step ${step}: ${history.slice(-8).join('; ')}\ntext: ${JSON.stringify(text.length > 2000 ? text.slice(0, 2000) + '…' : text)}`;
      assert.deepEqual(inc.diagnostics, full.diagnostics, `diagnostics differ, ${where}`);
      tally.steps++;
      tally.kept += stats(inc)?.kept ?? 0;
      tally.computed += stats(inc)?.computed ?? 0;
      tally.statesKept += stats(inc)?.statesKept ?? 0;
      prev = inc;
    }
  }
}

describe('kept per-stage findings: same results as a check from scratch', () => {
  const tally: Tally = { steps: 0, kept: 0, computed: 0, statesKept: 0 };
  it('a five-stage file with a deep final chain: 24 sequences of 30 steps (text, project files, task)', () => {
    runSequences('chained', [CHAINED], 24, 30, tally, 0.12);
  });
  it('examples, corpus and fuzz snippets: 32 sequences of 20 steps', () => {
    runSequences('small files', [...readExamples(), ...readCorpus(), ...corpus()], 32, 20, tally);
  });
  it('a generated 1,000-line file (4 stages): 4 sequences of 15 steps', () => {
    runSequences('generated', [generateDockerfile(1000).text], 4, 15, tally, 0.05);
  });
  it('the comparisons covered kept results (a quarter at least: many edits add lines or change the project)', () => {
    assert.ok(tally.kept * 4 > tally.kept + tally.computed, `${tally.kept} kept, ${tally.computed} computed over ${tally.steps} steps`);
    // Walk states of the stages a recomputed stage is built on, taken over (StageStates).
    assert.ok(tally.statesKept > 100, `${tally.statesKept} walk states kept`);
    console.log(`# rule cache: ${tally.kept} per-stage results kept, ${tally.computed} computed, ${tally.statesKept} walk states kept, over ${tally.steps} steps`);
  });
});

describe('kept per-stage findings: what a keystroke recomputes', () => {
  const big = generateDockerfile(5000).text;
  const files = GATE_FILES;
  const check = (text: string, previous?: CheckResult, task: TaskName = 'gate', project = memoryProject(files)) =>
    checkDockerfile({ text, project, task, previous: previous?.analysis.parseSnapshot });
  const base = check(big);
  const a = base.analysis;
  const stageRules = RULES.filter((r) => r.checkStage && base.levels?.get(r.id) !== undefined && base.levels.get(r.id) !== 'off');
  const finalChain = a.chain(a.finalStage!);
  const dependsOn = (i: number, edited: (j: number) => boolean) => {
    const s = a.stages[i];
    const deps = new Set([...a.chain(s), ...(finalChain.includes(s) ? finalChain : [])]);
    return [...deps].some((d) => edited(d.index));
  };
  // A package line in the middle of a RUN in the middle of the file (the benchmark's keystroke).
  const at = big.indexOf('apk add', Math.floor(big.length / 2)) + 'apk add '.length;
  const line = a.doc.positionAt(at).line;
  const edited = a.stages.findIndex((s, i) => s.fromInstr.range.start.line <= line && (i + 1 === a.stages.length || a.stages[i + 1].fromInstr.range.start.line > line));

  it('typing in one stage recomputes that stage and the stages built on it, and keeps the rest', () => {
    assert.ok(stageRules.length >= 5, stageRules.map((r) => r.id).join(', '));
    assert.ok(edited > 0 && edited < a.stages.length - 1, `edited stage ${edited}`);
    const affected = a.stages.filter((_, i) => dependsOn(i, (j) => j === edited)).length;
    assert.ok(affected >= 2 && affected < a.stages.length / 2, `${affected} stages affected`);
    let prev = base;
    let text = big;
    for (let k = 0; k < 3; k++) {
      text = text.slice(0, at + k) + 'x' + text.slice(at + k);
      const r = check(text, prev);
      assert.deepEqual([stats(r)?.kept, stats(r)?.computed], [stageRules.length * (a.stages.length - affected), stageRules.length * affected]);
      assert.deepEqual(r.diagnostics, check(text).diagnostics);
      prev = r;
    }
  });

  it('Enter moves the stages after it: those and the stages depending on them are recomputed', () => {
    const text = big.slice(0, at) + '\\\n    ' + big.slice(at);
    const r = check(text, base);
    const recomputed = a.stages.filter((_, i) => dependsOn(i, (j) => j >= edited)).length;
    assert.deepEqual([stats(r)?.kept, stats(r)?.computed], [stageRules.length * (a.stages.length - recomputed), stageRules.length * recomputed]);
    assert.deepEqual(r.diagnostics, check(text).diagnostics);
  });

  it('a changed project file, another task or another line break style: nothing is kept', () => {
    const n = stageRules.length * a.stages.length;
    const lock = check(big, base, 'gate', memoryProject({ ...files, 'yarn.lock': files['yarn.lock'] + '\n' }));
    assert.deepEqual([stats(lock)?.kept, stats(lock)?.computed], [0, n]);
    const same = check(big, base, 'gate', memoryProject({ ...files }));
    assert.deepEqual([stats(same)?.kept, stats(same)?.computed], [n, 0], 'an equal project in a new object keeps everything');
    const generic = check(big, base, 'generic');
    assert.equal(stats(generic)?.kept, 0);
    const crlf = check(big.replace('\n', '\r\n'), base);
    assert.equal(stats(crlf)?.kept, 0);
  });

  it('nothing is kept while an open heredoc swallows the rest of the file', () => {
    const open = big.slice(0, at) + '<<EOF ' + big.slice(at);
    const r = check(open, base);
    assert.notEqual(r.analysis.swallowedFrom, undefined);
    assert.equal(stats(r), undefined);
    assert.deepEqual(r.diagnostics, check(open).diagnostics);
  });
});

/** Paths inside `value` to objects of one analysis (Instr, Stage, the Analysis, dockerfile-ast nodes, documents). */
function analysisObjectsIn(value: unknown, path = 'state'): string[] {
  const seen = new Set<object>();
  const found: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    const o = v as Record<string, unknown>;
    if (v instanceof Analysis || v instanceof Instruction || 'fromInstr' in o || ('node' in o && 'keyword' in o) || typeof o.getText === 'function') {
      found.push(at);
      return;
    }
    if (v instanceof Map) [...v].forEach(([k, x], i) => (walk(k, `${at}.key(${i})`), walk(x, `${at}.get(${String(k)})`)));
    else if (v instanceof Set) [...v].forEach((x, i) => walk(x, `${at}[${i}]`));
    else for (const [k, x] of Object.entries(o)) walk(x, `${at}.${k}`);
  };
  walk(value, path);
  return found;
}

describe('kept walk states: the stages a recomputed stage is built on are not walked again', () => {
  // CHAINED's final image is built on final-base, deps and base: typing in the final stage recomputes
  // the four stages' findings (they depend on the final chain), but the walks of write-access and
  // cache-friendly-order take the three parents' states over (2 x 3), and so does production-install's
  // question what base brings of yarn.lock, for the install in deps (1).
  const files = memoryProject(GATE_FILES);
  const first = checkDockerfile({ text: CHAINED, project: files, task: 'gate' });
  const edited = CHAINED.replace('RUN rm -rf /app/node_modules/.cache', 'RUN rm -rf /app/node_modules/.cache /tmp/x');

  it('typing in the final stage: the parents’ states are kept, the final stage’s walked', () => {
    const r = checkDockerfile({ text: edited, project: memoryProject(GATE_FILES), task: 'gate', previous: first.analysis.parseSnapshot });
    assert.deepEqual([stats(r)?.statesKept, stats(r)?.statesComputed], [7, 2]);
    assert.deepEqual(r.diagnostics, checkDockerfile({ text: edited, project: memoryProject(GATE_FILES), task: 'gate' }).diagnostics);
  });

  it('typing in the first stage: nothing to take over, every state walked again', () => {
    const r = checkDockerfile({ text: CHAINED.replace('COPY . .', 'COPY . ./'), project: memoryProject(GATE_FILES), task: 'gate', previous: first.analysis.parseSnapshot });
    assert.equal(stats(r)?.statesKept, 0);
    assert.ok((stats(r)?.statesComputed ?? 0) >= 8, `${stats(r)?.statesComputed} computed`);
  });

  it('the kept states hold no objects of one analysis (they would keep old versions alive)', () => {
    const states = stats(first)?.states;
    assert.ok(states && states.size === 3, `${states?.size} walks`);
    assert.deepEqual([...states.values()].flatMap((perStage, i) => analysisObjectsIn(perStage, `walk ${i}`)), []);
  });
});

describe('kept per-stage findings: a finding outside the stage it belongs to', () => {
  // A test rule (not a mock: it runs in the real engine) whose findings for every stage point at the
  // first stage's FROM: for the other stages that is outside what they depend on.
  let calls = 0;
  const pointsAtFirstStage: Rule = {
    id: 'test-points-at-first-stage',
    courseRule: 0,
    title: { en: 'test', ru: 'тест' },
    defaultSeverity: 'warning',
    tasks: ['generic'],
    messages: { here: { en: 'stage {n}', ru: 'стадия {n}' } },
    checkStage({ analysis }, stage) {
      calls++;
      return [{ messageId: 'here', data: { n: stage.index }, range: analysis.stages[0].fromInstr.range }];
    },
  };
  const text = 'FROM alpine:3.19 AS a\nRUN echo a\nFROM alpine:3.19 AS b\nRUN echo b\nFROM alpine:3.19\nRUN echo c\n';
  const check = (t: string, previous?: CheckResult) => checkDockerfile({ text: t, task: 'generic', rules: [pointsAtFirstStage], previous: previous?.analysis.parseSnapshot });

  it('is computed again on every check; the first stage’s own finding is kept', () => {
    const first = check(text);
    assert.equal(calls, 3);
    const second = check(text.replace('echo c', 'echo cc'), first);
    assert.equal(calls, 5, 'stages b and c recomputed, a kept');
    assert.deepEqual([stats(second)?.kept, stats(second)?.computed], [1, 2]);
    assert.deepEqual(
      second.diagnostics.map((d) => [d.message, d.range.start.line]),
      [
        ['stage 0', 0],
        ['stage 1', 0],
        ['stage 2', 0],
      ],
    );
  });

  it('a rule that throws in checkStage becomes one internal-error diagnostic; the others still report', () => {
    const throws: Rule = { ...pointsAtFirstStage, id: 'test-throws', checkStage: () => { throw new Error('boom'); } };
    const r = checkDockerfile({ text, task: 'generic', rules: [throws, pointsAtFirstStage] });
    assert.deepEqual(
      r.diagnostics.map((d) => d.ruleId),
      ['internal-error', 'test-points-at-first-stage', 'test-points-at-first-stage', 'test-points-at-first-stage'],
    );
  });
});
