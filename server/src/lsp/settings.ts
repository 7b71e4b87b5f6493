/**
 * The `dockerfileCoach` settings: read per document through workspace/configuration when the client
 * supports it (VS Code, most editors), else taken from didChangeConfiguration pushes.
 */
import type { Connection } from 'vscode-languageserver/node';
import type { Lang, Level, TaskName } from '../engine/types';
import { isTaskName } from '../engine/tasks';

export const SETTINGS_SECTION = 'dockerfileCoach';

export interface CoachSettings {
  task: TaskName | 'auto';
  rules: Record<string, Level>;
  language: Lang | 'auto';
}

export const DEFAULT_SETTINGS: Readonly<CoachSettings> = Object.freeze({ task: 'auto', rules: {}, language: 'auto' });

const LEVELS: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];

/** Accepts whatever the client sent; anything malformed falls back to the default for that field. */
export function normalizeSettings(raw: unknown): CoachSettings {
  if (!raw || typeof raw !== 'object') return { ...DEFAULT_SETTINGS, rules: {} };
  const obj = raw as Record<string, unknown>;
  const task = isTaskName(obj.task) ? obj.task : 'auto';
  const language = obj.language === 'en' || obj.language === 'ru' ? obj.language : 'auto';
  const rules: Record<string, Level> = {};
  if (obj.rules && typeof obj.rules === 'object' && !Array.isArray(obj.rules)) {
    for (const [id, level] of Object.entries(obj.rules as Record<string, unknown>)) {
      if (typeof level === 'string' && LEVELS.includes(level)) rules[id] = level as Level;
    }
  }
  return { task, rules, language };
}

/** `auto` follows the editor's display language: any `ru*` locale gets Russian, the rest English. */
export function resolveLang(setting: CoachSettings['language'], locale: string | undefined): Lang {
  if (setting !== 'auto') return setting;
  return locale?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export class SettingsStore {
  private readonly perDocument = new Map<string, Promise<CoachSettings>>();
  private pushed: CoachSettings = normalizeSettings(undefined);

  constructor(
    private readonly connection: Connection,
    private readonly canPull: () => boolean,
  ) {}

  get(uri: string): Promise<CoachSettings> {
    if (!this.canPull()) return Promise.resolve(this.pushed);
    let settings = this.perDocument.get(uri);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
        .then(normalizeSettings, (e: unknown) => {
          this.connection.console.warn(`dockerfile-coach: could not read settings for ${uri}: ${String(e)}`);
          return normalizeSettings(undefined);
        });
      this.perDocument.set(uri, settings);
    }
    return settings;
  }

  /** didChangeConfiguration: pull clients send null (re-read), push clients send the new values. */
  changed(pushedSettings: unknown): void {
    this.perDocument.clear();
    if (pushedSettings && typeof pushedSettings === 'object' && SETTINGS_SECTION in pushedSettings) {
      this.pushed = normalizeSettings((pushedSettings as Record<string, unknown>)[SETTINGS_SECTION]);
    }
  }

  forget(uri: string): void {
    this.perDocument.delete(uri);
  }
}
