// The same limiter over both stores: windows in memory (one process) and in the database (every
// replica), with a clock the test moves. The database store on PGlite, or on PostgreSQL with
// TEST_DATABASE_URL; the race of many replicas for the last place is run on the real statement.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateWindowStore } from "../../src/progress/rate-windows.ts";
import {
  createMemoryWindows,
  createRateLimiter,
  type RateWindows,
} from "../../src/quotas/rate-limit.ts";
import { createSharedWindows, PRUNE_EVERY_MS } from "../../src/quotas/shared-windows.ts";
import { openTestDatabase, type TestDatabase } from "../helpers/database.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

const stores: [string, () => RateWindows][] = [
  ["memory", () => createMemoryWindows()],
  ["database", () => createSharedWindows(createRateWindowStore(database.db.sql))],
];

let unique = 0;
/** A key no other test used (the database is shared by the tests of this file). */
const key = (what: string) => `${what}-${++unique}`;

describe.each(stores)("a rate limit kept in %s", (_name, windows) => {
  function limiter(limit: number, windowMs = 60_000) {
    const clock = { at: 1_700_000_000_000 };
    const limit_ = createRateLimiter({
      name: key("limit"),
      limit,
      windowMs,
      windows: windows(),
      now: () => clock.at,
    });
    return { limiter: limit_, clock };
  }

  it("allows `limit` events a window, then refuses with the time left, then opens a new window", async () => {
    const { limiter: limit, clock } = limiter(3);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await limit.take("ada"));
    expect(answers.map((answer) => answer.allowed)).toEqual([true, true, true, false]);
    clock.at += 20_500;
    expect(await limit.take("ada")).toEqual({ allowed: false, retryAfterSeconds: 40 });
    expect((await limit.take("grace")).allowed).toBe(true); // another key, its own window
    clock.at += 39_500; // the window began 60 s ago
    expect((await limit.take("ada")).allowed).toBe(true);
  });

  it("gives a released event back, however many were refused meanwhile", async () => {
    const { limiter: limit } = limiter(2);
    await limit.take("ada");
    await limit.take("ada");
    for (let i = 0; i < 5; i++) expect((await limit.take("ada")).allowed).toBe(false);
    await limit.release("ada");
    expect((await limit.take("ada")).allowed).toBe(true);
    expect((await limit.take("ada")).allowed).toBe(false);
  });

  it("peeks without counting: refused once `limit` events were taken", async () => {
    const { limiter: limit, clock } = limiter(2);
    expect(await limit.peek("ada")).toEqual({ allowed: true });
    await limit.take("ada");
    expect(await limit.peek("ada")).toEqual({ allowed: true });
    await limit.take("ada");
    clock.at += 1_000;
    expect(await limit.peek("ada")).toEqual({ allowed: false, retryAfterSeconds: 59 });
    clock.at += 59_000;
    expect(await limit.peek("ada")).toEqual({ allowed: true });
  });

  it("keeps keys with NUL, lone surrogates and U+FFFF apart", async () => {
    const { limiter: limit } = limiter(1);
    for (const odd of ["a\u0000b", "a\ud800", "a\uffff", "a"]) {
      expect((await limit.take(odd)).allowed, JSON.stringify(odd)).toBe(true);
    }
    expect((await limit.take("a\u0000b")).allowed).toBe(false);
  });

  it("counts takes asked at once, the same key among them, as if asked one by one", async () => {
    const { limiter: limit } = limiter(3);
    const answers = await Promise.all(
      ["ada", "grace", "ada", "ada", "ada", "grace"].map((who) => limit.take(who)),
    );
    expect(answers.map((answer) => answer.allowed)).toEqual([true, true, true, true, false, true]);
    expect((await limit.take("grace")).allowed).toBe(true);
    expect((await limit.take("grace")).allowed).toBe(false);
  });

  it("is no limit at 0", async () => {
    const { limiter: limit } = limiter(0);
    for (let i = 0; i < 3; i++) expect((await limit.take("ada")).allowed).toBe(true);
  });
});

describe("windows in the database", () => {
  it("give the last place to exactly one of many replicas asking at once", async () => {
    const name = key("race");
    // Ten limiters, each with its own connection's worth of statements, as ten replicas would.
    const replicas = Array.from({ length: 10 }, () =>
      createRateLimiter({
        name,
        limit: 7,
        windowMs: 60_000,
        windows: createSharedWindows(createRateWindowStore(database.db.sql)),
      }),
    );
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => replicas[i % replicas.length]!.take("ada")),
    );
    expect(answers.filter((answer) => answer.allowed)).toHaveLength(7);
  });

  it("deletes windows that ended, at most once a minute, beside a take", async () => {
    const store = createRateWindowStore(database.db.sql);
    const prunes: number[] = [];
    let pruned = Promise.resolve();
    const windows = createSharedWindows({
      ...store,
      prune: (at) => {
        prunes.push(at);
        return (pruned = store.prune(at));
      },
    });
    const keys = async () =>
      (
        await database.db.sql.query<{ key: string }>(
          { name: "test_window_keys", text: "SELECT key FROM rate_windows ORDER BY key" },
          [],
        )
      ).map((row) => row.key);
    const [old, young, younger] = [key("old"), key("young"), key("younger")];
    const start = 2_000_000_000_000;
    await windows.take(old, 5, 1_000, start);
    expect(prunes).toEqual([start]);
    await windows.take(young, 5, 1_000, start + PRUNE_EVERY_MS - 1);
    expect(prunes).toHaveLength(1);
    expect(await keys()).toContain(old);
    await windows.take(younger, 5, 1_000, start + PRUNE_EVERY_MS);
    expect(prunes).toEqual([start, start + PRUNE_EVERY_MS]);
    await pruned; // the take did not wait for it
    // Every other window of this file had ended by then too.
    expect(await keys()).toEqual([young, younger]);
  });
});
