/**
 * Course rule 15: the container runs the program (`node index.js`), not a development script.
 * `yarn start` / `npm start` / `npm run x` are followed into package.json's scripts (and the scripts
 * they call); a script that runs nodemon, ts-node-dev and the like fails. The fix runs node on the
 * main file from package.json.
 */
import { ALL_TASKS } from '../engine/types';
import type { Analysis, Instr } from '../engine/analysis';
import type { Finding, Rule } from '../engine/types';
import { parseShellText } from '../engine/shell';
import { nodeFacts, PackageInfo } from '../engine/facts/node';
import { argumentsRange, toExecArray } from './exec-form';
import { genericLowered, singleCommand, startCommand } from './facts-util';
import { t } from './util';
import { own } from '../engine/lookup';

/** Tools that watch files and restart, or compile on the fly: fine on a laptop, not in a production image. */
const DEV_TOOLS: { match: (words: string[]) => boolean; name: (words: string[]) => string }[] = [
  { match: (w) => ['nodemon', 'ts-node-dev', 'tsnd', 'node-dev', 'ts-node', 'supervisor', 'webpack-dev-server', 'live-server', 'browser-sync'].includes(w[0]), name: (w) => w[0] },
  { match: (w) => w[0] === 'node' && w.slice(1).some((a) => a === '--watch' || a.startsWith('--watch-path')), name: () => 'node --watch' },
  { match: (w) => w[0] === 'tsx' && w[1] === 'watch', name: () => 'tsx watch' },
  { match: (w) => w[0] === 'webpack' && (w[1] === 'serve' || w.includes('--watch')), name: (w) => `webpack ${w[1] === 'serve' ? 'serve' : '--watch'}` },
  { match: (w) => w[0] === 'vite' && (w.length === 1 || w[1] === 'dev' || w[1] === 'serve' || w[1].startsWith('-')), name: () => 'vite' },
  { match: (w) => (w[0] === 'next' || w[0] === 'nuxt') && w[1] === 'dev', name: (w) => `${w[0]} dev` },
  { match: (w) => w[0] === 'react-scripts' && w[1] === 'start', name: () => 'react-scripts start' },
  { match: (w) => w[0] === 'ng' && w[1] === 'serve', name: () => 'ng serve' },
  { match: (w) => w[0] === 'vue-cli-service' && w[1] === 'serve', name: () => 'vue-cli-service serve' },
  { match: (w) => w[0] === 'gatsby' && w[1] === 'develop', name: () => 'gatsby develop' },
  { match: (w) => w[0] === 'nest' && w[1] === 'start' && w.some((a) => a === '--watch' || a === '-w'), name: () => 'nest start --watch' },
];

/** Runners of other programs inside a script: `cross-env NODE_ENV=dev nodemon`, `npx nodemon`. */
const PREFIXES = new Set(['npx', 'cross-env', 'env', 'dotenv', 'exec']);

interface ScriptCall {
  manager: string;
  script: string;
  /** Words the call takes (`npm run dev` = 3); more words are arguments for the script. */
  used: number;
}

/** `npm start`, `npm run dev`, `yarn start`, `yarn dev`, `pnpm run dev`: the package.json script it runs. */
export function scriptCall(words: string[], scripts: Record<string, string>): ScriptCall | undefined {
  const [m, sub, arg] = words;
  if (m === 'npm') {
    if (sub === 'start' || sub === 'restart') return { manager: m, script: 'start', used: 2 };
    if ((sub === 'run' || sub === 'run-script') && arg) return { manager: m, script: arg, used: 3 };
    return undefined;
  }
  if (m === 'yarn' || m === 'pnpm') {
    if ((sub === 'run' || sub === 'run-script') && arg) return { manager: m, script: arg, used: 3 };
    // `yarn dev` runs the script `dev` when there is one.
    if (sub !== undefined && Object.prototype.hasOwnProperty.call(scripts, sub)) return { manager: m, script: sub, used: 2 };
    if (sub === 'start') return { manager: m, script: 'start', used: 2 };
  }
  return undefined;
}

interface DevUse {
  tool: string;
  /** Scripts followed, outermost first (`start`, `dev`). */
  chain: string[];
  /** The `.js` file the tool was given, when it names one. */
  file: string | undefined;
}

/** Follow a script (and the scripts it calls) to a development tool, if it runs one. */
export function findDevTool(scripts: Record<string, string>, script: string, seen: string[] = []): DevUse | undefined {
  const text = own(scripts, script);
  if (text === undefined || seen.includes(script) || seen.length > 5) return undefined;
  const chain = [...seen, script];
  for (const command of parseShellText(text).commands) {
    let words = command.words.map((w) => w.value);
    while (words.length > 0 && (PREFIXES.has(words[0]) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]))) words = words.slice(1);
    if (words.length === 0) continue;
    // ./node_modules/.bin/nodemon is nodemon.
    words[0] = words[0].replace(/^(?:\.\/)?node_modules\/\.bin\//, '');
    const tool = DEV_TOOLS.find((d) => d.match(words));
    if (tool) return { tool: tool.name(words), chain, file: words.slice(1).find((w) => /\.(?:c|m)?js$/.test(w)) };
    const inner = scriptCall(words, scripts);
    if (inner) {
      const found = findDevTool(scripts, inner.script, chain);
      if (found) return found;
    }
  }
  return undefined;
}

export const productionStart: Rule = {
  id: 'production-start',
  courseRule: 15,
  title: t('Production start, not a dev script', 'Запуск для production, а не dev-скрипт'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    devScript: t(
      '{keyword} runs `{command}`, and package.json\'s "{script}" script is `{scriptText}`: {tool} is a development tool (it watches the files and restarts the program){devDependency}. A production container runs the program itself: {suggestion}.',
      '{keyword} запускает `{command}`, а скрипт "{script}" в package.json — это `{scriptText}`: {tool} — инструмент для разработки (следит за файлами и перезапускает программу){devDependency}. Контейнер для production запускает саму программу: {suggestion}.',
    ),
    devScriptVia: t(
      '{keyword} runs `{command}`: package.json\'s "{script}" script leads through {via} to {tool}, a development tool (it watches the files and restarts the program){devDependency}. A production container runs the program itself: {suggestion}.',
      '{keyword} запускает `{command}`: скрипт "{script}" в package.json через {via} приводит к {tool} — инструменту для разработки (следит за файлами и перезапускает программу){devDependency}. Контейнер для production запускает саму программу: {suggestion}.',
    ),
  },
  check({ analysis, task }) {
    const facts = nodeFacts(analysis.project);
    const pkg = facts.packageJson;
    if (!pkg) return [];
    const findings: Finding[] = [];
    const { entrypoint, cmd } = startCommand(analysis);
    for (const instr of [entrypoint, cmd]) {
      if (!instr) continue;
      const f = checkInstruction(analysis, instr, pkg, entrypoint !== undefined && instr === cmd);
      if (f) findings.push({ ...f, severity: genericLowered(task.name) });
    }
    return findings;
  },
};

function checkInstruction(analysis: Analysis, instr: Instr, pkg: PackageInfo, afterEntrypoint: boolean): Finding | undefined {
  // CMD after an ENTRYPOINT only gives it arguments: the ENTRYPOINT is what runs.
  if (afterEntrypoint) return undefined;
  const one = singleCommand(analysis, instr);
  const commands = analysis.shell(instr).commands;
  // The script call may follow `cd x &&`: look at every command, fix only a lone one.
  const candidates = one ? [one.command] : commands;
  for (const command of candidates) {
    const words = command.words.map((w) => w.value);
    const call = scriptCall(words, pkg.scripts);
    if (!call) continue;
    const dev = findDevTool(pkg.scripts, call.script);
    if (!dev) continue;
    const range = argumentsRange(analysis, instr);
    if (!range) return undefined;
    const main = mainFile(analysis, pkg, dev);
    const suggestion = main ? `${instr.keyword} ${toExecArray(['node', main])}` : `${instr.keyword} ["node", "<main file>"]`;
    const toolName = dev.tool.split(' ')[0];
    const isDev = pkg.devDependencies.includes(toolName);
    const data: Record<string, string | number> = {
      keyword: instr.keyword,
      command: words.join(' '),
      script: call.script,
      scriptText: own(pkg.scripts, call.script) ?? '',
      tool: dev.tool,
      via: dev.chain.slice(1).map((s) => `"${s}"`).join(', '),
      suggestion: '`' + suggestion + '`',
      devDependency: isDev ? `, and a devDependency that a production install does not even install` : '',
      devDependency_ru: isDev ? ', к тому же это devDependency, которую установка production-зависимостей даже не ставит' : '',
    };
    // Only a bare `yarn start` becomes `node <main>`: inline variables or script arguments would be lost.
    const lone = one !== undefined && command.assignments.length === 0 && words.length === call.used;
    return {
      messageId: dev.chain.length > 1 ? 'devScriptVia' : 'devScript',
      data,
      range,
      fixes:
        main && lone
          ? [{ title: t(`Run node directly: {suggestion}`, `Запускать node напрямую: {suggestion}`), edits: [{ range, newText: toExecArray(['node', main]) }] }]
          : undefined,
    };
  }
  return undefined;
}

/** The file to run: `main` from package.json (Node's default: index.js), else the file the dev tool was given. */
function mainFile(analysis: Analysis, pkg: PackageInfo, dev: DevUse): string | undefined {
  const exists = (f: string) => analysis.project.read(f) !== undefined;
  const clean = (f: string) => f.replace(/\\/g, '/').replace(/^\.\//, '');
  const main = clean(pkg.main ?? 'index.js');
  // A TypeScript entry needs a build step first: no mechanical fix.
  if (/\.tsx?$/.test(main)) return undefined;
  const withExt = /\.(?:c|m)?js$/.test(main) ? main : `${main}.js`;
  if (exists(withExt)) return withExt;
  if (exists(`${main}/index.js`)) return `${main}/index.js`;
  if (dev.file && exists(clean(dev.file))) return clean(dev.file);
  return undefined;
}
