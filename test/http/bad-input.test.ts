// A caller's mistakes get a 4xx with a stable code and a message quoting what was wrong; never a
// 500. Every error body has the same shape.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LightMyRequestResponse } from "fastify";
import { ALICE, bearer, classroom, startTestApp, submit, type TestApp } from "../helpers/app.ts";

let t: TestApp;
let learner: Awaited<ReturnType<typeof classroom>>["learner"];
beforeAll(async () => {
  t = await startTestApp({ env: { MAX_CODE_BYTES: "1024", SUBMISSION_RATE_LIMIT: "1000" } });
  ({ learner } = await classroom(t.app));
});
afterAll(async () => t.close());

function expectError(
  response: LightMyRequestResponse,
  status: number,
  code: string,
  message?: RegExp,
) {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json();
  expect(body).toEqual({
    error: { code, message: expect.any(String), requestId: expect.any(String) },
  });
  if (message) expect(body.error.message).toMatch(message);
}

describe("bad input", () => {
  it("malformed JSON ⇒ 400 INVALID_JSON", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: `/v1/sessions/${learner.session.id}/submissions`,
      headers: { ...bearer(learner.token), "content-type": "application/json" },
      payload: '{"exerciseId": "x", ',
    });
    expectError(response, 400, "INVALID_JSON");
  });

  it("a body that is not JSON ⇒ 415 UNSUPPORTED_MEDIA_TYPE", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/v1/classes/join",
      headers: { "content-type": "text/plain" },
      payload: "joinCode=ABC",
    });
    expectError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("a program over MAX_CODE_BYTES ⇒ 413 CODE_TOO_LARGE, quoting both sizes", async () => {
    const response = await submit(t.app, learner.token, learner.session.id, {
      code: "// é\n".repeat(300),
    });
    expectError(response, 413, "CODE_TOO_LARGE", /1800 bytes; the limit is 1024/);
  });

  it("a body far over the limit ⇒ 413 BODY_TOO_LARGE", async () => {
    const response = await submit(t.app, learner.token, learner.session.id, {
      code: "x".repeat(200_000),
    });
    expectError(response, 413, "BODY_TOO_LARGE");
  });

  it("an unknown lesson ⇒ 404 LESSON_NOT_FOUND", async () => {
    expectError(
      await t.app.inject({ url: "/v1/lessons/no-such-lesson" }),
      404,
      "LESSON_NOT_FOUND",
      /"no-such-lesson"/,
    );
    const response = await t.app.inject({
      method: "POST",
      url: "/v1/sessions",
      headers: bearer(learner.token),
      payload: { lessonId: "nope" },
    });
    expectError(response, 404, "LESSON_NOT_FOUND", /"nope"/);
  });

  it("an unknown exercise ⇒ 404 EXERCISE_NOT_FOUND", async () => {
    expectError(
      await submit(t.app, learner.token, learner.session.id, { exerciseId: "fly-to-mars" }),
      404,
      "EXERCISE_NOT_FOUND",
      /"fly-to-mars"/,
    );
  });

  it("an unsupported language ⇒ 422 UNSUPPORTED_LANGUAGE", async () => {
    expectError(
      await submit(t.app, learner.token, learner.session.id, { language: "rust" }),
      422,
      "UNSUPPORTED_LANGUAGE",
      /"rust"/,
    );
  });

  it("missing or mistyped fields ⇒ 400 VALIDATION_FAILED naming the field", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: `/v1/sessions/${learner.session.id}/submissions`,
      headers: bearer(learner.token),
      payload: { exerciseId: ALICE, language: "javascript" },
    });
    expectError(response, 400, "VALIDATION_FAILED", /code/);
    expectError(
      await t.app.inject({ method: "POST", url: "/v1/classes/join", payload: { joinCode: 42 } }),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("a malformed id in the path ⇒ 400 VALIDATION_FAILED, an unknown one ⇒ 404", async () => {
    expectError(
      await t.app.inject({ url: "/v1/submissions/not-a-uuid", headers: bearer(learner.token) }),
      400,
      "VALIDATION_FAILED",
      /submissionId/,
    );
    expectError(
      await t.app.inject({
        url: "/v1/submissions/00000000-0000-4000-8000-000000000000",
        headers: bearer(learner.token),
      }),
      404,
      "SUBMISSION_NOT_FOUND",
    );
    expectError(
      await submit(t.app, learner.token, "00000000-0000-4000-8000-000000000000", {}),
      404,
      "SESSION_NOT_FOUND",
    );
  });

  it("a cursor this API did not return ⇒ 400 INVALID_CURSOR; a limit out of range ⇒ 400", async () => {
    expectError(
      await t.app.inject({ url: "/v1/submissions?cursor=garbage", headers: bearer(learner.token) }),
      400,
      "INVALID_CURSOR",
      /"garbage"/,
    );
    const forged = Buffer.from(JSON.stringify(["not a date", "x"])).toString("base64url");
    expectError(
      await t.app.inject({
        url: `/v1/submissions?cursor=${forged}`,
        headers: bearer(learner.token),
      }),
      400,
      "INVALID_CURSOR",
    );
    expectError(
      await t.app.inject({ url: "/v1/submissions?limit=1000", headers: bearer(learner.token) }),
      400,
      "VALIDATION_FAILED",
      /limit/,
    );
  });

  it("no token, a wrong token, or a malformed header ⇒ 401 UNAUTHENTICATED with WWW-Authenticate", async () => {
    for (const headers of [
      {},
      bearer("plt_l_wrong"),
      { authorization: "Basic abc" },
      bearer("x".repeat(5000)),
    ]) {
      const response = await t.app.inject({ url: "/v1/progress", headers });
      expectError(response, 401, "UNAUTHENTICATED");
      expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
    }
  });

  it("an unknown join code ⇒ 404 CLASS_NOT_FOUND; an unknown endpoint ⇒ 404 ROUTE_NOT_FOUND", async () => {
    expectError(
      await t.app.inject({
        method: "POST",
        url: "/v1/classes/join",
        payload: { joinCode: "ZZZZ9999", displayName: "Eve" },
      }),
      404,
      "CLASS_NOT_FOUND",
    );
    expectError(await t.app.inject({ url: "/v1/nothing-here" }), 404, "ROUTE_NOT_FOUND");
  });
});

describe("rate limits", () => {
  it("past SUBMISSION_RATE_LIMIT per minute ⇒ 429 RATE_LIMITED with Retry-After", async () => {
    const limited = await startTestApp({ env: { SUBMISSION_RATE_LIMIT: "2" } });
    try {
      const { learner: someone } = await classroom(limited.app);
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          (await submit(limited.app, someone.token, someone.session.id, {})).statusCode,
        );
      expect(statuses).toEqual([201, 201, 429]);
      const refused = await submit(limited.app, someone.token, someone.session.id, {});
      expectError(refused, 429, "RATE_LIMITED");
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      // Another learner has their own allowance.
      const { learner: other } = await classroom(limited.app, "Grace");
      expect((await submit(limited.app, other.token, other.session.id, {})).statusCode).toBe(201);
    } finally {
      await limited.close();
    }
  });
});
