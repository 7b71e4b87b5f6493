/**
 * A memo kept on its keys: for caches keyed on the objects of one analysis (an Instr, a Stage, a
 * CopySpec, a ShellCommand, the Analysis, a Finding), whose values go when their keys go, as a
 * WeakMap's would. Not a WeakMap because V8's young-generation collections kept WeakMap values alive
 * (and through them their keys, so whole analyses) until the next full collection: measured on a
 * 50-line check, each scavenge promoted about 2 MB of earlier checks and took 9 ms, a third of the
 * check's time; with the memos on the keys a scavenge takes under a millisecond.
 */
export class KeyMemo<K extends object, V> {
  private readonly slot: symbol;

  constructor(name: string) {
    this.slot = Symbol(name);
  }

  has(key: K): boolean {
    return Object.prototype.hasOwnProperty.call(key, this.slot);
  }

  get(key: K): V | undefined {
    return (key as unknown as Record<symbol, V | undefined>)[this.slot];
  }

  set(key: K, value: V): this {
    // Not enumerable: the key's own fields, comparisons and JSON stay as they were.
    Object.defineProperty(key, this.slot, { value, writable: true, configurable: true, enumerable: false });
    return this;
  }
}
