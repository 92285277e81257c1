// Rate windows kept in the database (src/progress/rate-windows.ts), so every replica counts
// against the same limit. The takes asked in one turn of the event loop go to the database as
// one statement, sent in that turn's check phase (a key asked twice in one turn goes in a second
// statement, after the first): under load, one statement for several submissions instead of one
// each, and each window still counted atomically. Windows that ended are deleted at most once a
// minute per replica, by a statement sent beside a take and never waited for.
import type { RateWindows, WindowState } from "./rate-limit.ts";

export interface Take {
  key: string;
  limit: number;
  windowMs: number;
  at: number;
}

export interface WindowStore {
  /** Distinct keys; the states in the order asked. */
  takeMany(takes: readonly Take[]): Promise<WindowState[]>;
  peek(key: string, at: number): Promise<WindowState>;
  release(key: string, limit: number, at: number): Promise<void>;
  prune(at: number): Promise<void>;
}

export const PRUNE_EVERY_MS = 60_000;

interface Waiting extends Take {
  resolve(state: WindowState): void;
  reject(error: unknown): void;
}

export function createSharedWindows(
  store: WindowStore,
  onPruneError: (error: unknown) => void = () => {},
): RateWindows {
  let prunedAt = 0;
  let waiting: Waiting[] = [];

  function enqueue(takes: Waiting[]): void {
    if (waiting.length === 0) setImmediate(flush);
    waiting.push(...takes);
  }

  function flush(): void {
    const batch = waiting;
    waiting = [];
    const keys = new Set<string>();
    const now: Waiting[] = [];
    const again: Waiting[] = [];
    for (const take of batch) {
      if (keys.has(take.key)) {
        again.push(take);
      } else {
        keys.add(take.key);
        now.push(take);
      }
    }
    const answered = store.takeMany(now).then(
      (states) => now.forEach((take, i) => take.resolve(states[i]!)),
      (error: unknown) => now.forEach((take) => take.reject(error)),
    );
    // The same key again: counted after the statement before it, as separate calls would be.
    if (again.length > 0) void answered.then(() => enqueue(again));
  }

  return {
    take(key, limit, windowMs, at) {
      if (at - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = at;
        store.prune(at).catch(onPruneError);
      }
      return new Promise<WindowState>((resolve, reject) =>
        enqueue([{ key, limit, windowMs, at, resolve, reject }]),
      );
    },
    peek: (key, at) => store.peek(key, at),
    release: (key, limit, at) => store.release(key, limit, at),
  };
}
