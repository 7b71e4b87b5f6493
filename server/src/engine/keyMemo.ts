/**
 * A memo kept on its keys: for caches keyed on the objects of one analysis (an Instr, a Stage, a
 * CopySpec, a ShellCommand, the Analysis, a Finding), whose values go when their keys go, as a
 * WeakMap's would. Not a WeakMap because V8's young-generation collections kept WeakMap values alive
 * (and through them their keys, so whole analyses) until the next full collection: measured on a
 * 50-line check, each scavenge promoted about 2 MB of earlier checks and took 9 ms, a third of the
 * check's time; with the memos on the keys a scavenge takes about a millisecond.
 *
 * A key gets one hidden array, shared by all memos (each has its index in it), as a private field
 * stamped onto it: one new field per key instead of one per key and memo, and a private field is an
 * ordinary, optimized store where Object.defineProperty is a runtime call (defining properties was 4%
 * of a 50-line check). Private fields are invisible to the key's users: no key, symbol, JSON or
 * comparison shows them.
 */
/** Where a memo has no value for the key (its slot is below another memo's). */
const UNSET: unique symbol = Symbol('unset');
let memoCount = 0;

type Slots = unknown[];

/** A constructor that returns the object it is given, so a subclass's field lands on that object. */
class Target {
  constructor(target: object) {
    return target;
  }
}

class WithSlots extends Target {
  #slots: Slots = [];

  static of(key: object): Slots | undefined {
    return #slots in key ? (key as WithSlots).#slots : undefined;
  }

  static stamp(key: object): Slots {
    return (new WithSlots(key) as WithSlots).#slots;
  }
}

export class KeyMemo<K extends object, V> {
  private readonly index = memoCount++;

  /** The name is for a reader of heap snapshots and the code; slots are told apart by index. */
  constructor(readonly name: string) {}

  has(key: K): boolean {
    const slots = WithSlots.of(key);
    return slots !== undefined && this.index < slots.length && slots[this.index] !== UNSET;
  }

  get(key: K): V | undefined {
    const value = WithSlots.of(key)?.[this.index];
    return value === UNSET ? undefined : (value as V | undefined);
  }

  set(key: K, value: V): this {
    const slots = WithSlots.of(key) ?? WithSlots.stamp(key);
    while (slots.length < this.index) slots.push(UNSET);
    slots[this.index] = value;
    return this;
  }
}
