/**
 * RULES.md 11: layer hygiene (warnings). Every layer of the final image stays in it for good: what a
 * layer adds, a later layer cannot take away, and a cached `apt-get update` layer goes stale.
 * - `apt-get update` in a RUN without an install after it (any stage: a stale package index breaks
 *   the build later);
 * - in the final image (the final stage and the stages it is built FROM): `apt-get install` without
 *   `--no-install-recommends`, without `rm -rf /var/lib/apt/lists/*` in the same RUN; `apk add`
 *   without `--no-cache`; yarn/npm/pip caches left behind; files deleted in a later layer than the one
 *   that created them; consecutive RUNs that always change together (information).
 * Commands come from the shell tokenizer (never substrings). BuildKit cache mounts are not suggested:
 * the course builds with the legacy builder; a RUN that has one already keeps its cache out of the image.
 */
import { ALL_TASKS } from '../engine/types';
import type { Analysis, Instr, Stage } from '../engine/analysis';
import type { ShellCommand, Word } from '../engine/shell';
import { findLockfile } from '../engine/project';
import type { Finding, Fix, Rule, TextEdit } from '../engine/types';
import {
  chainPlacements,
  commandWrites,
  commandsWithCwd,
  globMatches,
  hasGlob,
  isInside,
  isWholeContext,
  programName,
  wordPath,
} from './paths';
import type { Placement } from './paths';
import { flatMap, isExecForm, once, t } from './util';
import { KeyMemo } from '../engine/keyMemo';
import { trimTrailing } from '../engine/text';
import { pushAll } from '../engine/arrays';

const APT = new Set(['apt-get', 'apt']);
const APT_VALUE_OPTIONS = new Set(['-o', '--option', '-c', '--config-file', '-t', '--target-release']);
/** apt subcommands that use the package lists `update` fetched. */
const APT_USES_LISTS = new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'source', 'download', 'reinstall']);
const APK_VALUE_OPTIONS = new Set(['-X', '--repository', '-p', '--root', '-t', '--virtual', '--arch', '--cache-dir', '--keys-dir', '--repositories-file']);
const APT_LISTS = '/var/lib/apt/lists';

interface PkgCall {
  cmd: ShellCommand;
  program: string;
  sub: Word | undefined;
  options: string[];
  optionValues: string[];
}

/** `apt-get -y install x`, `apk --no-cache add x`: the subcommand and every option (before or after it). */
function pkgCall(cmd: ShellCommand, programs: Set<string>, valueOptions: Set<string>): PkgCall | undefined {
  const program = programName(cmd.words[0]);
  if (!programs.has(program)) return undefined;
  const call: PkgCall = { cmd, program, sub: undefined, options: [], optionValues: [] };
  for (let i = 1; i < cmd.words.length; i++) {
    const v = cmd.words[i].value;
    if (v.startsWith('-') && v !== '-') {
      const name = v.includes('=') ? v.slice(0, v.indexOf('=')) : v;
      call.options.push(name);
      if (v.includes('=')) call.optionValues.push(v.slice(v.indexOf('=') + 1));
      else if (valueOptions.has(v) && cmd.words[i + 1]) call.optionValues.push(cmd.words[++i].value);
    } else if (!call.sub) call.sub = cmd.words[i];
  }
  return call;
}

const aptCall = (cmd: ShellCommand) => pkgCall(cmd, APT, APT_VALUE_OPTIONS);
const apkCall = (cmd: ShellCommand) => pkgCall(cmd, new Set(['apk']), APK_VALUE_OPTIONS);

export const layerHygiene: Rule = {
  id: 'layer-hygiene',
  courseRule: 11,
  title: t('Layer hygiene', 'Гигиена слоёв'),
  defaultSeverity: 'warning',
  tasks: ALL_TASKS,
  messages: {
    aptUpdateAlone: t(
      '`{command}` runs in a RUN without an install after it: Docker caches this layer, so a later `apt-get install` (in another RUN) uses a package index that can be weeks old, and fails when those versions are gone. Run `apt-get update && apt-get install ...` in one RUN.',
      '`{command}` выполняется в RUN без установки после него: Docker кэширует этот слой, и следующий `apt-get install` (в другом RUN) работает со списком пакетов, которому могут быть недели, и падает, когда этих версий уже нет. Выполняйте `apt-get update && apt-get install ...` в одном RUN.',
    ),
    noInstallRecommends: t(
      '`{command}` also installs the packages these only recommend, which the image does not need: often tens of megabytes. Add `--no-install-recommends`.',
      '`{command}` ставит ещё и пакеты, которые эти лишь рекомендуют, а образу они не нужны: часто это десятки мегабайт. Добавьте `--no-install-recommends`.',
    ),
    aptListsLeft: t(
      'This RUN leaves the apt package lists (/var/lib/apt/lists, tens of megabytes) in the layer, and a later RUN cannot remove them from it. End the same RUN with `&& rm -rf /var/lib/apt/lists/*`.',
      'Этот RUN оставляет в слое списки пакетов apt (/var/lib/apt/lists, десятки мегабайт), и следующий RUN уже не удалит их из этого слоя. Завершите этот же RUN командой `&& rm -rf /var/lib/apt/lists/*`.',
    ),
    apkNoCache: t(
      '`{command}` keeps the apk package index in /var/cache/apk, inside this layer. Add `--no-cache`: apk then fetches the index on the fly and stores nothing.',
      '`{command}` сохраняет индекс пакетов apk в /var/cache/apk внутри этого слоя. Добавьте `--no-cache`: тогда apk получает индекс на лету и ничего не сохраняет.',
    ),
    cacheLeft: t(
      '`{command}` leaves the {tool} cache ({where}) in this layer of the final image: downloaded packages the app never reads. {advice}',
      '`{command}` оставляет кэш {tool} ({where}) в этом слое итогового образа: скачанные пакеты, которые приложению не нужны. {advice_ru}',
    ),
    deletedLater: t(
      '{path} came into the image with the {keyword} on line {line}, a separate layer: deleting it here hides it but does not make the image smaller, it stays in that layer. {advice}',
      '{path} попадает в образ инструкцией {keyword} в строке {line}, это отдельный слой: удаление здесь лишь скрывает файлы, но не уменьшает образ — они остаются в том слое. {advice_ru}',
    ),
    consecutiveRuns: t(
      'The {count} RUNs on lines {lines} follow each other: a change to the first re-runs them all anyway, so separate layers only add size and layer count. Join them into one RUN with `&&`.',
      'RUN в строках {lines} ({count} шт.) идут подряд: изменение первого всё равно перезапускает их все, так что отдельные слои лишь добавляют размер и число слоёв. Объедините их в один RUN через `&&`.',
    ),
  },
  checkStage({ analysis }, stage) {
    const findings: Finding[] = [];
    const finalChain = analysis.chain(analysis.finalStage as Stage);
    const inFinalImage = finalChain.includes(stage);
    for (const instr of stage.instructions) {
      if (instr.keyword !== 'RUN') continue;
      const f = updateAloneFinding(analysis, instr);
      if (f) findings.push(f);
      if (!inFinalImage || hasCacheMount(instr)) continue;
      pushAll(findings, aptInstall(analysis, instr));
      pushAll(findings, apkAdd(analysis, instr));
      pushAll(findings, cachesLeft(analysis, instr));
    }
    if (stage.isFinal) {
      pushAll(findings, deletedLater(analysis, stage));
      // A lone `apt-get update` has its own finding (and fix): it is not counted among consecutive RUNs.
      const updateAlone = new Set(flatMap(finalChain, (s) => s.instructions.filter((i) => i.keyword === 'RUN' && updateAloneFinding(analysis, i))));
      pushAll(findings, consecutiveRuns(analysis, finalChain, updateAlone));
    }
    return findings;
  },
};

/** aptUpdateAlone once per RUN: the final stage asks again for its whole chain (consecutive RUNs). */
function updateAloneFinding(analysis: Analysis, instr: Instr): Finding | undefined {
  return once(updateAloneMemo, instr, () => aptUpdateAlone(analysis, instr));
}
const updateAloneMemo = new KeyMemo<Instr, Finding | undefined>('updateAloneMemo');

const wordsText = (cmd: ShellCommand, max = 60): string => {
  const s = [...cmd.assignments, ...cmd.words].map((w) => w.value).join(' ');
  return s.length > max ? s.slice(0, max - 3) + '...' : s;
};
const cmdRange = (analysis: Analysis, cmd: ShellCommand) => analysis.rangeOf(cmd.words[0].start, cmd.words[cmd.words.length - 1].end);

function hasCacheMount(instr: Instr): boolean {
  const flags = (instr.node as unknown as { getFlags?: () => { getName(): string; getOptions(): { getName(): string; getValue(): string | null }[] }[] }).getFlags?.() ?? [];
  return flags.some((f) => f.getName() === 'mount' && f.getOptions().some((o) => o.getName() === 'type' && o.getValue() === 'cache'));
}

// ---------------------------------------------------------------------------------------------
// apt-get update alone

function aptUpdateAlone(analysis: Analysis, instr: Instr): Finding | undefined {
  const commands = analysis.shell(instr).commands;
  const calls = commands.map(aptCall);
  const updateAt = calls.findIndex((c) => c?.sub?.value === 'update');
  if (updateAt < 0) return undefined;
  if (calls.slice(updateAt + 1).some((c) => c?.sub && APT_USES_LISTS.has(c.sub.value))) return undefined;
  const cmd = commands[updateAt];
  return { messageId: 'aptUpdateAlone', data: { command: wordsText(cmd) }, range: cmdRange(analysis, cmd), fixes: mergeIntoNext(analysis, instr, cmd) };
}

/** `RUN apt-get update` + `RUN apt-get install ...` -> `RUN apt-get update && apt-get install ...`. */
function mergeIntoNext(analysis: Analysis, instr: Instr, update: ShellCommand): Fix[] {
  const parse = analysis.shell(instr);
  const next = analysis.instructions[instr.index + 1];
  if (parse.commands.length !== 1 || parse.features.has('comment') || parse.features.has('heredoc') || isExecForm(instr)) return [];
  if (!next || next.keyword !== 'RUN' || next.stage !== instr.stage || isExecForm(next)) return [];
  const nextParse = analysis.shell(next);
  if (nextParse.features.has('heredoc') || !nextParse.commands.some((c) => APT_USES_LISTS.has(aptCall(c)?.sub?.value ?? ''))) return [];
  // The merged command keeps the update's flags and environment, as written.
  if (analysis.flags(instr).length > 0) return [];
  const args = analysis.args(next);
  if (args.length === 0 || instr.range.end.line >= next.range.start.line) return [];
  const text = [...update.assignments, ...update.words].map((w) => w.raw).join(' ');
  const start = { line: instr.range.start.line, character: 0 };
  const end = { line: instr.range.end.line + 1, character: 0 };
  const at = args[0].getRange().start;
  return [
    {
      title: t('Merge `apt-get update` into the next RUN', 'Объединить `apt-get update` со следующим RUN'),
      edits: [
        { range: { start, end }, newText: '' },
        { range: { start: at, end: at }, newText: `${text} && ` },
      ],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// apt-get install / apk add

function aptInstall(analysis: Analysis, instr: Instr): Finding[] {
  const findings: Finding[] = [];
  const commands = analysis.shell(instr).commands;
  const recommendsOff = recommendsConfigured(analysis, instr);
  let lastApt = -1;
  commands.forEach((cmd, i) => {
    const call = aptCall(cmd);
    if (!call?.sub) return;
    if (call.sub.value === 'update' || APT_USES_LISTS.has(call.sub.value)) lastApt = i;
    if (call.sub.value !== 'install') return;
    const off =
      recommendsOff ||
      call.options.includes('--no-install-recommends') ||
      call.optionValues.some((v) => /^APT::Install-Recommends\s*=\s*(?:false|0|no|off)$/i.test(v));
    if (!off) {
      findings.push({
        messageId: 'noInstallRecommends',
        data: { command: wordsText(cmd) },
        range: analysis.rangeOf(call.sub.start, call.sub.end),
        fixes: [insertAfterWordFix(analysis, instr, call.sub, '--no-install-recommends')],
      });
    }
  });
  const installs = commands.filter((c) => aptCall(c)?.sub?.value === 'install');
  if (installs.length === 0) return findings;
  const cleaned = commands.slice(lastApt + 1).some((c) => removes(c, (p) => isInside(APT_LISTS, p)));
  if (!cleaned) {
    const last = installs[installs.length - 1];
    const edit = appendToRun(analysis, instr, 'rm -rf /var/lib/apt/lists/*');
    findings.push({
      messageId: 'aptListsLeft',
      range: cmdRange(analysis, last),
      fixes: edit ? [{ title: t('Append && rm -rf /var/lib/apt/lists/*', 'Добавить && rm -rf /var/lib/apt/lists/*'), edits: [edit] }] : [],
    });
  }
  return findings;
}

/** `APT::Install-Recommends` written to an apt config (a word of a command) by an earlier RUN (or this one) of the chain. */
function recommendsConfigured(analysis: Analysis, instr: Instr): boolean {
  return firstRecommendsConfig(analysis, instr.stage as Stage) <= instr.index;
}

/** The index of the first RUN of the chain that configures APT::Install-Recommends (Infinity: none); once per stage, not per RUN. */
function firstRecommendsConfig(analysis: Analysis, stage: Stage): number {
  let first = recommendsMemo.get(stage);
  if (first === undefined) {
    first = Infinity;
    for (const s of analysis.chain(stage)) {
      for (const i of s.instructions) {
        if (i.keyword === 'RUN' && i.index < first && analysis.shell(i).commands.some((c) => c.words.some((w) => w.value.includes('APT::Install-Recommends')))) first = i.index;
      }
    }
    recommendsMemo.set(stage, first);
  }
  return first;
}
// Stages belong to one analysis, so the memo cannot outlive it.
const recommendsMemo = new KeyMemo<Stage, number>('recommendsMemo');

function apkAdd(analysis: Analysis, instr: Instr): Finding[] {
  const findings: Finding[] = [];
  const commands = analysis.shell(instr).commands;
  commands.forEach((cmd, i) => {
    const call = apkCall(cmd);
    if (call?.sub?.value !== 'add' || call.options.includes('--no-cache')) return;
    if (commands.slice(i + 1).some((c) => removes(c, (p) => isInside('/var/cache/apk', p)) || (apkCall(c)?.sub?.value === 'cache' && c.words.some((w) => w.value === 'clean')))) return;
    findings.push({
      messageId: 'apkNoCache',
      data: { command: wordsText(cmd) },
      range: analysis.rangeOf(call.sub.start, call.sub.end),
      fixes: [insertAfterWordFix(analysis, instr, call.sub, '--no-cache')],
    });
  });
  return findings;
}

/** Does the command `rm` a path for which `covers(path)` holds (a glob counts by its folder)? */
function removes(cmd: ShellCommand, covers: (p: string) => boolean): boolean {
  if (programName(cmd.words[0]) !== 'rm') return false;
  return cmd.words.slice(1).some((w) => {
    const v = trimTrailing(w.value.replace(/\/\*$/, ''), '/');
    return v.startsWith('/') && !hasGlob(v) && covers(v);
  });
}

// ---------------------------------------------------------------------------------------------
// yarn / npm / pip caches

interface CacheTool {
  tool: string;
  where: string;
  /** Commands that count as cleaning up after the install. */
  cleans(cmd: ShellCommand): boolean;
  advice: { en: string; ru: string };
}

const YARN: CacheTool = {
  tool: 'yarn',
  where: '/usr/local/share/.cache/yarn for root, ~/.cache/yarn otherwise',
  cleans: (c) => (programName(c.words[0]) === 'yarn' && c.words[1]?.value === 'cache' && c.words[2]?.value === 'clean') || removes(c, (p) => /yarn|\.cache$/.test(p)),
  advice: { en: 'End the same RUN with `&& yarn cache clean`.', ru: 'Завершите этот же RUN командой `&& yarn cache clean`.' },
};
const NPM: CacheTool = {
  tool: 'npm',
  where: '~/.npm',
  cleans: (c) => (programName(c.words[0]) === 'npm' && c.words[1]?.value === 'cache' && c.words[2]?.value === 'clean') || removes(c, (p) => /\.npm$/.test(p)),
  advice: { en: 'End the same RUN with `&& npm cache clean --force`.', ru: 'Завершите этот же RUN командой `&& npm cache clean --force`.' },
};
const PIP: CacheTool = {
  tool: 'pip',
  where: '~/.cache/pip',
  cleans: (c) =>
    (/^pip[\d.]*$/.test(programName(c.words[0])) && c.words[1]?.value === 'cache' && c.words[2]?.value === 'purge') || removes(c, (p) => /\.cache(?:\/pip)?$/.test(p)),
  advice: { en: 'Add `--no-cache-dir` to the install.', ru: 'Добавьте `--no-cache-dir` к установке.' },
};

function cachesLeft(analysis: Analysis, instr: Instr): Finding[] {
  const findings: Finding[] = [];
  const commands = analysis.shell(instr).commands;
  const berry = findLockfile(analysis.project)?.manager === 'yarn-berry';
  commands.forEach((cmd, i) => {
    const w = cmd.words;
    const program = programName(w[0]);
    const sub = w.slice(1).find((x) => !x.value.startsWith('-'))?.value;
    let tool: CacheTool | undefined;
    let pipInstall: Word | undefined;
    // yarn 2+ keeps its cache in the project (.yarn/cache) on purpose: not judged here.
    if (program === 'yarn' && !berry && (sub === undefined || sub === 'install' || sub === 'add')) tool = YARN;
    else if (program === 'npm' && ['ci', 'install', 'i', 'clean-install'].includes(sub ?? '')) tool = NPM;
    else {
      const pipAt = /^pip[\d.]*$/.test(program) ? 1 : /^python[\d.]*$/.test(program) && w[1]?.value === '-m' && /^pip[\d.]*$/.test(w[2]?.value ?? '') ? 3 : -1;
      if (pipAt > 0 && w[pipAt]?.value === 'install') {
        tool = PIP;
        pipInstall = w[pipAt];
      }
    }
    if (!tool) return;
    if (tool === PIP) {
      const disabled = w.some((x) => x.value === '--no-cache-dir') || analysis.scopeAt(instr).has('PIP_NO_CACHE_DIR') || [...cmd.assignments].some((a) => a.value.startsWith('PIP_NO_CACHE_DIR='));
      if (disabled) return;
    }
    if (commands.slice(i + 1).some((c) => (tool as CacheTool).cleans(c))) return;
    const fixes: Fix[] = [];
    if (tool === PIP && pipInstall) fixes.push(insertAfterWordFix(analysis, instr, pipInstall, '--no-cache-dir'));
    else {
      const cleanup = tool === YARN ? 'yarn cache clean' : 'npm cache clean --force';
      const edit = appendToRun(analysis, instr, cleanup);
      if (edit) fixes.push({ title: t(`Append && ${cleanup}`, `Добавить && ${cleanup}`), edits: [edit] });
    }
    findings.push({
      messageId: 'cacheLeft',
      data: { command: wordsText(cmd), tool: tool.tool, where: tool.where, advice: tool.advice.en, advice_ru: tool.advice.ru },
      range: cmdRange(analysis, cmd),
      fixes,
    });
  });
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Files deleted in a later layer

interface Creation {
  instr: Instr;
  path: string;
  /** What lies below `path` surely came from this layer (a copied folder, a cloned repository). */
  owns: (inside: string) => boolean;
}

function deletedLater(analysis: Analysis, final: Stage): Finding[] {
  const findings: Finding[] = [];
  const creations: Creation[] = [];
  const { placements } = chainPlacements(analysis, final);
  const byInstr = new Map<Instr, Placement>(placements.map((p) => [p.spec.instr, p]));
  for (const s of analysis.chain(final).reverse()) {
    for (const instr of s.instructions) {
      if (instr.keyword === 'COPY' || instr.keyword === 'ADD') {
        const p = byInstr.get(instr);
        if (p) pushAll(creations, copyCreations(analysis, p));
        continue;
      }
      if (instr.keyword !== 'RUN') continue;
      const here: Creation[] = [];
      for (const { cmd, cwd } of commandsWithCwd(analysis, instr)) {
        for (const w of commandWrites(cmd)) {
          const p = wordPath(analysis, instr, w.word, cwd);
          if (p === undefined || p === '/') continue;
          if (w.kind === 'create') {
            const clone = programName(cmd.words[0]) === 'git';
            here.push({ instr, path: p, owns: () => clone });
            continue;
          }
          if (w.kind !== 'delete' || programName(cmd.words[0]) !== 'rm') continue;
          if (isInside(p, APT_LISTS) || isInside(p, '/var/cache/apk')) continue;
          const glob = hasGlob(p);
          const made = creations.find((c) => (glob ? globMatches(p, c.path) : isInside(c.path, p) || (p !== c.path && isInside(p, c.path) && c.owns(p))));
          if (!made) continue;
          findings.push({
            messageId: 'deletedLater',
            data: {
              path: p,
              keyword: made.instr.keyword,
              line: made.instr.range.start.line + 1,
              advice:
                made.instr.keyword === 'RUN'
                  ? 'Create and delete it in the same RUN (joined with &&).'
                  : 'Keep it out of the image instead: exclude it in .dockerignore, copy only what you need, or use it in a builder stage and COPY --from the result.',
              advice_ru:
                made.instr.keyword === 'RUN'
                  ? 'Создавайте и удаляйте это в одном RUN (через &&).'
                  : 'Не допускайте его в образ: исключите в .dockerignore, копируйте только нужное или используйте в стадии сборки и переносите результат через COPY --from.',
            },
            range: analysis.rangeOf(w.word.start, w.word.end),
          });
        }
      }
      pushAll(creations, here);
    }
  }
  return findings;
}

/**
 * What a COPY/ADD puts in the image: one path per source (`COPY a.tgz /tmp/` makes /tmp/a.tgz; the
 * whole context lands in the destination itself). For context sources, whether a path below it came
 * with the copy is checked against the project's files.
 */
function copyCreations(analysis: Analysis, p: Placement): Creation[] {
  const project = analysis.project;
  const instr = p.spec.instr;
  const out: Creation[] = [];
  for (const s of p.spec.sources) {
    const v = s.value;
    if (v === undefined || hasGlob(v) || /^[a-z][a-z0-9+.-]*:\/\//i.test(v)) continue;
    const whole = isWholeContext(v);
    const rel = whole ? '' : trimTrailing(v.replace(/^(?:\.\/)+/, ''), '/');
    const path = p.dir && !whole ? normalizeJoin(p.path, rel.split('/').pop() ?? rel) : p.path;
    const fromContext = !p.spec.from && project.dir !== undefined;
    const owns = (inside: string): boolean => {
      if (!fromContext) return false;
      const below = inside.slice(path === '/' ? 1 : path.length + 1);
      return below !== '' && !hasGlob(below) && project.exists(rel ? `${rel}/${below}` : below);
    };
    out.push({ instr, path, owns });
  }
  return out;
}

const normalizeJoin = (dir: string, name: string): string => (dir === '/' ? `/${name}` : `${dir}/${name}`);

// ---------------------------------------------------------------------------------------------
// Consecutive RUNs

function consecutiveRuns(analysis: Analysis, chain: Stage[], skip: Set<Instr>): Finding[] {
  const findings: Finding[] = [];
  for (const stage of chain) {
    let group: Instr[] = [];
    const flush = () => {
      if (group.length >= 2) {
        findings.push({
          messageId: 'consecutiveRuns',
          data: { count: group.length, lines: group.map((i) => i.range.start.line + 1).join(', ') },
          range: group[0].node.getInstructionRange(),
          severity: 'information',
        });
      }
      group = [];
    };
    for (const instr of stage.instructions) {
      if (instr.keyword === 'RUN' && !skip.has(instr)) group.push(instr);
      else flush();
    }
    flush();
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Edits

/** ` --flag` after a word (`, "--flag"` in exec form). */
function insertAfterWordFix(analysis: Analysis, instr: Instr, word: Word, flag: string): Fix {
  const text = isExecForm(instr) ? `, ${JSON.stringify(flag)}` : ` ${flag}`;
  const at = analysis.rangeOf(word.end, word.end);
  return { title: t(`Add ${flag}`, `Добавить ${flag}`), edits: [{ range: at, newText: text }] };
}

/** ` && <command>` at the end of a shell-form RUN, where that is unambiguous. */
function appendToRun(analysis: Analysis, instr: Instr, command: string): TextEdit | undefined {
  if (isExecForm(instr)) return undefined;
  const { features } = analysis.shell(instr);
  if (features.has('heredoc') || features.has('comment') || features.has('unterminated')) return undefined;
  const args = analysis.args(instr);
  const last = args[args.length - 1];
  if (!last) return undefined;
  // `cmd;`, `cmd &`, a dangling `|` or `\`: appending `&& ...` would not parse or would change meaning.
  if (/[;&|\\(]$/.test(last.getValue())) return undefined;
  const at = last.getRange().end;
  return { range: { start: at, end: at }, newText: ` && ${command}` };
}
