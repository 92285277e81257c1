/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies; the assertions check their shape */
// What a process that died leaves pending is graded by the next sweep, under the id its 202
// gave; what was cut short MAX_GRADING_ATTEMPTS times is failed, and polling it says so. The
// rows are written as a killed process leaves them (lease run out); the sweep and the grading
// are the real ones. Killing a real `packetlab serve`: async-crash.test.ts.
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_GRADING_ATTEMPTS } from "../../src/http/async-submitter.ts";
import {
  ALICE,
  aliceSolution,
  bearer,
  classroom,
  expectStatus,
  LESSON,
  startTestApp,
  type TestApp,
} from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  // Sweeps every ~200 ms.
  t = await startTestApp({ env: { ASYNC_LEASE_MS: "600" } });
});
afterAll(async () => t.close());

/** A pending row as a process killed mid-run leaves it: its lease ran out a while ago. */
async function leftPending(
  learner: { learnerId: string; session: { id: string } },
  fields: Record<string, unknown> = {},
) {
  const id = randomUUID();
  await t.db.prisma.pendingSubmission.create({
    data: {
      id,
      learnerId: learner.learnerId,
      sessionId: learner.session.id,
      lessonId: LESSON,
      exerciseId: ALICE,
      code: aliceSolution,
      language: "typescript",
      status: "running",
      leaseUntil: new Date(Date.now() - 60_000),
      ...fields,
    },
  });
  return id;
}

async function pollUntil(app: FastifyInstance, token: string, id: string, status: number) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await app.inject({ url: `/v1/submissions/${id}`, headers: bearer(token) });
    if (response.statusCode === status) return response.json() as any;
    expect(response.statusCode).toBe(202);
    if (Date.now() > deadline) throw new Error(`submission ${id} never answered ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("pending submissions left by a process that died", () => {
  it("are graded by the sweep under the same id, once", async () => {
    const { learner } = await classroom(t.app);
    const id = await leftPending(learner, { attempts: 1 });
    const graded = await pollUntil(t.app, learner.token, id, 200);
    expect(graded).toMatchObject({ id, passed: true, code: aliceSolution });
    const progress = expectStatus(
      await t.app.inject({ url: "/v1/progress", headers: bearer(learner.token) }),
      200,
    );
    expect(progress.items.find((item: any) => item.exerciseId === ALICE).attempts).toBe(1);
    expect(await t.db.prisma.pendingSubmission.count({ where: { id } })).toBe(0);
  });

  it("are failed after being cut short MAX_GRADING_ATTEMPTS times: polling answers 410", async () => {
    const { learner } = await classroom(t.app);
    const id = await leftPending(learner, { attempts: MAX_GRADING_ATTEMPTS });
    const failed = await pollUntil(t.app, learner.token, id, 410);
    expect(failed.error.code).toBe("SUBMISSION_NOT_GRADED");
    expect(failed.error.message).toMatch(/interrupted 3 times/);
    expect(await t.db.prisma.submission.count({ where: { id } })).toBe(0);
  });

  it("are dropped when the grade was stored before the process died", async () => {
    const { learner } = await classroom(t.app);
    // A graded submission, and a pending row of the same id that its process did not delete.
    const graded = expectStatus(
      await t.app.inject({
        method: "POST",
        url: `/v1/sessions/${learner.session.id}/submissions`,
        headers: bearer(learner.token),
        payload: { exerciseId: ALICE, language: "typescript", code: aliceSolution },
      }),
      201,
    );
    await leftPending(learner, { id: graded.id });
    const deadline = Date.now() + 60_000;
    while ((await t.db.prisma.pendingSubmission.count({ where: { id: graded.id } })) > 0) {
      if (Date.now() > deadline) throw new Error("the pending row was never dropped");
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const stored = expectStatus(
      await t.app.inject({ url: `/v1/submissions/${graded.id}`, headers: bearer(learner.token) }),
      200,
    );
    expect(stored.id).toBe(graded.id);
    expect(await t.db.prisma.submission.count({ where: { learnerId: learner.learnerId } })).toBe(1);
  });

  it("are failed, saying why, when their exercise is no longer offered", async () => {
    const { learner } = await classroom(t.app);
    const id = await leftPending(learner, { exerciseId: "withdrawn-exercise" });
    const failed = await pollUntil(t.app, learner.token, id, 410);
    expect(failed.error.message).toMatch(/withdrawn-exercise/);
  });
});
