/** Image tags: the default one for a Dockerfile's folder, and the check of what a user types. */
import * as path from 'path';

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)';
const REFERENCE = new RegExp(`^${DOMAIN}?${COMPONENT}(?:/${COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$`);

/** Docker's reference grammar for `-t` (name[:tag], no digest). */
export function isValidTag(tag: string): boolean {
  return tag.length > 0 && tag.length <= 255 && REFERENCE.test(tag);
}

/** The folder's name, lowercased, made a valid repository name, with `:dev`: `My App; x` gives `my-app-x:dev`. */
export function defaultTag(contextDir: string): string {
  const name = path
    .basename(path.resolve(contextDir))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[._-]{2,}/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '');
  return `${name || 'image'}:dev`;
}
