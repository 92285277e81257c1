// The runs waiting for a sandbox: one first-in first-out line per learner, served in turn (round
// robin), so a class pressing Run at once is served in arrival order and one learner's flood
// does not push the others back. Bounded three ways: runs in all, bytes held (their code and
// files), and runs per learner; past a bound push() refuses and the caller answers "busy".

export interface FairQueueLimits {
  maxItems: number;
  maxBytes: number;
  maxPerKey: number;
}

export type PushRefusal = "full" | "key-full";

export function createFairQueue<T>(limits: FairQueueLimits) {
  // Map order is the turn order: a served line moves to the back, a new line joins the back.
  const lines = new Map<string, T[]>();
  const where = new Map<T, { key: string; bytes: number }>();
  let bytes = 0;

  function push(key: string, item: T, size: number): PushRefusal | null {
    const line = lines.get(key);
    if ((line?.length ?? 0) >= limits.maxPerKey) return "key-full";
    if (where.size >= limits.maxItems || bytes + size > limits.maxBytes) return "full";
    if (line) line.push(item);
    else lines.set(key, [item]);
    where.set(item, { key, bytes: size });
    bytes += size;
    return null;
  }

  function shift(): T | undefined {
    for (const [key, line] of lines) {
      const item = line.shift()!;
      lines.delete(key);
      if (line.length > 0) lines.set(key, line);
      forget(item);
      return item;
    }
    return undefined;
  }

  function remove(item: T): boolean {
    const place = where.get(item);
    if (!place) return false;
    const line = lines.get(place.key)!;
    line.splice(line.indexOf(item), 1);
    if (line.length === 0) lines.delete(place.key);
    forget(item);
    return true;
  }

  function forget(item: T): void {
    bytes -= where.get(item)!.bytes;
    where.delete(item);
  }

  /** Each waiting item's place in the order it will be served, from 1. */
  function positions(): Map<T, number> {
    const order = new Map<T, number>();
    let longest = 0;
    for (const line of lines.values()) longest = Math.max(longest, line.length);
    for (let depth = 0; depth < longest; depth++) {
      for (const line of lines.values()) {
        if (depth < line.length) order.set(line[depth]!, order.size + 1);
      }
    }
    return order;
  }

  /** The place of one item, without listing everyone's. */
  function positionOf(item: T): number {
    const place = where.get(item);
    if (!place) return 0;
    let position = 0;
    let before = true;
    const depth = lines.get(place.key)!.indexOf(item);
    for (const [key, line] of lines) {
      if (key === place.key) {
        before = false;
        position += depth + 1;
        continue;
      }
      // Lines ahead in the turn order serve their (depth+1)th run before this one; lines behind
      // serve only their first `depth`.
      position += Math.min(line.length, before ? depth + 1 : depth);
    }
    return position;
  }

  function drain(): T[] {
    const all = [...where.keys()];
    lines.clear();
    where.clear();
    bytes = 0;
    return all;
  }

  return {
    push,
    shift,
    remove,
    positions,
    positionOf,
    drain,
    get size() {
      return where.size;
    },
    get bytes() {
      return bytes;
    },
  };
}

export type FairQueue<T> = ReturnType<typeof createFairQueue<T>>;
