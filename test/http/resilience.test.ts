// When things around the service fail: the database goes away, the sandboxes are all busy, the
// process restarts on the same data directory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Grader } from "../../src/grading/types.ts";
import { openDatabase } from "../../src/progress/database.ts";
import { migrate } from "../../src/progress/migrate.ts";
import { bearer, classroom, expectStatus, startTestApp, submit } from "../helpers/app.ts";
import { createScratchDatabase, openTestDatabase, testDatabaseUrl } from "../helpers/database.ts";
import { gradedRun } from "../helpers/graded-run.ts";

/** Grades instantly with a canned result (this file tests the service, not grading). */
const instantGrader: Pick<Grader, "gradeSubmission"> = {
  gradeSubmission: async (request) =>
    gradedRun({ lessonId: request.lessonId, exerciseId: request.exerciseId }),
};

describe("a database that goes away", () => {
  it("⇒ 503 DATABASE_UNAVAILABLE with Retry-After, and no submission is acknowledged", async () => {
    const database = await openTestDatabase();
    let t = await startTestApp({ db: database.db, grader: instantGrader });
    const { learner } = await classroom(t.app);
    // The app keeps a short token cache, so the failure surfaces at the write after grading.
    await t.app.inject({ url: "/v1/progress", headers: bearer(learner.token) });
    const reopen = await stopDatabase(database.db);
    const response = await submit(t.app, learner.token, learner.session.id, {});
    expect(response.statusCode).toBe(503);
    expect(response.json().error).toMatchObject({ code: "DATABASE_UNAVAILABLE" });
    expect(Number(response.headers["retry-after"])).toBeGreaterThan(0);
    expect((await t.app.inject({ url: "/readyz" })).statusCode).toBe(503);
    await t.app.close();

    const db = await reopen();
    t = await startTestApp({ db, grader: instantGrader });
    expect(await db.prisma.submission.count({ where: { learnerId: learner.learnerId } })).toBe(0);
    await t.close();
    await db.close();
    await database.close().catch(() => {});
  });
});

/** Takes the database away; returns how to get a connection to the same data again. */
async function stopDatabase(db: Awaited<ReturnType<typeof openDatabase>>) {
  if (db.kind === "postgresql") {
    // Block new connections and end the pool's; the data stays.
    const name = (
      await db.prisma.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`
    )[0]!.name;
    const url = new URL(testDatabaseUrl!);
    url.pathname = `/${name}`;
    const pg = (await import("pg")).default;
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [
      name,
    ]);
    return async () => {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.end();
      return openDatabase({ url: url.toString() });
    };
  }
  // PGlite in memory cannot be reopened; the test then only checks the refusal.
  const prisma = db.prisma;
  const rows = await prisma.submission.findMany();
  await db.close();
  return async () => {
    const fresh = await openDatabase({});
    await migrate(fresh);
    expect(rows).toHaveLength(0);
    return fresh;
  };
}

describe("sandboxes that are all busy", () => {
  it("⇒ 503 RUNNER_BUSY after SYNC_WAIT_MS, with Retry-After; the run is cancelled", async () => {
    let sawAbort = false;
    const stuck: Pick<Grader, "gradeSubmission"> = {
      gradeSubmission: (_request, options) =>
        new Promise((_resolve, reject) => {
          options?.signal?.addEventListener("abort", () => {
            sawAbort = true;
            reject(new Error("aborted"));
          });
        }),
    };
    const t = await startTestApp({ grader: stuck, env: { SYNC_WAIT_MS: "200" } });
    try {
      const { learner } = await classroom(t.app);
      const response = await submit(t.app, learner.token, learner.session.id, {});
      expect(response.statusCode).toBe(503);
      expect(response.json().error.code).toBe("RUNNER_BUSY");
      expect(response.headers["retry-after"]).toBeDefined();
      expect(sawAbort).toBe(true);
    } finally {
      await t.close();
    }
  });
});

describe("a restart", () => {
  it("finds the data written before it (PGlite on DATA_DIR, or the same PostgreSQL database)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "packetlab-restart-"));
    const scratch = await createScratchDatabase();
    const open = async () => {
      const db = await openDatabase({ url: scratch.url, dataDir });
      await migrate(db);
      return db;
    };
    try {
      let db = await open();
      let t = await startTestApp({ db, grader: instantGrader });
      const { learner } = await classroom(t.app);
      const stored = expectStatus(await submit(t.app, learner.token, learner.session.id, {}), 201);
      await t.app.close();
      await db.close();

      db = await open();
      t = await startTestApp({ db, grader: instantGrader });
      const again = expectStatus(
        await t.app.inject({ url: `/v1/submissions/${stored.id}`, headers: bearer(learner.token) }),
        200,
      );
      expect(again).toMatchObject({ id: stored.id, score: stored.score });
      await t.app.close();
      await db.close();
    } finally {
      await scratch.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
