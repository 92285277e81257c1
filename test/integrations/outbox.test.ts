// The outbox at the storage level: rows written by the grade's own statement (or not at all),
// claimed by several relays at once without a message going out twice, in order per (target,
// learner), retried, parked, and taken over after a crashed relay's lease runs out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRelay, type DeliveryResult } from "../../src/integrations/relay.ts";
import type { OutboxMessage } from "../../src/progress/outbox.ts";
import { openDatabase, type Database } from "../../src/progress/database.ts";
import { createStore, type Store } from "../../src/progress/store.ts";
import { createScratchDatabase, openTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { migrate } from "../../src/progress/migrate.ts";
import { gradedRun } from "../helpers/graded-run.ts";

let test: TestDatabase;
let store: Store;
beforeAll(async () => {
  test = await openTestDatabase();
  store = createStore(test.db);
});
afterAll(async () => test.close());

const quiet = { warn() {}, error() {} };

async function learnerWithWebhook(events = ["submission.graded", "progress.changed"]) {
  const teacher = await store.accounts.createTeacher("Ms Frizzle");
  const klass = await store.accounts.createClass(teacher.id, "Networks");
  const joined = (await store.accounts.joinClass(klass.joinCode, "Ada"))!;
  const session = await store.submissions.createSession(joined.learnerId, "exchanging-messages");
  const endpoint = await store.webhooks.create(
    { teacherId: teacher.id },
    { url: "http://127.0.0.1:9/hook", events, description: "" },
  );
  return { teacher, learnerId: joined.learnerId, session, endpoint };
}

function record(learnerId: string, sessionId: string, score: number, passed = score === 100) {
  return store.submissions.record({
    learnerId,
    sessionId,
    code: "send()",
    language: "javascript",
    startedAt: new Date(),
    finishedAt: new Date(),
    graded: gradedRun({ score, passed }),
    traceMaxPackets: 10,
  });
}

async function rowsFor(targetId: string) {
  return test.db.prisma.outboxMessage.findMany({ where: { targetId }, orderBy: { seq: "asc" } });
}

/** Claims everything due with a relay whose deliverer answers `answer`, until nothing is due. */
async function drain(deliver: (message: OutboxMessage) => Promise<DeliveryResult>, db = store) {
  const relay = createRelay({
    outbox: db.outbox,
    deliverers: { webhook: deliver },
    options: { pollMs: 10, leaseMs: 60_000, maxAttempts: 3, retryBaseMs: 1, retryMaxMs: 1 },
    log: quiet,
    random: () => 0,
  });
  for (let round = 0; round < 50; round++) {
    if ((await relay.runOnce()) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if ((await relay.runOnce()) === 0) return;
    }
  }
}

describe("outbox rows", () => {
  it("are written by the statement that stores the grade: graded always, progress when it rises", async () => {
    const { learnerId, session, endpoint } = await learnerWithWebhook();
    await record(learnerId, session.id, 40, false);
    await record(learnerId, session.id, 30, false); // no progress change: best stays 40
    await record(learnerId, session.id, 100, true);
    const rows = await rowsFor(endpoint.id);
    expect(rows.map((row) => row.eventType)).toEqual([
      "submission.graded",
      "progress.changed",
      "submission.graded",
      "submission.graded",
      "progress.changed",
    ]);
    expect(rows.every((row) => row.orderingKey === `${endpoint.id}:${learnerId}`)).toBe(true);
    const last = rows.at(-1)!.payload as { type: string; data: Record<string, unknown> };
    expect(last.type).toBe("progress.changed");
    expect(last.data).toMatchObject({ learnerId, attempts: 3, bestScore: 100, passed: true });
    expect(typeof (rows[0]!.payload as { timestamp: string }).timestamp).toBe("string");
  });

  it("are counted by the statement that writes them, so only a submission that wrote some wakes the relay", async () => {
    const { teacher, learnerId, session } = await learnerWithWebhook();
    const klass = await store.accounts.createClass(teacher.id, "Quiet");
    const quietLearner = (await store.accounts.joinClass(klass.joinCode, "Bob"))!;
    const quietSession = await store.submissions.createSession(
      quietLearner.learnerId,
      "exchanging-messages",
    );
    // Rows of every target (an operator's endpoint from another test hears everyone too).
    const rowsOf = (learner: string) =>
      test.db.prisma.outboxMessage.count({ where: { orderingKey: { endsWith: `:${learner}` } } });
    for (const [learner, sessionId, score] of [
      [learnerId, session.id, 40],
      [learnerId, session.id, 30],
      [quietLearner.learnerId, quietSession.id, 40],
    ] as const) {
      const before = await rowsOf(learner);
      const { outboxRows } = await record(learner, sessionId, score, false);
      expect(outboxRows).toBe((await rowsOf(learner)) - before);
    }
    const { outboxRows } = await record(learnerId, session.id, 100, true);
    expect(outboxRows).toBeGreaterThanOrEqual(2); // graded and progress.changed, to the teacher's endpoint
  });

  it("are not written when the grade is not (the statement fails as a whole)", async () => {
    const { learnerId, endpoint } = await learnerWithWebhook();
    const missingSession = "00000000-0000-4000-8000-000000000000";
    await expect(record(learnerId, missingSession, 100)).rejects.toThrow();
    expect(await rowsFor(endpoint.id)).toHaveLength(0);
  });

  it("reach a teacher's endpoint only for that teacher's learners, the operator's for all", async () => {
    const mine = await learnerWithWebhook(["submission.graded"]);
    const other = await learnerWithWebhook(["submission.graded"]);
    const operator = await store.webhooks.create(
      { operator: true },
      { url: "http://127.0.0.1:9/all", events: ["submission.graded"], description: "" },
    );
    await record(mine.learnerId, mine.session.id, 10, false);
    expect(await rowsFor(mine.endpoint.id)).toHaveLength(1);
    expect(await rowsFor(other.endpoint.id)).toHaveLength(0);
    expect(await rowsFor(operator.id)).toHaveLength(1);
    await store.webhooks.remove({ operator: true }, operator.id);
  });
});

describe("the relay", () => {
  it("retries with the same id, then delivers; parks after maxAttempts", async () => {
    const ok = await learnerWithWebhook(["submission.graded"]);
    const broken = await learnerWithWebhook(["submission.graded"]);
    await record(ok.learnerId, ok.session.id, 10, false);
    await record(broken.learnerId, broken.session.id, 10, false);
    const calls = new Map<string, number>();
    await drain(async (message) => {
      calls.set(message.id, (calls.get(message.id) ?? 0) + 1);
      if (message.targetId === broken.endpoint.id)
        return { ok: false, status: 500, error: "HTTP 500" };
      return calls.get(message.id)! < 2
        ? { ok: false, status: 503, error: "HTTP 503" }
        : { ok: true, status: 200 };
    });
    const [delivered] = await rowsFor(ok.endpoint.id);
    expect(delivered).toMatchObject({ status: "delivered", attempts: 2, lastStatus: 200 });
    const [parked] = await rowsFor(broken.endpoint.id);
    expect(parked).toMatchObject({ status: "parked", attempts: 3, lastStatus: 500 });
    expect(calls.get(parked!.id)).toBe(3);

    // A replay sends it again under the same id.
    await store.outbox.replay(parked!.id);
    const replayed: string[] = [];
    await drain(async (message) => (replayed.push(message.id), { ok: true, status: 204 }));
    expect(replayed).toEqual([parked!.id]);
    expect((await rowsFor(broken.endpoint.id))[0]).toMatchObject({ status: "delivered" });
  });

  it("sends one (target, learner)'s messages in order: a later one waits for an earlier one", async () => {
    const { learnerId, session, endpoint } = await learnerWithWebhook(["submission.graded"]);
    for (const score of [1, 2, 3]) await record(learnerId, session.id, score, false);
    const sent: number[] = [];
    let failedOnce = false;
    await drain(async (message) => {
      if (message.targetId !== endpoint.id) return { ok: true, status: 200 };
      const score = (message.payload as { data: { score: number } }).data.score;
      if (score === 1 && !failedOnce) {
        failedOnce = true;
        return { ok: false, status: 500, error: "first try fails" };
      }
      sent.push(score);
      return { ok: true, status: 200 };
    });
    expect(sent).toEqual([1, 2, 3]);
  });

  it("takes over a message whose relay died mid-send, and the dead relay's late answer is ignored", async () => {
    const { learnerId, session, endpoint } = await learnerWithWebhook(["submission.graded"]);
    await record(learnerId, session.id, 5, false);
    await drain(async () => ({ ok: true, status: 200 })); // everything older out of the way
    await record(learnerId, session.id, 6, false);
    // A relay claims with a short lease and "dies": it never settles in time.
    const [claimed] = await store.outbox.claim(10, 50);
    expect(claimed).toBeDefined();
    expect(await store.outbox.claim(10, 50)).toEqual([]); // leased: nobody else takes it
    await new Promise((resolve) => setTimeout(resolve, 120));
    const [retaken] = await store.outbox.claim(10, 60_000);
    expect(retaken).toMatchObject({ id: claimed!.id, attempts: claimed!.attempts + 1 });
    // The first relay wakes up and reports a failure: fenced off by the attempt number.
    await store.outbox.failed(claimed!, { status: 500, error: "late", park: true, retryInMs: 0 });
    await store.outbox.delivered(retaken!, 200);
    const row = await test.db.prisma.outboxMessage.findUniqueOrThrow({
      where: { id: claimed!.id },
    });
    expect(row).toMatchObject({ status: "delivered", lastStatus: 200 });
    expect(endpoint.id).toBe(row.targetId);
  });

  it("with several replicas (each its own connection pool), delivers every message exactly once", async () => {
    // Two relays on PostgreSQL use separate pools, so SKIP LOCKED decides between them; on
    // PGlite (one connection) they share the database object.
    const scratch = await createScratchDatabase();
    const databases: Database[] = [];
    const dbs = async () => {
      if (!scratch.url) return [test.db, test.db];
      const first = await openDatabase({ url: scratch.url, poolSize: 4 });
      await migrate(first);
      databases.push(first, await openDatabase({ url: scratch.url, poolSize: 4 }));
      return databases;
    };
    try {
      const [a, b] = await dbs();
      const storeA = createStore(a!);
      const storeB = createStore(b!);
      const teacher = await storeA.accounts.createTeacher("T");
      const klass = await storeA.accounts.createClass(teacher.id, "C");
      const endpoint = await storeA.webhooks.create(
        { teacherId: teacher.id },
        { url: "http://127.0.0.1:9/x", events: ["submission.graded"], description: "" },
      );
      for (let i = 0; i < 12; i++) {
        const joined = (await storeA.accounts.joinClass(klass.joinCode, `L${i}`))!;
        const session = await storeA.submissions.createSession(joined.learnerId, "lesson");
        for (let k = 0; k < 3; k++) {
          await storeA.submissions.record({
            learnerId: joined.learnerId,
            sessionId: session.id,
            code: "x",
            language: "javascript",
            startedAt: new Date(),
            finishedAt: new Date(),
            graded: gradedRun({ score: k, passed: false }),
            traceMaxPackets: 0,
          });
        }
      }
      const seen = new Map<string, number>();
      const perKey = new Map<string, number[]>();
      const deliver = async (message: OutboxMessage): Promise<DeliveryResult> => {
        seen.set(message.id, (seen.get(message.id) ?? 0) + 1);
        const score = (message.payload as { data: { score: number } }).data.score;
        perKey.set(message.orderingKey, [...(perKey.get(message.orderingKey) ?? []), score]);
        await new Promise((resolve) => setTimeout(resolve, 2));
        return { ok: true, status: 200 };
      };
      const relays = [storeA, storeB].map((one) =>
        createRelay({
          outbox: one.outbox,
          deliverers: { webhook: deliver },
          options: {
            pollMs: 5,
            leaseMs: 60_000,
            maxAttempts: 3,
            retryBaseMs: 1,
            retryMaxMs: 1,
            batchSize: 4,
          },
          log: quiet,
        }),
      );
      for (const relay of relays) relay.start();
      const deadline = Date.now() + 20_000;
      while ((await storeA.outbox.counts()).pending > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      await Promise.all(relays.map((relay) => relay.stop()));
      expect(seen.size).toBe(36);
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
      for (const scores of perKey.values()) expect(scores).toEqual([0, 1, 2]);
      const rows = await a!.prisma.outboxMessage.findMany({ where: { targetId: endpoint.id } });
      expect(rows.map((row) => row.status)).toEqual(Array(36).fill("delivered"));
    } finally {
      for (const db of databases) await db.close();
      await scratch.drop();
    }
  });
});
