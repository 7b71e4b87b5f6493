/**
 * `target.push(...items)` passes every item as an argument, and V8 throws "Maximum call stack size
 * exceeded" past about 120,000 of them: a COPY of 200,000 sources made layer-hygiene fail that way.
 * Lists that grow with the user's text are appended with a loop instead (test/deep-input.test.ts).
 */
export function pushAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
  return target;
}
