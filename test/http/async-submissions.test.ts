/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies; the assertions check their shape */
// Asynchronous submissions (Prefer: respond-async) end to end on the real lessons, grader and
// sandbox pool, stored in the database (PGlite, or PostgreSQL with TEST_DATABASE_URL). Where a
// test must see a submission still pending, its grader waits at a gate the test opens: the
// real grader behind it, nothing timed.
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGrader, loadLessons } from "../../src/grading/index.ts";
import type { Grader } from "../../src/grading/types.ts";
import { createRunner } from "../../src/runner/index.ts";
import type { RunOptions } from "../../src/runner/types.ts";
import {
  ALICE,
  bearer,
  classroom,
  expectStatus,
  joinAndStart,
  startTestApp,
  submit,
  type TestApp,
} from "../helpers/app.ts";

const lessonsDir = new URL("../../lessons", import.meta.url).pathname;
const ASYNC = { prefer: "respond-async" };

/** Polls the submission until it is graded (200), with a generous bound; returns its body. */
async function pollUntilGraded(app: FastifyInstance, token: string, id: string): Promise<any> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await app.inject({ url: `/v1/submissions/${id}`, headers: bearer(token) });
    if (response.statusCode === 200) return response.json();
    expect(response.statusCode).toBe(202);
    if (Date.now() > deadline) throw new Error(`submission ${id} still pending after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The real grader behind a gate: every grading waits, told it is first in the queue. */
function gatedGrader(real: Pick<Grader, "gradeSubmission">) {
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  let waiting = 0;
  return {
    grader: {
      async gradeSubmission(
        request: Parameters<Grader["gradeSubmission"]>[0],
        options?: RunOptions,
      ) {
        options?.onQueued?.(1);
        waiting++;
        await gate;
        waiting--;
        return real.gradeSubmission(request, options);
      },
    },
    waiting: () => waiting,
    open: () => open(),
    close() {
      open();
      gate = new Promise<void>((resolve) => (open = resolve));
    },
  };
}

/** The deliveries of submission.graded an endpoint got for a submission (relay off: pending). */
async function gradedDeliveries(
  app: FastifyInstance,
  token: string,
  endpointId: string,
  id: string,
) {
  const log = expectStatus(
    await app.inject({ url: `/v1/webhooks/${endpointId}/deliveries`, headers: bearer(token) }),
    200,
  );
  return log.items.filter(
    (item: any) => item.eventType === "submission.graded" && item.payload.data.submissionId === id,
  );
}

describe("Prefer: respond-async, graded by the real sandbox", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: { OUTBOX_RELAY: "off", OUTBOUND_ALLOW_PRIVATE: "127.0.0.0/8", SYNC_WAIT_MS: "60000" },
    });
  });
  afterAll(async () => t.close());

  it("answers 202 with a Location whose poll ends in the stored submission, with its progress and webhook", async () => {
    const { teacher, learner } = await classroom(t.app);
    const endpoint = expectStatus(
      await t.app.inject({
        method: "POST",
        url: "/v1/webhooks",
        headers: bearer(teacher.token),
        payload: { url: "http://127.0.0.1:9/hook", events: ["submission.graded"] },
      }),
      201,
    );
    const accepted = await submit(t.app, learner.token, learner.session.id, {}, ASYNC);
    const pending = expectStatus(accepted, 202);
    expect(accepted.headers["preference-applied"]).toBe("respond-async");
    expect(accepted.headers.location).toBe(`/v1/submissions/${pending.id}`);
    expect(Number(accepted.headers["retry-after"])).toBeGreaterThan(0);
    expect(pending).toMatchObject({
      sessionId: learner.session.id,
      learnerId: learner.learnerId,
      exerciseId: ALICE,
      language: "typescript",
      status: expect.stringMatching(/^(queued|running)$/),
    });

    const graded = await pollUntilGraded(t.app, learner.token, pending.id);
    expect(graded).toMatchObject({ id: pending.id, outcome: "ok", passed: true, score: 100 });
    const progress = expectStatus(
      await t.app.inject({ url: "/v1/progress", headers: bearer(learner.token) }),
      200,
    );
    expect(progress.items.find((item: any) => item.exerciseId === ALICE)).toMatchObject({
      attempts: 1,
      status: "passed",
    });
    expect(await gradedDeliveries(t.app, teacher.token, endpoint.id, pending.id)).toHaveLength(1);
    const listed = expectStatus(
      await t.app.inject({ url: "/v1/submissions", headers: bearer(learner.token) }),
      200,
    );
    expect(listed.items.map((item: any) => item.id)).toEqual([pending.id]);
    expect(await t.db.prisma.pendingSubmission.count({ where: { id: pending.id } })).toBe(0);
  });

  it("grades what the synchronous route grades, the same way", async () => {
    const { klass, learner } = await classroom(t.app);
    const other = await joinAndStart(t.app, klass.joinCode, "Grace");
    const wrong = "console.log('no packets from me');\n";
    const viaAsync = expectStatus(
      await submit(t.app, learner.token, learner.session.id, { code: wrong }, ASYNC),
      202,
    );
    const viaSync = expectStatus(
      await submit(t.app, other.token, other.session.id, { code: wrong }),
      201,
    );
    const graded = await pollUntilGraded(t.app, learner.token, viaAsync.id);
    const stored = expectStatus(
      await t.app.inject({ url: `/v1/submissions/${viaSync.id}`, headers: bearer(other.token) }),
      200,
    );
    // Everything but whose, when and how long is the same.
    const differ = ["id", "sessionId", "learnerId", "createdAt", "timings"];
    const comparable = (submission: object) =>
      Object.fromEntries(Object.entries(submission).filter(([key]) => !differ.includes(key)));
    expect(comparable(graded)).toEqual(comparable(stored));
    expect(graded.passed).toBe(false);
  });

  it("answers 201 with the graded submission when it is done within Prefer: wait", async () => {
    const { learner } = await classroom(t.app);
    const response = await submit(
      t.app,
      learner.token,
      learner.session.id,
      {},
      {
        prefer: "respond-async, wait=60",
      },
    );
    const result = expectStatus(response, 201);
    expect(response.headers["preference-applied"]).toBe("wait=60");
    expect(result).toMatchObject({ passed: true, replayed: false });
    expect(result.packets.length).toBe(result.packetCount);
  });

  it("ignores Prefer values it does not know: the request is graded synchronously", async () => {
    const { learner } = await classroom(t.app);
    for (const prefer of ["respond-asynch", "wait=abc", ";;,,=", "return=minimal", "wait"]) {
      const response = await submit(t.app, learner.token, learner.session.id, {}, { prefer });
      expect(expectStatus(response, 201)).toMatchObject({ passed: true });
      expect(response.headers["preference-applied"]).toBeUndefined();
    }
    // Unknown preferences beside respond-async do not hide it; a bad wait is ignored.
    const response = await submit(
      t.app,
      learner.token,
      learner.session.id,
      {},
      {
        prefer: 'handling=lenient, RESPOND-ASYNC; foo="a,b", wait=-1',
      },
    );
    expectStatus(response, 202);
    expect(response.headers["preference-applied"]).toBe("respond-async");
    await pollUntilGraded(t.app, learner.token, response.json().id);
  });

  it("refuses what the synchronous route refuses, before any 202, and stores nothing", async () => {
    const { learner } = await classroom(t.app);
    const refused = [
      [await submit(t.app, learner.token, learner.session.id, { exerciseId: "nope" }, ASYNC), 404],
      [await submit(t.app, learner.token, learner.session.id, { language: "cobol" }, ASYNC), 422],
      [await submit(t.app, learner.token, learner.session.id, { language: "rust" }, ASYNC), 422],
    ] as const;
    for (const [response, status] of refused) expectStatus(response, status);
    expect(
      await t.db.prisma.pendingSubmission.count({ where: { learnerId: learner.learnerId } }),
    ).toBe(0);
  });
});

describe("Prefer: respond-async, held at a gate", () => {
  let t: TestApp;
  let gated: ReturnType<typeof gatedGrader>;
  let runner: ReturnType<typeof createRunner>;
  beforeAll(async () => {
    runner = createRunner({ workers: 1 });
    gated = gatedGrader(createGrader({ catalogue: await loadLessons(lessonsDir), runner }));
    t = await startTestApp({ grader: gated.grader, env: { RUNS_PER_LEARNER: "2" } });
  });
  afterEach(() => gated.close());
  afterAll(async () => {
    gated.open();
    await t.close();
    await runner.close();
  });

  it("shows the pending submission at once, to its learner and teacher only", async () => {
    const { teacher, klass, learner } = await classroom(t.app);
    const stranger = await joinAndStart(t.app, klass.joinCode, "Mallory");
    const pending = expectStatus(
      await submit(t.app, learner.token, learner.session.id, {}, ASYNC),
      202,
    );
    expect(pending).toMatchObject({ status: "queued", queuePosition: 1 });

    const polled = await t.app.inject({
      url: `/v1/submissions/${pending.id}`,
      headers: bearer(learner.token),
    });
    expect(expectStatus(polled, 202)).toEqual(pending);
    expect(polled.headers["retry-after"]).toBe("2");
    expect(polled.headers.location).toBe(`/v1/submissions/${pending.id}`);
    expectStatus(
      await t.app.inject({ url: `/v1/submissions/${pending.id}`, headers: bearer(teacher.token) }),
      202,
    );
    // Another learner cannot tell it from a submission that does not exist.
    const hidden = await t.app.inject({
      url: `/v1/submissions/${pending.id}`,
      headers: bearer(stranger.token),
    });
    expect(expectStatus(hidden, 404).error.code).toBe("SUBMISSION_NOT_FOUND");
    // Not graded yet: no trace, and not in the list of graded submissions.
    expectStatus(
      await t.app.inject({
        url: `/v1/submissions/${pending.id}/trace`,
        headers: bearer(learner.token),
      }),
      404,
    );

    gated.open();
    const graded = await pollUntilGraded(t.app, learner.token, pending.id);
    expect(graded).toMatchObject({ id: pending.id, passed: true });
  });

  it("applies RUNS_PER_LEARNER as the synchronous route does: the third run waiting is 429", async () => {
    const { learner } = await classroom(t.app);
    const first = expectStatus(
      await submit(t.app, learner.token, learner.session.id, {}, ASYNC),
      202,
    );
    const second = expectStatus(
      await submit(t.app, learner.token, learner.session.id, {}, ASYNC),
      202,
    );
    const third = await submit(t.app, learner.token, learner.session.id, {}, ASYNC);
    expect(expectStatus(third, 429).error.code).toBe("TOO_MANY_RUNS");
    expect(third.headers["retry-after"]).toBeDefined();
    const sync = await submit(t.app, learner.token, learner.session.id, {});
    expect(expectStatus(sync, 429).error.code).toBe("TOO_MANY_RUNS");
    expect(
      await t.db.prisma.pendingSubmission.count({ where: { learnerId: learner.learnerId } }),
    ).toBe(2);
    gated.open();
    await pollUntilGraded(t.app, learner.token, first.id);
    await pollUntilGraded(t.app, learner.token, second.id);
  });

  it("gives a repeated Idempotency-Key the same pending submission, then its grade", async () => {
    const { learner } = await classroom(t.app);
    const key = { "idempotency-key": "async-key-1" };
    const first = expectStatus(
      await submit(t.app, learner.token, learner.session.id, {}, { ...ASYNC, ...key }),
      202,
    );
    const again = expectStatus(
      await submit(t.app, learner.token, learner.session.id, {}, { ...ASYNC, ...key }),
      202,
    );
    expect(again.id).toBe(first.id);
    // A synchronous retry of it is told where it stands rather than grading it twice.
    const syncRetry = await submit(t.app, learner.token, learner.session.id, {}, key);
    expect(expectStatus(syncRetry, 202).id).toBe(first.id);
    expect(syncRetry.headers["preference-applied"]).toBeUndefined();
    const reused = await submit(
      t.app,
      learner.token,
      learner.session.id,
      { code: "//" },
      {
        ...ASYNC,
        ...key,
      },
    );
    expect(expectStatus(reused, 409).error.code).toBe("IDEMPOTENCY_KEY_REUSED");

    gated.open();
    await pollUntilGraded(t.app, learner.token, first.id);
    const replayed = await submit(
      t.app,
      learner.token,
      learner.session.id,
      {},
      { ...ASYNC, ...key },
    );
    expect(expectStatus(replayed, 200)).toMatchObject({ id: first.id, replayed: true });
    expect(await t.db.prisma.submission.count({ where: { learnerId: learner.learnerId } })).toBe(1);
  });
});

describe("Prefer: respond-async with the sandbox queue full", () => {
  let t: TestApp;
  let runner: ReturnType<typeof createRunner>;
  beforeAll(async () => {
    // A queue that holds nothing: every run is refused, a sandbox free or not (the queue is
    // offered each run before a sandbox takes it).
    runner = createRunner({ workers: 1, maxQueue: 0 });
    const grader = createGrader({ catalogue: await loadLessons(lessonsDir), runner });
    t = await startTestApp({ grader });
  });
  afterAll(async () => {
    await t.close();
    await runner.close();
  });

  it("is 503 RUNNER_BUSY, as synchronously, and leaves nothing pending", async () => {
    const { learner } = await classroom(t.app);
    const response = await submit(t.app, learner.token, learner.session.id, {}, ASYNC);
    expect(expectStatus(response, 503).error.code).toBe("RUNNER_BUSY");
    expect(response.headers["retry-after"]).toBeDefined();
    expect(
      await t.db.prisma.pendingSubmission.count({ where: { learnerId: learner.learnerId } }),
    ).toBe(0);
  });
});
