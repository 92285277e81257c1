// Events per key per window (submissions per learner, failed joins per client address). A fixed
// window, starting at the key's first event, is enough here: the limit protects the sandboxes
// from one runaway client, not a billing boundary. Where the windows live is the caller's
// choice (RateWindows): this process's memory, or the database every replica shares
// (shared-windows.ts), so that N replicas enforce one limit, not N.
export type RateAnswer = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one event for the key; says whether it is allowed and, if not, when to retry. */
  take(key: string): Promise<RateAnswer>;
  /** The same answer as take, without counting: for limits on failures only. */
  peek(key: string): Promise<RateAnswer>;
  /** Gives back one event taken in the current window (a submission that was not stored). */
  release(key: string): Promise<void>;
}

export interface WindowState {
  /** Events counted in the window; past the limit (by one at most) once one was refused. */
  count: number;
  /** When the window ends (ms since 1970); 0 when the key has none. */
  expiresAt: number;
}

/** Where the windows are kept. Keys arrive namespaced by limiter ("submissions/<id>"). */
export interface RateWindows {
  /** Counts one event (a new window if the last one ended at or before `at`), up to limit + 1. */
  take(key: string, limit: number, windowMs: number, at: number): Promise<WindowState>;
  peek(key: string, at: number): Promise<WindowState>;
  release(key: string, limit: number, at: number): Promise<void>;
}

/** Windows in this process's memory: each replica counts what it sees. */
export function createMemoryWindows(maxKeys = 100_000): RateWindows {
  const windows = new Map<string, WindowState>();
  const open = (key: string, at: number) => {
    const window = windows.get(key);
    return window && window.expiresAt > at ? window : undefined;
  };
  return {
    async take(key, limit, windowMs, at) {
      let window = open(key, at);
      if (!window) {
        if (windows.size >= maxKeys) {
          for (const [other, state] of windows) if (state.expiresAt <= at) windows.delete(other);
          // Still full of live windows: forget them all rather than grow without bound.
          if (windows.size >= maxKeys) windows.clear();
        }
        window = { count: 0, expiresAt: at + windowMs };
        windows.set(key, window);
      }
      window.count = Math.min(window.count + 1, limit + 1);
      return { ...window };
    },
    async peek(key, at) {
      const window = open(key, at);
      return window ? { ...window } : { count: 0, expiresAt: 0 };
    },
    async release(key, limit, at) {
      const window = open(key, at);
      if (window && window.count > 0) window.count = Math.min(window.count, limit) - 1;
    },
  };
}

export interface RateLimitOptions {
  /** Names the limit's keys in a shared store: `${name}/${key}`. */
  name: string;
  /** Events per window per key; 0 or less: no limit. */
  limit: number;
  windowMs: number;
  /** Defaults to a store of its own in memory. */
  windows?: RateWindows;
  now?: () => number;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const { name, limit, windowMs } = options;
  const now = options.now ?? Date.now;
  const windows = options.windows ?? createMemoryWindows();
  const answer = (state: WindowState, at: number, threshold: number): RateAnswer =>
    state.count <= threshold
      ? { allowed: true }
      : {
          allowed: false,
          retryAfterSeconds: Math.max(1, Math.ceil((state.expiresAt - at) / 1000)),
        };
  return {
    async take(key) {
      if (limit <= 0) return { allowed: true };
      const at = now();
      return answer(await windows.take(`${name}/${key}`, limit, windowMs, at), at, limit);
    },
    async peek(key) {
      if (limit <= 0) return { allowed: true };
      const at = now();
      // Allowed while the next take would be: fewer than `limit` counted so far.
      return answer(await windows.peek(`${name}/${key}`, at), at, limit - 1);
    },
    async release(key) {
      if (limit <= 0) return;
      await windows.release(`${name}/${key}`, limit, now());
    },
  };
}
