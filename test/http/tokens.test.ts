// DELETE /v1/tokens/current: a learner or teacher revokes their own token (logout).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Grader } from "../../src/grading/types.ts";
import {
  bearer,
  classroom,
  expectStatus,
  OPERATOR_TOKEN,
  startTestApp,
  type TestApp,
} from "../helpers/app.ts";
import { gradedRun } from "../helpers/graded-run.ts";

const instantGrader: Pick<Grader, "gradeSubmission"> = {
  gradeSubmission: async (request) =>
    gradedRun({ lessonId: request.lessonId, exerciseId: request.exerciseId }),
};

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ grader: instantGrader });
});
afterAll(async () => t.close());

const revoke = (token: string) =>
  t.app.inject({ method: "DELETE", url: "/v1/tokens/current", headers: bearer(token) });

describe("DELETE /v1/tokens/current", () => {
  it("revokes a learner's token at once, though it was just used (and cached)", async () => {
    const { learner } = await classroom(t.app);
    const session = `/v1/sessions/${learner.session.id}`;
    expectStatus(await t.app.inject({ url: session, headers: bearer(learner.token) }), 200);
    const revoked = await revoke(learner.token);
    expect(revoked.statusCode).toBe(204);
    expect(revoked.body).toBe("");
    const after = await t.app.inject({ url: session, headers: bearer(learner.token) });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe("UNAUTHENTICATED");
    // A second revocation has no token to act for.
    expect((await revoke(learner.token)).statusCode).toBe(401);
  });

  it("revokes a teacher's token and no one else's", async () => {
    const { teacher, learner } = await classroom(t.app);
    const { teacher: colleague } = await classroom(t.app);
    expectStatus(await t.app.inject({ url: "/v1/classes", headers: bearer(teacher.token) }), 200);
    expect((await revoke(teacher.token)).statusCode).toBe(204);
    expect(
      (await t.app.inject({ url: "/v1/classes", headers: bearer(teacher.token) })).statusCode,
    ).toBe(401);
    expectStatus(await t.app.inject({ url: "/v1/classes", headers: bearer(colleague.token) }), 200);
    expectStatus(await t.app.inject({ url: "/v1/progress", headers: bearer(learner.token) }), 200);
  });

  it("refuses the operator (whose token lives in the environment) and anonymous callers", async () => {
    const operator = await revoke(OPERATOR_TOKEN);
    expect(operator.statusCode).toBe(403);
    expect(operator.json().error.code).toBe("FORBIDDEN");
    const anonymous = await t.app.inject({ method: "DELETE", url: "/v1/tokens/current" });
    expect(anonymous.statusCode).toBe(401);
    expect(await t.app.resolveToken(OPERATOR_TOKEN)).toMatchObject({ role: "operator" });
  });

  it("closes the WebSocket's token door too: a revoked token cannot authenticate a stream", async () => {
    const { learner } = await classroom(t.app);
    expect((await revoke(learner.token)).statusCode).toBe(204);
    expect(await t.app.resolveToken(learner.token)).toBeUndefined();
    const ticket = await t.app.inject({
      method: "POST",
      url: "/v1/ws-tickets",
      headers: bearer(learner.token),
    });
    expect(ticket.statusCode).toBe(401);
  });
});
