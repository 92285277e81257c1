// Events per key per window (submissions per learner, failed joins per client address). A fixed window is enough here: the limit protects the
// sandboxes from one runaway client, not a billing boundary. State is per process; behind
// several replicas each enforces the limit on what it sees.
export interface RateLimiter {
  /** Counts one event for the key; says whether it is allowed and, if not, when to retry. */
  take(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number };
  /** The same answer as take, without counting: for limits on failures only. */
  peek(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number };
  /** Gives back one event taken in the current window (a submission that was not stored). */
  release(key: string): void;
}

export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  now?: () => number;
}): RateLimiter {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  function check(key: string, count: boolean) {
    if (options.limit <= 0) return { allowed: true } as const;
    const at = now();
    let window = windows.get(key);
    if (!window || at - window.start >= options.windowMs) {
      if (!count) return { allowed: true } as const;
      if (windows.size > 100_000) windows.clear();
      window = { start: at, count: 0 };
      windows.set(key, window);
    }
    if (window.count >= options.limit) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((window.start + options.windowMs - at) / 1000)),
      } as const;
    }
    if (count) window.count++;
    return { allowed: true } as const;
  }
  return {
    take: (key) => check(key, true),
    peek: (key) => check(key, false),
    release(key) {
      const window = windows.get(key);
      if (window && window.count > 0 && now() - window.start < options.windowMs) window.count--;
    },
  };
}
