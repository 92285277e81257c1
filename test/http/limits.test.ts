// Limits that stop one client from taking more than its share: submissions per learner, whatever
// the channel.
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

const instantGrader: Pick<Grader, "gradeSubmission"> = {
  gradeSubmission: async (request) =>
    gradedRun({ lessonId: request.lessonId, exerciseId: request.exerciseId }),
};

describe("SUBMISSION_RATE_LIMIT", () => {
  it("is one allowance per learner across HTTP and ticket- or token-opened WebSockets", async () => {
    const t = await startTestApp({ grader: instantGrader, env: { SUBMISSION_RATE_LIMIT: "3" } });
    try {
      const { learner } = await classroom(t.app);
      const base = await t.listen();
      expectStatus(await submit(t.app, learner.token, learner.session.id, {}), 201);

      const { ticket } = expectStatus(
        await t.app.inject({
          method: "POST",
          url: "/v1/ws-tickets",
          headers: bearer(learner.token),
        }),
        201,
      );
      const streamUrl = `${base.replace("http", "ws")}/v1/sessions/${learner.session.id}/stream`;
      const byTicket = await openStream(`${streamUrl}?ticket=${ticket}`);
      const byToken = await openStream(streamUrl);
      byToken.send({ type: "auth", token: learner.token });
      await byTicket.next((message) => message.type === "ready");
      await byToken.next((message) => message.type === "ready");
      const run = (client: typeof byTicket, requestId: string) => {
        client.send({
          type: "run",
          exerciseId: ALICE,
          code: aliceSolution,
          language: "typescript",
          requestId,
        });
        return client.next(
          (message) =>
            message.requestId === requestId &&
            (message.type === "run-finished" || message.type === "error"),
        );
      };
      expect((await run(byTicket, "a")).type).toBe("run-finished");
      expect((await run(byToken, "b")).type).toBe("run-finished");
      // Three used, on three channels: every channel is now refused.
      expect(await run(byTicket, "c")).toMatchObject({ type: "error", code: "RATE_LIMITED" });
      expect(await run(byToken, "d")).toMatchObject({ type: "error", code: "RATE_LIMITED" });
      const refused = await submit(t.app, learner.token, learner.session.id, {});
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe("RATE_LIMITED");

      // Another learner has an allowance of their own.
      const { learner: other } = await classroom(t.app, "Grace");
      expectStatus(await submit(t.app, other.token, other.session.id, {}), 201);
      byTicket.socket.close();
      byToken.socket.close();
    } finally {
      await t.close();
    }
  });
});
