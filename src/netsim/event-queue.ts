// The simulation's agenda: a binary min-heap ordered by virtual time, then by insertion order,
// so two things scheduled for the same microsecond always happen in the order they were asked.
import type { VirtualMicros } from "./types.ts";

interface Entry {
  atUs: VirtualMicros;
  order: number;
  run: () => void;
  /** A cancelled timer stays in the heap until it reaches the top, where it is discarded. */
  cancelled: boolean;
}

export interface EventQueue {
  schedule(atUs: VirtualMicros, run: () => void): void;
  /**
   * Like schedule, for timers that are usually cancelled (TCP's retransmission timer): a
   * cancelled entry never runs, and neither moves the clock nor keeps the agenda from being idle.
   */
  timer(atUs: VirtualMicros, run: () => void): () => void;
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

  const removeTop = (): Entry | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (top !== undefined && last !== undefined && heap.length > 0) {
      heap[0] = last;
      siftDown(0);
    }
    return top;
  };
  const dropCancelled = (): void => {
    while (heap.length > 0 && heap[0]!.cancelled) removeTop();
  };

  return {
    schedule(atUs, run) {
      heap.push({ atUs, order: order++, run, cancelled: false });
      siftUp(heap.length - 1);
    },
    timer(atUs, run) {
      const entry: Entry = { atUs, order: order++, run, cancelled: false };
      heap.push(entry);
      siftUp(heap.length - 1);
      return () => {
        entry.cancelled = true;
      };
    },
    peekTime: () => {
      dropCancelled();
      return heap[0]?.atUs;
    },
    pop() {
      dropCancelled();
      return removeTop();
    },
    get size() {
      return heap.length;
    },
  };
}
