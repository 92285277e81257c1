// Bearer tokens of accounts, cached, yet revoked at once on every replica. Looking a token up
// costs a query; a cached principal is trusted only while the *token generation* it was cached
// under is still the current one. Every change that makes a token stand for someone else or no
// one (a revocation, a learner deleted or merged away) raises the generation once committed, and
// every replica reads the generation before trusting its cache: one single-row read per request
// (sharedGenerations), shared by the requests that arrive while another read is under way.
// A single process (the embedded database) keeps the generation in memory (localGenerations).
//
// Why not PostgreSQL's LISTEN/NOTIFY: a notification reaches the other replicas shortly after
// the commit, not before the revoking request has answered; a client that logs out on one
// replica and sends the token to another at once could still get in.
import type { Principal } from "../progress/accounts.ts";

export interface TokenGenerations {
  /** The generation as of a read that began after this call. */
  current(): Promise<number>;
  /** Raises it: call after the change is committed. */
  raise(): Promise<void>;
}

/** One process's generation: only right when no other process serves the same accounts. */
export function localGenerations(): TokenGenerations {
  let generation = 0;
  return {
    current: async () => generation,
    raise: async () => void generation++,
  };
}

/**
 * The generation in the database. Callers share reads: one is in flight at a time, and callers
 * who ask meanwhile share the next one, sent when it is answered (or, with none in flight, in the
 * turn's check phase). Either way the read they get began after each of them asked, so a change
 * committed before any of them was received is seen by all of them. Under load this is one read
 * per round trip to the database instead of one per turn of the event loop.
 */
export function sharedGenerations(store: {
  read(): Promise<number>;
  raise(): Promise<number>;
}): TokenGenerations {
  let inFlight: Promise<unknown> | undefined;
  let next: Promise<number> | undefined;
  const send = (): Promise<number> => {
    next = undefined;
    const read = store.read();
    const settled = read.then(
      () => {},
      () => {},
    );
    inFlight = settled;
    void settled.then(() => {
      if (inFlight === settled) inFlight = undefined;
    });
    return read;
  };
  return {
    current() {
      if (next) return next;
      const after = inFlight;
      next = after
        ? after.then(send)
        : new Promise<number>((resolve, reject) => {
            setImmediate(() => send().then(resolve, reject));
          });
      return next;
    },
    async raise() {
      await store.raise();
    },
  };
}

export interface TokenCacheOptions {
  lookup(token: string): Promise<Principal | undefined>;
  generations: TokenGenerations;
  /** How long an entry is kept at most, whatever the generation (bounds stale memory). */
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export function createTokenCache(options: TokenCacheOptions) {
  const { lookup, generations } = options;
  const ttlMs = options.ttlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { principal: Principal; generation: number; expiresAt: number }>();

  return {
    /** Whether the token has an entry (current or not): the operator's never has. */
    has: (token: string) => cache.has(token),

    async resolve(token: string): Promise<Principal | undefined> {
      // Read before the lookup: an entry is stored under a generation no newer than the state
      // the lookup saw, so a change committed meanwhile always makes it stale.
      const generation = await generations.current();
      const cached = cache.get(token);
      if (cached && cached.generation === generation && cached.expiresAt > now()) {
        return cached.principal;
      }
      const principal = await lookup(token);
      if (!principal) {
        cache.delete(token);
        return undefined;
      }
      if (cache.size >= maxEntries) cache.clear();
      cache.set(token, { principal, generation, expiresAt: now() + ttlMs });
      return principal;
    },

    /** After a committed change to tokens or learners: no replica trusts its cache any more. */
    async changed(): Promise<void> {
      await generations.raise();
    },
  };
}

export type TokenCache = ReturnType<typeof createTokenCache>;
