/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document is JSON; the tests check its shape */
// The OpenAPI document as a contract a frontend builds on: named schemas, an operationId and the
// roles on every operation, and real responses (real packets of a real run) that match it.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  classroom,
  expectStatus,
  LESSON,
  OPERATOR_TOKEN,
  startTestApp,
  submit,
  type TestApp,
} from "../helpers/app.ts";
import { openApiChecker, type OpenApiChecker } from "../helpers/openapi.ts";

const wrongPort = readFileSync(
  new URL(`../../lessons/${LESSON}/05-message-to-alice/wrong/wrong-port.js`, import.meta.url),
  "utf8",
);

let t: TestApp;
let api: OpenApiChecker;
beforeAll(async () => {
  t = await startTestApp();
  api = await openApiChecker(t.app);
});
afterAll(async () => t.close());

const METHODS = ["get", "post", "put", "patch", "delete"];

function operations(document: any) {
  return Object.entries(document.paths).flatMap(([path, item]: [string, any]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      path,
      method,
      operation: item[method],
    })),
  );
}

describe("the OpenAPI document", () => {
  it("names the schemas a frontend needs, and uses them by reference", () => {
    const names = Object.keys(api.document.components.schemas);
    for (const name of [
      "Packet",
      "Layer",
      "Field",
      "PacketFate",
      "DropReason",
      "LayerProtocol",
      "Grade",
      "Check",
      "Submission",
      "SubmissionSummary",
      "SubmissionResult",
      "Error",
      "ErrorCode",
      "Outcome",
      "Language",
      "Lesson",
      "Exercise",
      "Session",
      "Progress",
    ]) {
      expect(names, name).toContain(name);
    }
    expect(names.filter((name) => name.startsWith("def-"))).toEqual([]);
    const result = api.document.paths["/v1/sessions/{sessionId}/submissions"].post;
    expect(result.responses["201"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/SubmissionResult",
    });
    const packets = api.document.components.schemas.SubmissionResult.properties.packets;
    expect(packets.items).toEqual({ $ref: "#/components/schemas/Packet" });
    expect(api.document.components.schemas.Outcome.enum).toContain("network-limit");
    expect(api.document.components.schemas.Language.enum).toEqual(
      expect.arrayContaining(["javascript", "typescript"]),
    );
    expect(api.document.components.schemas.ErrorCode.enum).toContain("EXERCISE_NOT_FOUND");
    expect(api.document.components.schemas.DropReason.enum).toContain("port-unreachable");
  });

  it("gives every operation a unique operationId and says which roles may call it", () => {
    const all = operations(api.document);
    expect(all.length).toBeGreaterThan(15);
    const ids = all.map(({ operation }) => operation.operationId);
    expect(ids.filter((id) => typeof id !== "string")).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    const schemes = Object.keys(api.document.components.securitySchemes);
    // One bearer scheme per role, and the signed links downloads accept.
    expect(schemes.toSorted()).toEqual(["downloadLink", "learner", "operator", "teacher"]);
    for (const { path, method, operation } of all) {
      expect(Array.isArray(operation.security), `${method} ${path} has no security`).toBe(true);
      for (const requirement of operation.security) {
        for (const scheme of Object.keys(requirement)) expect(schemes).toContain(scheme);
      }
    }
  });

  it("carries examples that the schemas accept", () => {
    let examples = 0;
    for (const [name, schema] of Object.entries<any>(api.document.components.schemas)) {
      if (schema.example === undefined) continue;
      examples++;
      const validate = api.schema(name);
      expect(validate(schema.example), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(examples).toBeGreaterThan(5);
  });

  it("enforces the roles it documents: others get 403, no token 401", async () => {
    const { teacher, learner } = await classroom(t.app, "Roles");
    const tokens: Record<string, string> = {
      operator: OPERATOR_TOKEN,
      teacher: teacher.token,
      learner: learner.token,
    };
    let checked = 0;
    for (const { path, method, operation } of operations(api.document)) {
      const allowed = operation.security
        .flatMap((requirement: object) => Object.keys(requirement))
        .filter((scheme: string) => scheme !== "downloadLink");
      if (allowed.length === 0) continue;
      // Fill the path with ids that exist nowhere; the body with the documented example.
      const url = path.replace(/\{[^}]+\}/g, () => randomUUID());
      const body = operation.requestBody?.content["application/json"];
      const payload = body?.example ?? resolveExample(body?.schema);
      const call = (token?: string) =>
        t.app.inject({
          method: method.toUpperCase() as "GET",
          url,
          headers: token ? bearer(token) : {},
          ...(payload === undefined ? {} : { payload }),
        });
      expect((await call()).statusCode, `${method} ${path} without a token`).toBe(401);
      for (const [role, token] of Object.entries(tokens)) {
        // Revoking one's own token is allowed: checked last, below, not to spend the token.
        if (allowed.includes(role) && method === "delete") continue;
        const status = (await call(token)).statusCode;
        if (allowed.includes(role)) {
          expect([401, 403], `${method} ${path} as ${role}`).not.toContain(status);
        } else {
          expect(status, `${method} ${path} as ${role}`).toBe(403);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(
      (
        await t.app.inject({
          method: "DELETE",
          url: "/v1/tokens/current",
          headers: bearer(learner.token),
        })
      ).statusCode,
    ).toBe(204);
  });
});

function resolveExample(schema: any): unknown {
  const ref = schema?.$ref as string | undefined;
  if (!ref) return schema?.example;
  return api.document.components.schemas[ref.split("/").pop()!]?.example;
}

describe("real responses match the document", () => {
  it("a graded submission: its packets, layers, fields and grade", async () => {
    const { learner, teacher, klass } = await classroom(t.app, "Schema");
    const created = await submit(t.app, learner.token, learner.session.id, {});
    api.expectDocumented("POST", "/v1/sessions/{sessionId}/submissions", created);
    const result = expectStatus(created, 201);
    expect(result.packets.length).toBeGreaterThan(1);
    const packet = api.schema("Packet");
    for (const each of result.packets)
      expect(packet(each), JSON.stringify(packet.errors)).toBe(true);

    const wrong = await submit(t.app, learner.token, learner.session.id, {
      language: "javascript",
      code: wrongPort,
    });
    api.expectDocumented("POST", "/v1/sessions/{sessionId}/submissions", wrong);
    expect(expectStatus(wrong, 201).grade.checks.some((check: any) => !check.passed)).toBe(true);

    const id = result.id;
    const asLearner = bearer(learner.token);
    const calls: [string, string, string][] = [
      ["GET", `/v1/submissions/${id}`, "/v1/submissions/{submissionId}"],
      ["GET", `/v1/submissions/${id}/trace`, "/v1/submissions/{submissionId}/trace"],
      ["GET", "/v1/submissions?limit=1", "/v1/submissions"],
      ["GET", "/v1/progress", "/v1/progress"],
      ["GET", `/v1/sessions/${learner.session.id}`, "/v1/sessions/{sessionId}"],
      ["GET", "/v1/lessons", "/v1/lessons"],
      ["GET", `/v1/lessons/${LESSON}`, "/v1/lessons/{lessonId}"],
      ["GET", "/v1/lessons/no-such-lesson", "/v1/lessons/{lessonId}"],
      ["GET", `/v1/submissions/${randomUUID()}`, "/v1/submissions/{submissionId}"],
    ];
    for (const [method, url, path] of calls) {
      api.expectDocumented(
        method,
        path,
        await t.app.inject({ method: "GET", url, headers: asLearner }),
      );
    }
    const asTeacher = bearer(teacher.token);
    for (const [url, path] of [
      [`/v1/classes/${klass.id}/progress`, "/v1/classes/{classId}/progress"],
      [`/v1/classes/${klass.id}/stats`, "/v1/classes/{classId}/stats"],
      ["/v1/classes", "/v1/classes"],
      [
        `/v1/classes/${klass.id}/learners/${learner.learnerId}/submissions`,
        "/v1/classes/{classId}/learners/{learnerId}/submissions",
      ],
    ]) {
      api.expectDocumented("GET", path!, await t.app.inject({ url: url!, headers: asTeacher }));
    }
  });

  it("errors, including a refused language, have the one documented shape", async () => {
    const { learner } = await classroom(t.app, "Errors");
    const refused = await submit(t.app, learner.token, learner.session.id, { language: "cobol" });
    api.expectDocumented("POST", "/v1/sessions/{sessionId}/submissions", refused);
    expect(expectStatus(refused, 422).error).toMatchObject({
      code: "UNSUPPORTED_LANGUAGE",
      message: expect.stringContaining('"cobol"'),
    });
    // requestId is the server's id of the request, also on every response as a header.
    expect(refused.headers["request-id"]).toBe(refused.json().error.requestId);
    const unknown = await submit(t.app, learner.token, learner.session.id, { exerciseId: "nope" });
    api.expectDocumented("POST", "/v1/sessions/{sessionId}/submissions", unknown);
    expect(expectStatus(unknown, 404).error.code).toBe("EXERCISE_NOT_FOUND");
  });
});
