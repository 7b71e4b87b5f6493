/**
 * A memo kept on its keys: for caches keyed on the objects of one analysis (an Instr, a Stage, a
 * CopySpec, a ShellCommand, the Analysis, a Finding), whose values go when their keys go, as a
 * WeakMap's would. Not a WeakMap because V8's young-generation collections kept WeakMap values alive
 * (and through them their keys, so whole analyses) until the next full collection: measured on a
 * 50-line check, each scavenge promoted about 2 MB of earlier checks and took 9 ms, a third of the
 * check's time; with the memos on the keys a scavenge takes under a millisecond.
 *
 * A key gets one hidden array, shared by all memos (each has its index in it): one new property per
 * key instead of one per key and memo (defining properties was 4% of a 50-line check).
 */
const MEMOS = Symbol('memos');
/** Where a memo has no value for the key (its slot is below another memo's). */
const UNSET: unique symbol = Symbol('unset');
let memoCount = 0;

type Slots = unknown[];

export class KeyMemo<K extends object, V> {
  private readonly index = memoCount++;

  /** The name is for a reader of heap snapshots and the code; slots are told apart by index. */
  constructor(readonly name: string) {}

  has(key: K): boolean {
    const slots = slotsOf(key);
    return slots !== undefined && this.index < slots.length && slots[this.index] !== UNSET;
  }

  get(key: K): V | undefined {
    const value = slotsOf(key)?.[this.index];
    return value === UNSET ? undefined : (value as V | undefined);
  }

  set(key: K, value: V): this {
    let slots = slotsOf(key);
    if (slots === undefined) {
      slots = [];
      // Not enumerable: the key's own fields, comparisons and JSON stay as they were.
      Object.defineProperty(key, MEMOS, { value: slots, enumerable: false });
    }
    while (slots.length < this.index) slots.push(UNSET);
    slots[this.index] = value;
    return this;
  }
}

const slotsOf = (key: object): Slots | undefined => (key as { [MEMOS]?: Slots })[MEMOS];
