/**
 * How each course task is run and checked: its port, its environment variables (which of them are
 * secret), its volume. The checks themselves are in verify.ts.
 */
import type { TaskName } from '../../../server/src/engine/types';
import { ComposeProject, ComposeService, appService } from './compose';
import { LocalizedText, t } from './l10n';

export interface EnvSpec {
  name: string;
  /** Asked for with a password box, kept in SecretStorage, searched for in the image's history. */
  secret: boolean;
  /** Proposed when asking; used as is when the project gives no value. */
  default?: string;
  prompt: LocalizedText;
}

export interface TaskRuntime {
  task: TaskName;
  /** The port the program listens on inside the container; undefined: the image's first EXPOSE. */
  containerPort: number | undefined;
  /** The port Build and run publishes on 127.0.0.1 (Verify lets docker choose a free one). */
  hostPort: number | undefined;
  env: EnvSpec[];
  /** A named volume is mounted here (scratch: where uploads land). */
  volumePath?: string;
}

export const TASK_RUNTIME: Record<TaskName, TaskRuntime> = {
  gate: {
    task: 'gate',
    containerPort: 9000,
    hostPort: 9000,
    env: [
      { name: 'HMAC_ALGO', secret: false, default: 'sha256', prompt: t('HMAC algorithm for the gate task (HMAC_ALGO)', 'Алгоритм HMAC для задания gate (HMAC_ALGO)') },
      { name: 'HMAC_SECRET', secret: true, prompt: t('HMAC secret for the gate task (HMAC_SECRET); kept in VS Code\'s secret storage', 'Секрет HMAC для задания gate (HMAC_SECRET); хранится в защищённом хранилище VS Code') },
    ],
  },
  // The code listens on 9999; the developer's 9000 is the host side (`-p 127.0.0.1:9000:9999`).
  scratch: { task: 'scratch', containerPort: 9999, hostPort: 9000, env: [], volumePath: '/upload' },
  distroless: {
    task: 'distroless',
    containerPort: 9000,
    hostPort: 9000,
    env: [
      { name: 'APP_PORT', secret: false, default: '9000', prompt: t('Port the events service listens on (APP_PORT)', 'Порт сервиса событий (APP_PORT)') },
      { name: 'APP_HOST', secret: false, default: '0.0.0.0', prompt: t('Address the events service listens on (APP_HOST)', 'Адрес, который слушает сервис событий (APP_HOST)') },
    ],
  },
  generic: { task: 'generic', containerPort: undefined, hostPort: undefined, env: [] },
};

const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|(?:^|_)DB_URL$|DATABASE_URL/i;
export const looksSecret = (name: string): boolean => SECRET_NAME.test(name);

/** What the task's container gets: its variables (compose's app environment first), and compose's `command:`. */
export interface RunPlan {
  env: EnvSpec[];
  /** Values the project itself gives (docker-compose.yml); not asked for. */
  given: Record<string, string>;
  command: string[] | undefined;
  app: ComposeService | undefined;
  /** Services the app depends on (the database). */
  dependencies: ComposeService[];
}

export function runPlan(task: TaskName, compose: ComposeProject | undefined, contextDir: string): RunPlan {
  const spec = TASK_RUNTIME[task];
  const app = task === 'distroless' && compose ? appService(compose, contextDir) : undefined;
  const given: Record<string, string> = {};
  const env = [...spec.env];
  if (app) {
    for (const [name, value] of Object.entries(app.environment)) {
      if (task === 'distroless' && !name.startsWith('APP_')) continue;
      given[name] = value;
      if (!env.some((e) => e.name === name)) env.push({ name, secret: looksSecret(name), prompt: t(`Value of ${name}`, `Значение ${name}`) });
    }
  }
  const dependencies = app && compose ? compose.services.filter((s) => app.dependsOn.includes(s.name)) : [];
  return { env, given, command: app?.command, app, dependencies };
}
