/**
 * Lookup tables for words from the user's files. A plain object literal inherits Object.prototype's
 * members, so a Dockerfile word like `constructor`, `toString` or `__proto__` found a function where
 * a rule expected a table entry (`RUN constructor` made write-access throw, `FROM constructor`
 * pinned-base-image). test/prototype-names.test.ts checks that such words behave as unknown words.
 */

/** A frozen table without a prototype: a key it was not given is missing, whatever its name. */
export function table<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/** `record[key]` when `key` is the record's own (parsed JSON, such as package.json, has a prototype). */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
