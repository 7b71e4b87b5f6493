/**
 * Task profiles (data) and how the task of a Dockerfile is chosen: the `# coach: task=` comment,
 * `dockerfile-coach.json`, the setting, detection from the project files, else `generic`.
 */
import * as path from 'path';
import type { Level, LocalizedText, TaskName, TaskProfile } from './types';
import { TASK_NAMES } from './types';
import type { ProjectFiles } from './project';

export const TASKS: Record<TaskName, TaskProfile> = {
  gate: {
    name: 'gate',
    title: { en: 'Gate task: Node.js HMAC service', ru: 'Gate Task: сервис HMAC на Node.js' },
    levels: {},
    multiStage: 'forbidden',
    legacyBuilder: true,
  },
  scratch: {
    name: 'scratch',
    title: { en: 'Scratch task: Go upload service on scratch', ru: 'Scratch Task: сервис загрузки на Go в scratch' },
    levels: {},
    multiStage: 'required',
    legacyBuilder: true,
  },
  distroless: {
    name: 'distroless',
    title: { en: 'Distroless task: Go events service on distroless', ru: 'Distroless Task: сервис событий на Go в distroless' },
    levels: {},
    multiStage: 'required',
    legacyBuilder: true,
  },
  // Any other Dockerfile: course advice, but nothing a real-world Dockerfile is failed for.
  generic: {
    name: 'generic',
    title: { en: 'Generic Dockerfile (course-wide rules)', ru: 'Обычный Dockerfile (общие правила курса)' },
    levels: {
      'non-root-user': 'warning',
      'pinned-base-image': 'warning',
      'production-install': 'warning',
      'no-shell-scripts': 'information',
      'exec-form': 'warning',
      'exec-form-variables': 'warning',
      'no-baked-secrets': 'warning',
      'legacy-builder': 'information',
      'multi-stage': 'off',
      // Rules 13-14 and 18-21: course requirements, or builds that only fail under the legacy builder.
      dockerignore: 'warning',
      'absolute-workdir': 'warning',
      'broken-references': 'warning',
      'no-shell-in-minimal-image': 'warning',
      volumes: 'warning',
      'write-access': 'warning',
    },
    multiStage: 'any',
    legacyBuilder: false,
  },
};

export function isTaskName(value: unknown): value is TaskName {
  return typeof value === 'string' && (TASK_NAMES as readonly string[]).includes(value);
}

export type TaskSource = 'comment' | 'config' | 'setting' | 'detected' | 'default';

export interface ResolvedTask {
  profile: TaskProfile;
  source: TaskSource;
  reason: LocalizedText;
}

export interface CoachConfig {
  task?: TaskName;
  rules?: Record<string, Level>;
  /** Where the config came from, relative to the Dockerfile's folder. */
  file: string;
}

export type ConfigResult = { config: CoachConfig | undefined; error?: { file: string; message: string } };

const LEVELS = ['error', 'warning', 'information', 'hint', 'off'];

/** `dockerfile-coach.json` next to the Dockerfile, else at the workspace root. */
export function readConfig(project: ProjectFiles): ConfigResult {
  const candidates: string[] = ['dockerfile-coach.json'];
  if (project.dir && project.workspaceRoot && path.resolve(project.workspaceRoot) !== path.resolve(project.dir)) {
    candidates.push(path.relative(project.dir, path.join(project.workspaceRoot, 'dockerfile-coach.json')));
  }
  for (const file of candidates) {
    const text = project.read(file);
    if (text === undefined) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      return { config: undefined, error: { file, message: (e as Error).message } };
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { config: undefined, error: { file, message: 'expected a JSON object' } };
    const obj = raw as Record<string, unknown>;
    const config: CoachConfig = { file };
    if (obj.task !== undefined) {
      if (!isTaskName(obj.task)) return { config: undefined, error: { file, message: `unknown task ${JSON.stringify(obj.task)}; expected one of ${TASK_NAMES.join(', ')}` } };
      config.task = obj.task;
    }
    if (obj.rules !== undefined) {
      if (!obj.rules || typeof obj.rules !== 'object') return { config: undefined, error: { file, message: '"rules" must be an object' } };
      config.rules = {};
      for (const [id, level] of Object.entries(obj.rules as Record<string, unknown>)) {
        if (typeof level !== 'string' || !LEVELS.includes(level)) {
          return { config: undefined, error: { file, message: `rule ${id}: level must be one of ${LEVELS.join(', ')}` } };
        }
        config.rules[id] = level as Level;
      }
    }
    return { config };
  }
  return { config: undefined };
}

/** The task named by a `# coach: task=<name>` comment in the Dockerfile's leading comments. */
export function taskFromComment(text: string): { task: string; line: number } | undefined {
  // Only the leading comments matter: walk lines without splitting the whole file.
  const lineBreak = /\r\n|\r|\n/g;
  for (let line = 0, start = 0; start <= text.length; line++) {
    lineBreak.lastIndex = start;
    const m0 = lineBreak.exec(text);
    const end = m0 ? m0.index : text.length;
    const l = text.slice(start, end).trim();
    start = m0 ? m0.index + m0[0].length : text.length + 1;
    if (l === '') continue;
    if (!l.startsWith('#')) return undefined;
    const m = /^#\s*coach:\s*task\s*=\s*([A-Za-z0-9_-]+)/.exec(l);
    if (m) return { task: m[1], line };
  }
  return undefined;
}

function goFiles(project: ProjectFiles, dir = '.', depth = 0, out: string[] = []): string[] {
  if (depth > 4 || out.length > 200) return out;
  for (const name of project.list(dir)) {
    if (name.startsWith('.') || name === 'vendor' || name === 'node_modules') continue;
    const rel = dir === '.' ? name : `${dir}/${name}`;
    if (name.endsWith('.go')) out.push(rel);
    else if (!name.includes('.')) goFiles(project, rel, depth + 1, out);
  }
  return out;
}

export function detectTask(project: ProjectFiles): { task: TaskName; reason: LocalizedText } | undefined {
  if (project.exists('package.json') && project.exists('yarn.lock') && project.exists('index.js')) {
    return { task: 'gate', reason: { en: 'package.json, yarn.lock and index.js found', ru: 'найдены package.json, yarn.lock и index.js' } };
  }
  if (project.exists('go.mod')) {
    const upload = goFiles(project).some((f) => /FormFile\(|multipart|["'`]\/upload/.test(project.read(f) ?? ''));
    if (upload) return { task: 'scratch', reason: { en: 'go.mod and an upload handler found', ru: 'найдены go.mod и обработчик загрузки файлов' } };
    if (['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'].some((f) => project.exists(f))) {
      return { task: 'distroless', reason: { en: 'go.mod and docker-compose.yml found', ru: 'найдены go.mod и docker-compose.yml' } };
    }
  }
  return undefined;
}

export function resolveTask(text: string, project: ProjectFiles, config: CoachConfig | undefined, setting: string | undefined): ResolvedTask {
  const comment = taskFromComment(text);
  if (comment && isTaskName(comment.task)) {
    return {
      profile: TASKS[comment.task],
      source: 'comment',
      reason: { en: `# coach: task=${comment.task} on line ${comment.line + 1}`, ru: `# coach: task=${comment.task} в строке ${comment.line + 1}` },
    };
  }
  if (config?.task) {
    return { profile: TASKS[config.task], source: 'config', reason: { en: `set in ${config.file}`, ru: `задано в ${config.file}` } };
  }
  if (setting && setting !== 'auto' && isTaskName(setting)) {
    return { profile: TASKS[setting], source: 'setting', reason: { en: 'dockerfileCoach.task setting', ru: 'настройка dockerfileCoach.task' } };
  }
  const detected = detectTask(project);
  if (detected) return { profile: TASKS[detected.task], source: 'detected', reason: detected.reason };
  return { profile: TASKS.generic, source: 'default', reason: { en: 'no task detected', ru: 'задание не определено' } };
}
