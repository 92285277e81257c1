// The token cache trusts an entry only under the generation it was cached in; the shared
// generation is read once for the callers that ask while another read is under way (or in one
// turn of the event loop), and never from a read that began before the caller asked (it could predate a revocation the caller already saw answered).
import { describe, expect, it } from "vitest";
import type { Principal } from "../../src/progress/accounts.ts";
import {
  createTokenCache,
  localGenerations,
  sharedGenerations,
} from "../../src/http/token-cache.ts";

const ada: Principal = { role: "learner", learnerId: "ada", tokenId: "t1" };

/** A generation store whose reads the test answers one by one. */
function heldStore() {
  let generation = 0;
  const reads: (() => void)[] = [];
  return {
    store: {
      read: () => new Promise<number>((resolve) => reads.push(() => resolve(generation))),
      raise: async () => ++generation,
    },
    reads,
    answerAll: () => reads.splice(0).forEach((answer) => answer()),
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("the shared generation", () => {
  it("is read once for the callers of one turn", async () => {
    const held = heldStore();
    const generations = sharedGenerations(held.store);
    const asked = [generations.current(), generations.current(), generations.current()];
    await turn();
    expect(held.reads).toHaveLength(1);
    held.answerAll();
    expect(await Promise.all(asked)).toEqual([0, 0, 0]);
  });

  it("is read again for a caller who asks while a read is under way, once that read is answered", async () => {
    const held = heldStore();
    const generations = sharedGenerations(held.store);
    const first = generations.current();
    await turn(); // the first read is sent
    await held.store.raise(); // a revocation commits while it is under way…
    const second = generations.current(); // …and these callers ask after it was answered
    const third = generations.current();
    await turn();
    expect(held.reads).toHaveLength(1); // the next read waits for the one under way
    held.reads[0]!(); // (answered late, the first read sees the revocation too: both are fresh)
    expect(await first).toBe(1);
    await turn();
    expect(held.reads).toHaveLength(2); // one read for both, sent after both asked
    held.reads[1]!();
    expect(await Promise.all([second, third])).toEqual([1, 1]);
  });

  it("never gives a caller a read that began before the caller asked", async () => {
    const held = heldStore();
    const generations = sharedGenerations(held.store);
    const first = generations.current();
    await turn();
    held.reads[0]!();
    await first;
    // Nothing in flight any more: the next caller gets a read of its own, not the answered one.
    const later = generations.current();
    await turn();
    expect(held.reads).toHaveLength(2);
    await held.store.raise();
    held.reads[1]!();
    expect(await later).toBe(1);
  });
});

describe("the token cache", () => {
  it("looks a token up once while nothing changes, and again after a change", async () => {
    const lookups: string[] = [];
    const cache = createTokenCache({
      lookup: async (token) => (lookups.push(token), ada),
      generations: localGenerations(),
    });
    await cache.resolve("plt_l_a");
    await cache.resolve("plt_l_a");
    expect(lookups).toHaveLength(1);
    await cache.changed();
    await cache.resolve("plt_l_a");
    expect(lookups).toHaveLength(2);
  });

  it("does not trust an answer looked up before a change that committed meanwhile", async () => {
    let valid = true;
    let release: () => void = () => {};
    const generations = localGenerations();
    const cache = createTokenCache({
      lookup: async () => {
        const answer = valid ? ada : undefined; // read before the revocation commits…
        await new Promise<void>((resolve) => (release = resolve));
        return answer; // …returned after it
      },
      generations,
    });
    const racing = cache.resolve("plt_l_a");
    await turn();
    valid = false;
    await cache.changed();
    release();
    expect(await racing).toEqual(ada); // the request that was under way gets in
    const after = cache.resolve("plt_l_a");
    await turn();
    release();
    expect(await after).toBeUndefined(); // the next one is looked up again and refused
  });

  it("forgets an entry after its time even if nothing changed", async () => {
    const clock = { at: 0 };
    let lookups = 0;
    const cache = createTokenCache({
      lookup: async () => (lookups++, ada),
      generations: localGenerations(),
      ttlMs: 1_000,
      now: () => clock.at,
    });
    await cache.resolve("plt_l_a");
    clock.at = 999;
    await cache.resolve("plt_l_a");
    clock.at = 1_000;
    await cache.resolve("plt_l_a");
    expect(lookups).toBe(2);
  });
});
