// A class pressing Run at once: a waiting run hears its place in the queue on the stream, each
// learner waits in their own line, and refusals for overload are logged as one warning per
// interval instead of an error with a stack trace each.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Grader } from "../../src/grading/types.ts";
import { RunnerBusyError } from "../../src/runner/index.ts";
import type { RunOptions } from "../../src/runner/types.ts";
import { classroom, startTestApp, submit, type TestApp } from "../helpers/app.ts";
import { gradedRun } from "../helpers/graded-run.ts";
import { recordingLogger } from "../helpers/recording-logger.ts";
import { openStream } from "../helpers/ws-client.ts";

let t: TestApp;
let busy = false;
const seen: RunOptions[] = [];
const { logger, lines } = recordingLogger();

/** Waits in the queue (places 2, then 1) before a canned grade; or refuses when `busy`. */
const queueingGrader: Pick<Grader, "gradeSubmission"> = {
  async gradeSubmission(request, options = {}) {
    seen.push(options);
    if (busy) throw new RunnerBusyError(2000);
    options.onQueued?.(2);
    options.onQueued?.(1);
    return gradedRun({ lessonId: request.lessonId, exerciseId: request.exerciseId });
  },
};

beforeAll(async () => {
  t = await startTestApp({ grader: queueingGrader, logger });
});
afterAll(async () => t.close());

describe("runs waiting for a sandbox", () => {
  it("are told their place on the stream, between run-started and run-finished", async () => {
    const { learner } = await classroom(t.app);
    const base = await t.listen();
    const client = await openStream(
      `${base.replace("http", "ws")}/v1/sessions/${learner.session.id}/stream`,
    );
    client.send({ type: "auth", token: learner.token });
    await client.next((message) => message.type === "ready");
    client.send({
      type: "run",
      exerciseId: "message-to-alice",
      code: "1",
      language: "javascript",
      runId: "r1",
    });
    await client.next((message) => message.type === "run-finished");
    expect(client.messages.map((message) => message.type)).toEqual([
      "ready",
      "run-started",
      "run-queued",
      "run-queued",
      "run-finished",
    ]);
    expect(client.messages.filter((message) => message.type === "run-queued")).toMatchObject([
      { runId: "r1", position: 2 },
      { runId: "r1", position: 1 },
    ]);
    // The learner's own line in the queue, whichever channel they use.
    expect(seen.at(-1)?.queueKey).toBe(learner.learnerId);
    client.socket.close();
  });

  it("are refused with 503 RUNNER_BUSY past the queue's bounds, logged once as a warning", async () => {
    const { learner } = await classroom(t.app, "Bea");
    busy = true;
    lines.length = 0;
    for (let i = 0; i < 5; i++) {
      const response = await submit(t.app, learner.token, learner.session.id, {});
      expect(response.statusCode).toBe(503);
      expect(response.json().error.code).toBe("RUNNER_BUSY");
      expect(response.headers["retry-after"]).toBeDefined();
    }
    busy = false;
    expect(lines.filter((line) => line.level === "error" || line.level === "fatal")).toEqual([]);
    expect(lines.filter((line) => line.message === "runs refused: busy")).toEqual([
      { level: "warn", object: { code: "RUNNER_BUSY", refused: 1 }, message: "runs refused: busy" },
    ]);
  });
});
