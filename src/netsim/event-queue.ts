// The simulation's agenda: a binary min-heap ordered by virtual time, then by insertion order,
// so two things scheduled for the same microsecond always happen in the order they were asked.
import type { VirtualMicros } from "./types.ts";

interface Entry {
  atUs: VirtualMicros;
  order: number;
  run: () => void;
}

export interface EventQueue {
  schedule(atUs: VirtualMicros, run: () => void): void;
  /** Time of the earliest entry, or undefined when nothing is scheduled. */
  peekTime(): VirtualMicros | undefined;
  /** Removes and returns the earliest entry. */
  pop(): Entry | undefined;
  readonly size: number;
}

export function createEventQueue(): EventQueue {
  const heap: Entry[] = [];
  let order = 0;

  const before = (x: Entry, y: Entry): boolean =>
    x.atUs < y.atUs || (x.atUs === y.atUs && x.order < y.order);

  const siftUp = (index: number): void => {
    const entry = heap[index]!;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = heap[parent]!;
      if (!before(entry, above)) break;
      heap[index] = above;
      index = parent;
    }
    heap[index] = entry;
  };

  const siftDown = (index: number): void => {
    const entry = heap[index]!;
    const length = heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, entry)) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = entry;
  };

  return {
    schedule(atUs, run) {
      heap.push({ atUs, order: order++, run });
      siftUp(heap.length - 1);
    },
    peekTime: () => heap[0]?.atUs,
    pop() {
      const top = heap[0];
      const last = heap.pop();
      if (top !== undefined && last !== undefined && heap.length > 0) {
        heap[0] = last;
        siftDown(0);
      }
      return top;
    },
    get size() {
      return heap.length;
    },
  };
}
