import { isMap, isScalar } from 'yaml';
import type { Finding } from '../../engine/types';
import { Job, Step, buildsImage, get, pair, usesAction } from '../model';
import type { WorkflowRule } from '../types';
import { insertLinesBefore, insertStepBefore, nodeSpan } from '../edits';

const PUSH = /\bdocker\s+(?:image\s+)?push\b|\bdocker\s+buildx\s+build\b[^\n]*--push\b/;
const TOKEN = /secrets\.|github\.token|GITHUB_TOKEN/;

const pushes = (s: Step) =>
  PUSH.test(s.script) || (usesAction(s, 'docker/build-push-action') && !!s.with.push && !/^false$/i.test(s.with.push.trim()));

function logsIn(job: Job): Step | undefined {
  return job.steps.find(
    (s) =>
      (usesAction(s, 'docker/login-action') && /ghcr\.io/i.test(s.with.registry ?? '')) ||
      /\bdocker\s+login\b[^\n]*ghcr\.io/i.test(s.script),
  );
}

const loginUsesToken = (s: Step) =>
  usesAction(s, 'docker/login-action') ? TOKEN.test(s.with.password ?? '') : TOKEN.test(s.script) || Object.values(s.env).some((v) => TOKEN.test(v));

/** `packages: write` (or `write-all`) in a permissions value. */
function grantsPackages(node: unknown): boolean {
  if (isScalar(node)) return String(node.value) === 'write-all';
  return isMap(node) && String((get(node, 'packages') as { value?: unknown } | undefined)?.value ?? '') === 'write';
}

export const LOGIN_STEP = ['name: Log in to GHCR', 'run: echo "${{ secrets.GITHUB_TOKEN }}" | docker login ghcr.io -u "${{ github.actor }}" --password-stdin'].join('\n');

export const ghcrPush: WorkflowRule = {
  id: 'workflow-ghcr-push',
  title: { en: 'The workflow pushes the image to GHCR', ru: 'Workflow публикует образ в GHCR' },
  defaultSeverity: 'error',
  messages: {
    noPush: {
      en: 'The workflow builds the image but never pushes it: push it to ghcr.io (`docker push ghcr.io/<owner>/<repo>:<tag>`).',
      ru: 'Workflow собирает образ, но не публикует его: отправьте его в ghcr.io (`docker push ghcr.io/<owner>/<repo>:<tag>`).',
    },
    notGhcr: {
      en: 'The image is pushed, but not to ghcr.io: the course expects a public image in GitHub Container Registry.',
      ru: 'Образ публикуется, но не в ghcr.io: курс ожидает публичный образ в GitHub Container Registry.',
    },
    noLogin: {
      en: 'The job pushes to ghcr.io without logging in: add a `docker login ghcr.io` step with GITHUB_TOKEN before the push.',
      ru: 'Задание публикует в ghcr.io без входа: добавьте перед публикацией шаг `docker login ghcr.io` с GITHUB_TOKEN.',
    },
    loginPassword: {
      en: 'Log in to ghcr.io with `${{ secrets.GITHUB_TOKEN }}` (or another secret), never with a password written in the workflow.',
      ru: 'Входите в ghcr.io с `${{ secrets.GITHUB_TOKEN }}` (или другим секретом), а не с паролем, записанным в workflow.',
    },
    permissions: {
      en: 'Job "{job}" pushes to ghcr.io but does not have `permissions: packages: write`: GITHUB_TOKEN cannot publish the package.',
      ru: 'Задание «{job}» публикует в ghcr.io, но у него нет `permissions: packages: write`: GITHUB_TOKEN не сможет опубликовать пакет.',
    },
  },
  check({ workflow: wf, buildJobs }) {
    const out: Finding[] = [];
    for (const job of buildJobs) {
      const builder = job.steps.find(buildsImage) as Step;
      const pusher = job.steps.find(pushes);
      const anchor = (s: Step) => wf.nodeRange(s.uses ?? s.run ?? s.node);
      if (!pusher) {
        out.push({ messageId: 'noPush', range: anchor(builder) });
        continue;
      }
      const jobText = wf.source(job.node) + Object.values(wf.env).join('\n');
      if (!/ghcr\.io/i.test(jobText)) {
        out.push({ messageId: 'notGhcr', range: anchor(pusher) });
        continue;
      }
      const login = logsIn(job);
      if (!login) {
        const first = job.steps.find((s) => s === builder || s === pusher) as Step;
        const edit = insertStepBefore(wf, first, LOGIN_STEP);
        out.push({
          messageId: 'noLogin',
          range: anchor(pusher),
          fixes: edit ? [{ title: { en: 'Add a login step with GITHUB_TOKEN', ru: 'Добавить шаг входа с GITHUB_TOKEN' }, edits: [edit] }] : [],
        });
      } else if (!loginUsesToken(login)) {
        const pw = login.withNode ? pair(login.withNode, 'password')?.value : undefined;
        out.push({ messageId: 'loginPassword', range: wf.nodeRange((pw as never) ?? login.uses ?? login.run ?? login.node) });
      }
      const jobPerm = job.permissions?.value;
      if (grantsPackages(jobPerm) || (!job.permissions && grantsPackages(wf.permissions?.value))) continue;
      const title = { en: 'Add `packages: write` to the job permissions', ru: 'Добавить `packages: write` в permissions задания' };
      let fix;
      if (isMap(jobPerm) && jobPerm.items.length > 0) {
        const packages = pair(jobPerm, 'packages');
        if (packages && isScalar(packages.value)) fix = { title, edits: [{ range: wf.nodeRange(packages.value), newText: 'write' }] };
        else if (!jobPerm.flow) {
          const last = jobPerm.items[jobPerm.items.length - 1];
          const [, end] = nodeSpan(wf, (last.value ?? last.key) as never);
          const at = wf.lineEnd(end);
          const nl = at === wf.text.length && !wf.text.endsWith('\n') ? '\n' : '';
          fix = { title, edits: [{ range: wf.range(at, at), newText: `${nl}${' '.repeat(wf.column(jobPerm))}packages: write${nl ? '' : '\n'}` }] };
        }
      } else if (!job.permissions && !job.node.flow && job.node.items.length > 0) {
        const first = job.node.items[0];
        const [start] = nodeSpan(wf, first.key as never);
        fix = { title, edits: [insertLinesBefore(wf, start, wf.column(first.key as never), ['permissions:', '  contents: read', '  packages: write'])] };
      }
      out.push({ messageId: 'permissions', data: { job: job.id }, range: wf.nodeRange((job.permissions?.key ?? job.key) as never), fixes: fix ? [fix] : [] });
    }
    return out;
  },
};
