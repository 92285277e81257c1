// One learner cannot take the sandboxes, sockets or storage another learner needs: runs at once
// (HTTP and streams together), streams at once, and bytes of a stored trace are bounded.
import { describe, expect, it } from "vitest";
import type { Grader } from "../../src/grading/types.ts";
import {
  ALICE,
  aliceSolution,
  bearer,
  classroom,
  expectStatus,
  startTestApp,
  submit,
} from "../helpers/app.ts";
import { gradedRun } from "../helpers/graded-run.ts";
import { openStream } from "../helpers/ws-client.ts";

/** A grader whose runs finish only when the test says so: no timing in the test. */
function heldGrader() {
  const waiting: (() => void)[] = [];
  let started = 0;
  const startedWaiters: { count: number; resolve: () => void }[] = [];
  const grader: Pick<Grader, "gradeSubmission"> = {
    gradeSubmission: async (request) => {
      started++;
      for (const waiter of startedWaiters.filter((w) => started >= w.count)) waiter.resolve();
      await new Promise<void>((resolve) => waiting.push(resolve));
      return gradedRun({ lessonId: request.lessonId, exerciseId: request.exerciseId });
    },
  };
  return {
    grader,
    /** Resolves once `count` runs have started in total. */
    started: (count: number) =>
      started >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => startedWaiters.push({ count, resolve })),
    finishAll: () => waiting.splice(0).forEach((resolve) => resolve()),
  };
}

describe("RUNS_PER_LEARNER", () => {
  it("refuses a learner's run past the bound with 429 TOO_MANY_RUNS, over HTTP and the stream, without using the allowance", async () => {
    const held = heldGrader();
    const t = await startTestApp({
      grader: held.grader,
      env: { RUNS_PER_LEARNER: "2", SUBMISSION_RATE_LIMIT: "3" },
    });
    try {
      const { learner } = await classroom(t.app);
      const { learner: other } = await classroom(t.app, "Grace");
      const first = submit(t.app, learner.token, learner.session.id, {});
      const second = submit(t.app, learner.token, learner.session.id, {});
      await held.started(2);

      const refused = await submit(t.app, learner.token, learner.session.id, {});
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe("TOO_MANY_RUNS");
      expect(refused.headers["retry-after"]).toBeDefined();

      const base = await t.listen();
      const stream = await openStream(
        `${base.replace("http", "ws")}/v1/sessions/${learner.session.id}/stream`,
      );
      stream.send({ type: "auth", token: learner.token });
      await stream.next((message) => message.type === "ready");
      stream.send({
        type: "run",
        exerciseId: ALICE,
        code: aliceSolution,
        language: "typescript",
        runId: "x",
      });
      const error = await stream.next((message) => message.type === "error");
      expect(error).toMatchObject({ runId: "x", error: { code: "TOO_MANY_RUNS" } });
      expect(stream.messages.some((message) => message.type === "run-started")).toBe(false);

      // Another learner is not held back by the first one's runs.
      const others = submit(t.app, other.token, other.session.id, {});
      await held.started(3);
      held.finishAll();
      expectStatus(await first, 201);
      expectStatus(await second, 201);
      expectStatus(await others, 201);
      // The refused runs did not use the allowance: a third run is allowed, a fourth is not.
      const third = submit(t.app, learner.token, learner.session.id, {});
      await held.started(4);
      held.finishAll();
      expectStatus(await third, 201);
      const fourth = await submit(t.app, learner.token, learner.session.id, {});
      expect(fourth.json().error.code).toBe("RATE_LIMITED");
      stream.socket.close();
    } finally {
      held.finishAll();
      await t.close();
    }
  });
});

describe("STREAMS_PER_LEARNER", () => {
  it("closes a learner's stream past the bound with 4029; a closed one frees its place", async () => {
    const t = await startTestApp({
      grader: heldGrader().grader,
      env: { STREAMS_PER_LEARNER: "2" },
    });
    try {
      const { learner } = await classroom(t.app);
      const { learner: other } = await classroom(t.app, "Grace");
      const base = await t.listen();
      const open = async (who: typeof learner) => {
        const stream = await openStream(
          `${base.replace("http", "ws")}/v1/sessions/${who.session.id}/stream`,
        );
        stream.send({ type: "auth", token: who.token });
        return stream;
      };
      const a = await open(learner);
      const b = await open(learner);
      await a.next((message) => message.type === "ready");
      await b.next((message) => message.type === "ready");
      const c = await open(learner);
      expect(await c.closed).toEqual({ code: 4029, reason: "TOO_MANY_STREAMS" });
      // Another learner has places of their own.
      const d = await open(other);
      await d.next((message) => message.type === "ready");
      a.socket.close();
      await a.closed;
      // The server sees the close a moment after the client: wait for the place to be freed.
      let e = await open(learner);
      for (let attempt = 0; attempt < 50; attempt++) {
        const first = await Promise.race([
          e.next((message) => message.type === "ready").then(() => "ready" as const),
          e.closed.then(() => "closed" as const),
        ]);
        if (first === "ready") break;
        e = await open(learner);
      }
      await e.next((message) => message.type === "ready");
      for (const stream of [b, d, e]) stream.socket.close();
    } finally {
      await t.close();
    }
  });
});

describe("TRACE_MAX_BYTES", () => {
  it("keeps the first packets that fit, counts them all, and says the trace was cut", async () => {
    const t = await startTestApp({ env: { TRACE_MAX_BYTES: "4000" } });
    try {
      const { learner } = await classroom(t.app);
      const created = expectStatus(await submit(t.app, learner.token, learner.session.id, {}), 201);
      expect(created.packetCount).toBe(4);
      expect(created.packetsTruncated).toBe(true);
      expect(created.packets.length).toBeGreaterThan(0);
      expect(created.packets.length).toBeLessThan(4);
      expect(Buffer.byteLength(JSON.stringify(created.packets))).toBeLessThanOrEqual(4000);
      const trace = expectStatus(
        await t.app.inject({
          url: `/v1/submissions/${created.id}/trace`,
          headers: bearer(learner.token),
        }),
        200,
      );
      expect(trace).toMatchObject({ totalPackets: 4, truncated: true });
      expect(trace.packets.map((p: { seq: number }) => p.seq)).toEqual(
        created.packets.map((p: { seq: number }) => p.seq),
      );
    } finally {
      await t.close();
    }
  });
});
