import type { Finding } from '../../engine/types';
import { DOCKER_BUILD, Job, Step, Workflow, usesAction } from '../model';
import type { WorkflowRule } from '../types';
import { deleteStep, replaceStep } from '../edits';
import { pushAll } from '../../engine/arrays';

/** The effective DOCKER_BUILDKIT of a step: step env over job env over workflow env. */
export function buildkitEnv(wf: Workflow, job: Job, step: Step): string | undefined {
  return step.env.DOCKER_BUILDKIT ?? job.env.DOCKER_BUILDKIT ?? wf.env.DOCKER_BUILDKIT;
}

const isOff = (v: string | undefined) => v !== undefined && /^(?:0|false)$/i.test(v.trim());

/** Options only buildx knows: a `docker buildx build` using them cannot become `docker build` mechanically. */
const BUILDX_ONLY = /--(?:push|load|platform|output|cache-from|cache-to|builder|provenance|sbom|attest)\b|\s-o\s/;

/** A plain `docker build` step replacing a build-push-action step. */
export function plainBuildStep(step: Step): string {
  const w = step.with;
  const tags = (w.tags ?? '').split(/[\n,]/).map((t) => t.trim()).filter(Boolean);
  const args = (w['build-args'] ?? '').split('\n').map((t) => t.trim()).filter(Boolean);
  const build = ['docker build', ...(w.file ? [`-f ${w.file}`] : []), ...args.map((a) => `--build-arg ${a}`), ...tags.map((t) => `-t ${t}`), w.context || '.'].join(' ');
  const push = (w.push ?? 'false').trim();
  const pushes = tags.map((t) => `docker push ${t}`);
  let script = [build];
  if (/^true$/i.test(push)) pushAll(script, pushes);
  else if (push.startsWith('${{') && pushes.length > 0) script = [build, `if [ "${push}" = "true" ]; then`, ...pushes.map((p) => `  ${p}`), 'fi'];
  return ['name: Build and push (legacy builder)', 'env:', '  DOCKER_BUILDKIT: 0', 'run: |', ...script.map((l) => `  ${l}`)].join('\n');
}

export const legacyBuilder: WorkflowRule = {
  id: 'workflow-legacy-builder',
  title: { en: 'The workflow builds with the legacy builder', ru: 'Workflow собирает образ legacy-сборщиком' },
  defaultSeverity: 'error',
  messages: {
    buildPushAction: {
      en: 'docker/build-push-action always builds with BuildKit (buildx); the course requires the legacy builder. Use a plain `docker build` step with DOCKER_BUILDKIT: 0.',
      ru: 'docker/build-push-action всегда собирает через BuildKit (buildx), а курс требует legacy-сборщик. Используйте обычный шаг `docker build` с DOCKER_BUILDKIT: 0.',
    },
    buildPushActionEnv: {
      en: 'docker/build-push-action ignores DOCKER_BUILDKIT: 0 and still builds with BuildKit (buildx). Use a plain `docker build` step instead.',
      ru: 'docker/build-push-action не смотрит на DOCKER_BUILDKIT: 0 и всё равно собирает через BuildKit (buildx). Используйте обычный шаг `docker build`.',
    },
    setupBuildx: {
      en: 'docker/setup-buildx-action sets up BuildKit (buildx); the legacy builder does not need it. Remove the step.',
      ru: 'docker/setup-buildx-action настраивает BuildKit (buildx); legacy-сборщику он не нужен. Удалите этот шаг.',
    },
    buildx: {
      en: '`docker buildx` always builds with BuildKit; the course requires the legacy builder: `DOCKER_BUILDKIT=0 docker build`.',
      ru: '`docker buildx` всегда собирает через BuildKit, а курс требует legacy-сборщик: `DOCKER_BUILDKIT=0 docker build`.',
    },
    buildkitOn: {
      en: '`docker build` uses BuildKit by default on GitHub runners. Set DOCKER_BUILDKIT: 0 in the step, job or workflow env, or run `DOCKER_BUILDKIT=0 docker build`.',
      ru: '`docker build` на раннерах GitHub по умолчанию использует BuildKit. Задайте DOCKER_BUILDKIT: 0 в env шага, задания или workflow или запускайте `DOCKER_BUILDKIT=0 docker build`.',
    },
  },
  check({ workflow: wf, buildJobs }) {
    const out: Finding[] = [];
    for (const job of wf.jobs) {
      const builds = buildJobs.includes(job);
      for (const step of job.steps) {
        const off = isOff(buildkitEnv(wf, job, step));
        if (usesAction(step, 'docker/build-push-action') && step.uses) {
          const edit = replaceStep(wf, step, plainBuildStep(step));
          out.push({
            messageId: off ? 'buildPushActionEnv' : 'buildPushAction',
            range: wf.nodeRange(step.uses),
            fixes: edit ? [{ title: { en: 'Replace with a plain `docker build` step', ru: 'Заменить обычным шагом `docker build`' }, edits: [edit] }] : [],
          });
        }
        if (builds && usesAction(step, 'docker/setup-buildx-action') && step.uses) {
          const edit = deleteStep(wf, step);
          out.push({
            messageId: 'setupBuildx',
            range: wf.nodeRange(step.uses),
            fixes: edit ? [{ title: { en: 'Remove the setup-buildx step', ru: 'Удалить шаг setup-buildx' }, edits: [edit] }] : [],
          });
        }
        if (!step.run) continue;
        const [start] = step.run.range ?? [0];
        const src = wf.source(step.run);
        for (const m of src.matchAll(/\bdocker\s+(?:buildx|builder)\b(\s+build\b)?/g)) {
          const at = start + (m.index ?? 0);
          const line = src.slice(m.index ?? 0).split('\n')[0];
          const mechanical = !!m[1] && !/\\\s*$/.test(line) && !BUILDX_ONLY.test(line);
          const before = src.slice(0, m.index ?? 0);
          const prefixed = off || /DOCKER_BUILDKIT=0\b/.test(before.split('\n').pop() ?? '') || /export\s+DOCKER_BUILDKIT=0\b/.test(before);
          out.push({
            messageId: 'buildx',
            range: wf.range(at, at + m[0].length),
            fixes: mechanical
              ? [{ title: { en: 'Use `DOCKER_BUILDKIT=0 docker build`', ru: 'Использовать `DOCKER_BUILDKIT=0 docker build`' }, edits: [{ range: wf.range(at, at + m[0].length), newText: prefixed ? 'docker build' : 'DOCKER_BUILDKIT=0 docker build' }] }]
              : [],
          });
        }
        if (off) continue;
        for (const m of src.matchAll(new RegExp(DOCKER_BUILD.source, 'g'))) {
          const before = src.slice(0, m.index ?? 0);
          if (/DOCKER_BUILDKIT=0\s+$/.test(before) || /export\s+DOCKER_BUILDKIT=0\b/.test(before)) continue;
          const at = start + (m.index ?? 0);
          out.push({
            messageId: 'buildkitOn',
            range: wf.range(at, at + m[0].length),
            fixes: [{ title: { en: 'Prefix with DOCKER_BUILDKIT=0', ru: 'Добавить DOCKER_BUILDKIT=0 перед командой' }, edits: [{ range: wf.range(at, at), newText: 'DOCKER_BUILDKIT=0 ' }] }],
          });
        }
      }
    }
    return out;
  },
};
