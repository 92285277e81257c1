// Rate windows kept in the database (src/progress/rate-windows.ts), so every replica counts
// against the same limit: one statement per check. Windows that ended are deleted at most once
// a minute per replica, by a statement sent beside a check and never waited for.
import type { RateWindows, WindowState } from "./rate-limit.ts";

export interface WindowStore {
  take(key: string, limit: number, windowMs: number, at: number): Promise<WindowState>;
  peek(key: string, at: number): Promise<WindowState>;
  release(key: string, limit: number, at: number): Promise<void>;
  prune(at: number): Promise<void>;
}

export const PRUNE_EVERY_MS = 60_000;

export function createSharedWindows(
  store: WindowStore,
  onPruneError: (error: unknown) => void = () => {},
): RateWindows {
  let prunedAt = 0;
  return {
    take(key, limit, windowMs, at) {
      if (at - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = at;
        store.prune(at).catch(onPruneError);
      }
      return store.take(key, limit, windowMs, at);
    },
    peek: (key, at) => store.peek(key, at),
    release: (key, limit, at) => store.release(key, limit, at),
  };
}
