// How many of something one key (a learner) may have going at once: runs, open streams. A count
// per key, in memory (per replica), entered before the thing starts and left in a `finally`.
export interface ConcurrencyLimit {
  /** Takes a place for the key; false when it already has `limit`. */
  enter(key: string): boolean;
  leave(key: string): void;
  /** Places the key holds now. */
  count(key: string): number;
}

export function createConcurrencyLimit(limit: number): ConcurrencyLimit {
  const held = new Map<string, number>();
  return {
    enter(key) {
      const count = held.get(key) ?? 0;
      if (count >= limit) return false;
      held.set(key, count + 1);
      return true;
    },
    leave(key) {
      const count = held.get(key) ?? 0;
      // Emptied keys are dropped, so the map holds only keys with something going.
      if (count <= 1) held.delete(key);
      else held.set(key, count - 1);
    },
    count: (key) => held.get(key) ?? 0,
  };
}
