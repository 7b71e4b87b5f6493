/**
 * Deterministic, realistic Dockerfiles of an exact line count for the benchmark: a `# coach: task=gate`
 * header, global ARGs, several build stages and a final stage, RUN with continuation lines and `&&`
 * chains, ENV/ARG (with `$VAR` / `${VAR}` uses), COPY (also `--from`), comments, blank lines, CMD.
 * Same size + same seed = same text, byte for byte.
 */

/** mulberry32: a small seeded PRNG, so the files are identical across runs and machines. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const APK_PACKAGES = ['ca-certificates', 'curl', 'git', 'tini', 'tzdata', 'python3', 'make', 'g++', 'openssl', 'bash', 'jq', 'libc6-compat', 'dumb-init', 'wget', 'unzip'];
const DIRS = ['src', 'lib', 'config', 'public', 'scripts', 'assets', 'locales', 'templates', 'migrations', 'views'];
const WORDS = ['build', 'cache', 'layer', 'deps', 'runtime', 'assets', 'config', 'service', 'worker', 'api', 'hmac', 'static'];
const DIGEST = 'sha256:2d0b9d7f0c6a0f4e2c3b1a5e9f8d7c6b5a4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c';

export interface Generated {
  text: string;
  lines: number;
  stages: number;
  instructions: number;
}

export function generateDockerfile(targetLines: number, seed = 0xd0c4e1): Generated {
  const rnd = prng(seed ^ targetLines);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  let argCount = 0;
  let envCount = 0;
  const declared: string[] = ['NODE_VERSION', 'APP_HOME'];

  const header = [
    '# coach: task=gate',
    '# syntax=docker/dockerfile:1',
    '# HMAC service image (generated for the Dockerfile Coach benchmark).',
    'ARG NODE_VERSION=20.11.1',
    'ARG ALPINE_VERSION=3.19',
    '',
  ];
  const stageCount = targetLines <= 80 ? 2 : Math.max(2, Math.round(targetLines / 250));
  const finalTail = (prev: string): string[] => [
    '',
    '# Runtime: only what the service needs, as the unprivileged node user.',
    `FROM node:\${NODE_VERSION}-alpine\${ALPINE_VERSION}@${DIGEST} AS runtime`,
    'ENV NODE_ENV=production',
    'WORKDIR /app',
    `COPY --from=${prev} --chown=node:node /app/node_modules ./node_modules`,
    'COPY --chown=node:node package.json yarn.lock index.js ./',
    'USER node',
    'EXPOSE 3000',
    'CMD ["node", "index.js"]',
  ];

  // One block = one instruction (with its continuation lines) or comment/blank lines.
  const blocks: Array<(stage: number) => string[]> = [
    () => [`# ${pick(WORDS)}: ${pick(WORDS)} ${pick(WORDS)} step, keep it before the ${pick(WORDS)} layer`],
    () => [''],
    () => {
      const name = `BUILD_${pick(WORDS).toUpperCase()}_${argCount++}`;
      declared.push(name);
      return [`ARG ${name}=${int(1, 9)}.${int(0, 20)}.${int(0, 9)}`];
    },
    () => {
      const n = int(1, 3);
      const out: string[] = [];
      for (let i = 0; i < n; i++) {
        const name = `${pick(WORDS).toUpperCase()}_DIR_${envCount++}`;
        const value = rnd() < 0.5 ? `\${APP_HOME}/${pick(DIRS)}` : `/opt/${pick(WORDS)}`;
        declared.push(name);
        out.push(i === 0 ? `ENV ${name}=${value}${n > 1 ? ' \\' : ''}` : `    ${name}=${value}${i < n - 1 ? ' \\' : ''}`);
      }
      return out;
    },
    () => {
      const pool = [...APK_PACKAGES];
      const pkgs = Array.from({ length: int(2, 7) }, () => pool.splice(Math.floor(rnd() * pool.length), 1)[0]);
      return ['RUN apk add --no-cache \\', ...pkgs.map((p) => `        ${p} \\`), '    && rm -rf /var/cache/apk/* /tmp/*'];
    },
    () => {
      const dir = pick(DIRS);
      const v = pick(declared);
      return [
        `RUN mkdir -p /app/${dir}/${pick(WORDS)} \\`,
        `    && chown -R node:node /app/${dir} \\`,
        `    && echo "built with \${${v}}" > /app/${dir}/VERSION \\`,
        `    && ls -la "$${v}" || true`,
      ];
    },
    () => [
      'RUN set -eux; \\',
      `    cd /app/${pick(DIRS)}; \\`,
      `    find . -name '*.map' -delete; \\`,
      `    test -f package.json && node -e "require('./package.json')"`,
    ],
    () => [`COPY --chown=node:node ${pick(DIRS)}/ ./${pick(DIRS)}/`],
    (stage) => (stage > 0 ? [`COPY --from=build${int(0, stage - 1)} /app/${pick(DIRS)} /app/${pick(DIRS)}`] : ['COPY package.json yarn.lock ./']),
    () => [`WORKDIR \${APP_HOME}/${pick(DIRS)}`],
    () => ['RUN yarn install --frozen-lockfile --production \\', '    && yarn cache clean'],
    () => [`LABEL org.opencontainers.image.${pick(['title', 'version', 'vendor', 'description'])}="${pick(WORDS)} ${pick(WORDS)}"`],
    () => [`RUN node scripts/${pick(WORDS)}.js --out /app/${pick(DIRS)} && echo done`],
  ];
  // Fill-ins of one line, for the end of a stage's line budget.
  const oneLiners = [0, 1, 2, 7, 9, 11, 12];

  const out = [...header];
  const tail = finalTail(`build${stageCount - 2}`);
  const budget = targetLines - header.length - tail.length;
  const perStage = Math.floor(budget / (stageCount - 1));
  for (let s = 0; s < stageCount - 1; s++) {
    const stageLines: string[] = [];
    const from =
      s === 0 || rnd() < 0.6
        ? `FROM node:\${NODE_VERSION}-alpine\${ALPINE_VERSION} AS build${s}`
        : `FROM build${int(0, s - 1)} AS build${s}`;
    stageLines.push(from, 'ARG APP_HOME=/app', `WORKDIR \${APP_HOME}`);
    const limit = s === stageCount - 2 ? budget - (perStage * (stageCount - 2)) : perStage;
    while (stageLines.length < limit) {
      const remaining = limit - stageLines.length;
      let block = blocks[Math.floor(rnd() * blocks.length)](s);
      if (block.length > remaining) block = blocks[pick(oneLiners)](s);
      stageLines.push(...block);
    }
    out.push(...stageLines);
  }
  out.push(...tail);
  const text = out.join('\n') + '\n';
  const lines = text.split('\n').length - 1;
  if (lines !== targetLines) throw new Error(`generator produced ${lines} lines, wanted ${targetLines}`);
  const instructions = out.filter((l) => /^[A-Z]+\s/.test(l)).length;
  return { text, lines, stages: stageCount, instructions };
}
