/**
 * Messages of the docker modules in both languages. These modules run without VS Code (the node tests
 * run them for real), so they carry English and Russian text like the server's rules do; the VS Code
 * wrappers pick the language from `dockerfileCoach.language`.
 */
import type { Lang, LocalizedText } from '../../../server/src/engine/types';

export type { Lang, LocalizedText };

export const t = (en: string, ru: string): LocalizedText => ({ en, ru });

/** Fills `{name}` placeholders. */
export function fmt(text: LocalizedText, lang: Lang, data: Record<string, string | number> = {}): string {
  return text[lang].replace(/\{(\w+)\}/g, (m, key: string) => (key in data ? String(data[key]) : m));
}

/** Both languages filled in, for text that is kept and shown later. */
export function fill(text: LocalizedText, data: Record<string, string | number> = {}): LocalizedText {
  return { en: fmt(text, 'en', data), ru: fmt(text, 'ru', data) };
}

/** Text that is the same in both languages (docker's own output, names). */
export const same = (s: string): LocalizedText => ({ en: s, ru: s });
