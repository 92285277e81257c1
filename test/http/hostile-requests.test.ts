/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document and bodies are JSON */
// Every route, taken from the published OpenAPI document, called with hostile values in each of
// its path and query parameters and body fields, as every kind of account: the answer is never
// a 5xx. The hostile values that once reached the database (Infinity, urn:uuid: ids, cursors
// that are not ours, NUL in filters) answer 400 naming the field.
// Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALICE,
  aliceSolution,
  bearer,
  classroom,
  expectStatus,
  OPERATOR_TOKEN,
  startTestApp,
  submit,
  type TestApp,
} from "../helpers/app.ts";

const UUID = "8a3f2c1e-4b5d-4e6f-9a0b-1c2d3e4f5a6b";
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

// Raw query-string / path text: percent-encoded where a URL needs it.
const HOSTILE_PARAMS = [
  "Infinity",
  "1e309",
  "NaN",
  "1.5",
  "99999999999999999999",
  `urn:uuid:${UUID}`,
  `{${UUID}}`,
  "-".repeat(36),
  "z".repeat(8) + "-zzzz-zzzz-zzzz-" + "z".repeat(12),
  UUID.replace(/-/g, ""),
  "%00",
  "a%00b",
  "%ED%A0%80", // a lone surrogate's UTF-8 form, invalid UTF-8
  "%C0%80", // overlong NUL
  "__proto__",
  "x".repeat(3000),
  cursorOf(["+275760-09-13T00:00:00.000Z", UUID]),
  cursorOf(["-271821-04-20T00:00:00.000Z", UUID]),
  cursorOf(["2026-01-01T00:00:00.000Z", "-".repeat(36)]),
  cursorOf(["2026-01-01T00:00:00.000Z", `urn:uuid:${UUID}`]),
  cursorOf(["2026-01-01T00:00:00.000Z\u0000", UUID]),
  cursorOf(["1e309", UUID]),
  cursorOf(null),
];

const HOSTILE_VALUES: unknown[] = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff\ud800",
  "x".repeat(100_000),
  `urn:uuid:${UUID}`,
  "-".repeat(36),
  "",
  " ",
  1e308,
  -1,
  1.5,
  0,
  true,
  null,
  [],
  {},
  { __proto__: { admin: true } },
  ["\u0000"],
];

let t: TestApp;
let document: any;
let tokens: Record<string, string | undefined>;
let ids: Record<string, string>;

beforeAll(async () => {
  t = await startTestApp({ env: { SUBMISSION_RATE_LIMIT: "0", JOIN_FAILURE_LIMIT: "0" } });
  const { teacher, klass, learner } = await classroom(t.app);
  const submitted = expectStatus(await submit(t.app, learner.token, learner.session.id, {}), 201);
  tokens = {
    anonymous: undefined,
    operator: OPERATOR_TOKEN,
    teacher: teacher.token,
    learner: learner.token,
  };
  ids = {
    classId: klass.id,
    learnerId: learner.learnerId,
    sessionId: learner.session.id,
    submissionId: submitted.id,
    lessonId: "exchanging-messages",
    exerciseId: ALICE,
  };
  document = (await t.app.inject({ url: "/docs/json" })).json();
});
afterAll(async () => t.close());

interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string }[];
  bodyFields: string[];
}

function operations(): Operation[] {
  const found: Operation[] = [];
  for (const [path, item] of Object.entries<any>(document.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      // The stream is a WebSocket; its upgrade is tested in stream tests.
      if (path.endsWith("/stream")) continue;
      // Server-Sent Events answer a valid request with a response that never ends.
      if (operation.responses?.["200"]?.content?.["text/event-stream"]) continue;
      const body = operation.requestBody?.content?.["application/json"]?.schema;
      const resolved = body?.$ref ? document.components.schemas[body.$ref.split("/").pop()] : body;
      found.push({
        method: method.toUpperCase(),
        path,
        parameters: (operation.parameters ?? []).filter((p: any) => p.in !== "header"),
        bodyFields: Object.keys(resolved?.properties ?? {}),
      });
    }
  }
  return found;
}

/** A valid request to the operation, with one parameter or body field replaced. */
function url(operation: Operation, replace?: { name: string; raw: string }) {
  let path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    replace?.name === name ? replace.raw : (ids[name] ?? UUID),
  );
  const query = operation.parameters
    .filter((p) => p.in === "query" && p.name === replace?.name)
    .map((p) => `${p.name}=${replace!.raw}`);
  if (query.length) path += `?${query.join("&")}`;
  return path;
}

function validBody(operation: Operation): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: "Hostile",
    displayName: "Hostile",
    joinCode: "ABCDEFGHJK",
    lessonId: ids.lessonId,
    exerciseId: ids.exerciseId,
    language: "typescript",
    code: aliceSolution,
    path: `/v1/submissions/${ids.submissionId}/trace.pcap`,
  };
  return Object.fromEntries(operation.bodyFields.map((field) => [field, body[field] ?? "x"]));
}

async function expectNo5xx(
  method: string,
  path: string,
  token: string | undefined,
  payload?: unknown,
) {
  const response = await t.app.inject({
    method: method as "GET",
    url: path,
    headers: token ? bearer(token) : {},
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  expect(
    response.statusCode,
    `${method} ${path.slice(0, 200)} → ${response.body.slice(0, 300)}`,
  ).toBeLessThan(500);
  return response;
}

describe("hostile requests", () => {
  it("no path or query parameter of any route answers 5xx", async () => {
    const all = operations();
    expect(all.length).toBeGreaterThan(15);
    for (const operation of all) {
      for (const parameter of operation.parameters) {
        // As the account the route is for: the first one that is not refused, asked about ids
        // that exist nowhere (so a DELETE deletes nothing).
        const payload = operation.bodyFields.length ? validBody(operation) : undefined;
        const probe = operation.path.replace(/\{(\w+)\}/g, UUID);
        let token = tokens.learner;
        for (const candidate of [tokens.learner, tokens.teacher, tokens.operator]) {
          token = candidate;
          const answer = await expectNo5xx(operation.method, probe, candidate, payload);
          if (answer.statusCode !== 401 && answer.statusCode !== 403) break;
        }
        for (const raw of HOSTILE_PARAMS)
          await expectNo5xx(
            operation.method,
            url(operation, { name: parameter.name, raw }),
            token,
            payload,
          );
      }
    }
  }, 300_000); // thousands of requests: minutes on a busy 2-core machine

  it("no body field of any route answers 5xx", async () => {
    for (const operation of operations()) {
      for (const field of operation.bodyFields) {
        for (const value of HOSTILE_VALUES) {
          for (const token of Object.values(tokens)) {
            await expectNo5xx(operation.method, url(operation), token, {
              ...validBody(operation),
              [field]: value,
            });
          }
        }
      }
    }
  }, 300_000); // thousands of requests: minutes on a busy 2-core machine

  it("numbers past the integer range ⇒ 400 naming the field", async () => {
    for (const limit of ["Infinity", "1e309", "-1e309", "NaN", "1.5", "0", "101"]) {
      const response = await expectNo5xx("GET", `/v1/submissions?limit=${limit}`, tokens.learner);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error.message).toMatch(/limit/);
    }
  });

  it("ids that are not plain UUIDs ⇒ 400 naming the field", async () => {
    for (const id of [`urn:uuid:${ids.submissionId}`, `{${ids.submissionId}}`, "-".repeat(36)]) {
      const response = await expectNo5xx("GET", `/v1/submissions/${id}`, tokens.learner);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error.message).toMatch(/submissionId/);
    }
  });

  it("cursors that are not ours ⇒ 400 INVALID_CURSOR", async () => {
    const cursors = [
      "-".repeat(36),
      cursorOf(["+275760-09-13T00:00:00.000Z", UUID]),
      cursorOf(["-271821-04-20T00:00:00.000Z", UUID]),
      cursorOf(["2026-01-01T00:00:00.000Z", "-".repeat(36)]),
      cursorOf(["2026-01-01T00:00:00.000Z", `urn:uuid:${UUID}`]),
      cursorOf(["2026-01-01", UUID]),
    ];
    for (const path of ["/v1/submissions", "/v1/sessions"]) {
      for (const cursor of cursors) {
        const response = await expectNo5xx("GET", `${path}?cursor=${cursor}`, tokens.learner);
        expect(response.statusCode, response.body).toBe(400);
        expect(response.json().error.code).toBe("INVALID_CURSOR");
      }
    }
  });

  it("NUL in a filter ⇒ 400 naming the field", async () => {
    for (const [path, field] of [
      ["/v1/submissions", "lessonId"],
      ["/v1/submissions", "exerciseId"],
      ["/v1/sessions", "lessonId"],
    ] as const) {
      const response = await expectNo5xx("GET", `${path}?${field}=a%00b`, tokens.learner);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error.message).toContain(field);
    }
  });
});
