import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, type Store } from "../../src/progress/store.ts";
import { DatabaseUnavailableError } from "../../src/progress/errors.ts";
import { openTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { gradedRun } from "../helpers/graded-run.ts";

let test: TestDatabase;
let store: Store;
beforeAll(async () => {
  test = await openTestDatabase();
  store = createStore(test.db);
});
afterAll(async () => test.close());

async function learnerInNewClass(name = "Ada") {
  const teacher = await store.accounts.createTeacher("Ms Frizzle");
  const klass = await store.accounts.createClass(teacher.id, "Networks 101");
  const joined = await store.accounts.joinClass(klass.joinCode.toLowerCase(), name);
  if (!joined) throw new Error("join failed");
  return { teacher, klass, ...joined };
}

function submission(
  learnerId: string,
  sessionId: string,
  extra: Partial<Parameters<Store["submissions"]["record"]>[0]> = {},
) {
  return {
    learnerId,
    sessionId,
    code: "send()",
    language: "javascript" as const,
    startedAt: new Date(),
    finishedAt: new Date(),
    graded: gradedRun(),
    traceMaxPackets: 500,
    ...extra,
  };
}

describe("accounts", () => {
  it("resolves tokens to their principal and stores only their hash", async () => {
    const { teacher, learnerId, token } = await learnerInNewClass();
    expect(await store.accounts.resolveToken(teacher.token)).toMatchObject({
      role: "teacher",
      teacherId: teacher.id,
    });
    expect(await store.accounts.resolveToken(token)).toMatchObject({ role: "learner", learnerId });
    expect(await store.accounts.resolveToken(token + "x")).toBeUndefined();
    const stored = await test.db.prisma.apiToken.findMany({ where: { learnerId } });
    expect(stored.map((row) => row.tokenHash)).not.toContain(token);
    expect(stored[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("rejects an unknown join code and spends a WebSocket ticket once", async () => {
    expect(await store.accounts.joinClass("NOPE1234", "Bob")).toBeUndefined();
    const { learnerId } = await learnerInNewClass();
    const { ticket } = await store.accounts.createWsTicket(learnerId);
    const spent = await Promise.all([
      store.accounts.redeemWsTicket(ticket),
      store.accounts.redeemWsTicket(ticket),
    ]);
    expect(spent.filter(Boolean)).toEqual([learnerId]);
  });
});

describe("submissions and progress", () => {
  it("keeps attempts, the best score and the first pass across submissions", async () => {
    const { learnerId } = await learnerInNewClass();
    const session = await store.submissions.createSession(learnerId, "exchanging-messages");
    await store.submissions.record(
      submission(learnerId, session.id, { graded: gradedRun({ passed: false, score: 40 }) }),
    );
    await store.submissions.record(
      submission(learnerId, session.id, { graded: gradedRun({ passed: true, score: 90 }) }),
    );
    await store.submissions.record(
      submission(learnerId, session.id, { graded: gradedRun({ passed: false, score: 10 }) }),
    );
    const [progress] = await store.submissions.learnerProgress(learnerId);
    expect(progress).toMatchObject({ attempts: 3, bestScore: 90, passed: true });
    expect(progress?.firstPassedAt).toBeInstanceOf(Date);
  });

  it("counts every one of many concurrent submissions", async () => {
    const { learnerId } = await learnerInNewClass();
    const session = await store.submissions.createSession(learnerId, "exchanging-messages");
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        store.submissions.record(
          submission(learnerId, session.id, {
            graded: gradedRun({ score: i * 5, passed: i === 7 }),
          }),
        ),
      ),
    );
    const [progress] = await store.submissions.learnerProgress(learnerId);
    expect(progress).toMatchObject({ attempts: 12, bestScore: 55, passed: true });
  });

  it("returns the stored submission for a repeated idempotency key", async () => {
    const { learnerId } = await learnerInNewClass();
    const session = await store.submissions.createSession(learnerId, "exchanging-messages");
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        store.submissions.record(submission(learnerId, session.id, { idempotencyKey: "k-1" })),
      ),
    );
    expect(new Set(results.map((result) => result.row.id)).size).toBe(1);
    expect(results.filter((result) => result.replayed)).toHaveLength(2);
    const [progress] = await store.submissions.learnerProgress(learnerId);
    expect(progress?.attempts).toBe(1);
  });

  it("caps the stored trace and remembers how many packets there were", async () => {
    const { learnerId } = await learnerInNewClass();
    const session = await store.submissions.createSession(learnerId, "exchanging-messages");
    const { row } = await store.submissions.record(
      submission(learnerId, session.id, { graded: gradedRun({ packets: 9 }), traceMaxPackets: 4 }),
    );
    const trace = await store.submissions.findTrace(row.id);
    expect(trace).toMatchObject({ totalPackets: 9, truncated: true });
    expect(trace?.packets).toHaveLength(4);
  });

  it("pages newest first without gaps or repeats", async () => {
    const { learnerId } = await learnerInNewClass();
    const session = await store.submissions.createSession(learnerId, "exchanging-messages");
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push((await store.submissions.record(submission(learnerId, session.id))).row.id);
    const seen: string[] = [];
    let after: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const page = await store.submissions.listSubmissions(learnerId, { limit: 3, after });
      if (page.length === 0) break;
      seen.push(...page.map((row) => row.id));
      const last = page[page.length - 1]!;
      after = { createdAt: last.createdAt, id: last.id };
    }
    expect(seen.sort()).toEqual([...ids].sort());
    expect(new Set(seen).size).toBe(7);
  });

  it("reports per-exercise statistics for a class: stuck learners, root causes, wrong answers", async () => {
    const { klass, learnerId } = await learnerInNewClass();
    const other = await store.accounts.joinClass(klass.joinCode, "Grace");
    const session = await store.submissions.createSession(learnerId, "exchanging-messages");
    const session2 = await store.submissions.createSession(other!.learnerId, "exchanging-messages");
    await store.submissions.record(
      submission(learnerId, session.id, {
        code: "first",
        graded: { ...gradedRun({ passed: false, failedCheck: "reply" }), wire: "UDP to ns:53" },
      }),
    );
    await store.submissions.record(
      submission(learnerId, session.id, { code: "second", graded: gradedRun({ passed: true }) }),
    );
    // Grace sends the same wrong program three times.
    for (let i = 0; i < 3; i++) {
      await store.submissions.record(
        submission(other!.learnerId, session2.id, {
          code: "same",
          graded: {
            ...gradedRun({ passed: false, failedCheck: "port" }),
            wire: "UDP to alice:100",
          },
        }),
      );
    }
    const thresholds = { sameCode: 3, sameFailure: 3, attempts: 5 };
    const [stats] = await store.reports.exerciseStats(klass.id, thresholds);
    expect(stats).toMatchObject({
      exerciseId: "hello-alice",
      learnersAttempted: 2,
      learnersPassed: 1,
      learnersStuck: 1,
      attempts: 5,
      medianAttemptsToPass: 2,
    });
    const failures = await store.reports.checkFailures(klass.id);
    expect(failures.toSorted((a, b) => a.checkId.localeCompare(b.checkId))).toMatchObject([
      { checkId: "port", learnersEver: 1, learnersNow: 1, learnersFirst: 1 },
      { checkId: "reply", learnersEver: 1, learnersNow: 0, learnersFirst: 0 },
    ]);
    expect(await store.reports.wrongAnswers(klass.id, 5)).toEqual([
      {
        lessonId: "exchanging-messages",
        exerciseId: "hello-alice",
        wire: "UDP to alice:100",
        learners: 1,
        firstFailedCheck: "port",
      },
    ]);
    const matrix = await store.reports.classProgress(klass.id);
    expect(matrix.find((row) => row.learnerId === other!.learnerId)).toMatchObject({
      attempts: 3,
      passed: false,
      lastPassed: false,
      lastFailedCheck: "port",
      sameCodeStreak: 3,
      sameFailureStreak: 3,
    });
    expect(matrix[0]!.lastActivityMs).toBeGreaterThan(Date.now() - 600_000);
    const rows = await test.db.prisma.progress.findMany({ where: { exerciseId: "hello-alice" } });
    expect(rows.find((row) => row.learnerId === other!.learnerId)).toMatchObject({
      failedChecks: ["port"],
      attemptsToPass: null,
      lastWire: "UDP to alice:100",
    });
    expect(rows.find((row) => row.learnerId === learnerId)).toMatchObject({
      attempts: 2,
      passed: true,
      lastPassed: true,
      lastFailedCheck: null,
      everFailedChecks: ["reply"],
      sameCodeStreak: 1,
      sameFailureStreak: 0,
      attemptsToPass: 2,
    });
  });
});

describe("an unreachable database", () => {
  it("is reported as DatabaseUnavailableError", async () => {
    const { openDatabase } = await import("../../src/progress/database.ts");
    const db = await openDatabase({ url: "postgresql://postgres@127.0.0.1:1/none" });
    const down = createStore(db);
    await expect(down.accounts.resolveToken("plt_x")).rejects.toBeInstanceOf(
      DatabaseUnavailableError,
    );
    await db.close();
  });
});
