/* eslint-disable @typescript-eslint/no-explicit-any -- JSON documents and messages; the assertions check their shape */
// The session stream as a published contract: a valid AsyncAPI 3.0 document, and every message
// the server really sends over a real WebSocket valid against it and against the OpenAPI
// document's schemas of the same names. Refusals come before run-started; run-finished carries
// what the HTTP submission carries; errors have the HTTP error's shape.
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALICE,
  aliceSolution,
  bearer,
  classroom,
  expectStatus,
  startTestApp,
  type TestApp,
} from "../helpers/app.ts";
import { openApiChecker, type OpenApiChecker } from "../helpers/openapi.ts";
import { openStream, type StreamClient } from "../helpers/ws-client.ts";

const require = createRequire(import.meta.url);
const asyncApiSpecification = require("@asyncapi/specs").schemas["3.0.0"];

let t: TestApp;
let base: string;
let openApi: OpenApiChecker;
let asyncApi: any;
beforeAll(async () => {
  t = await startTestApp();
  base = await t.listen();
  openApi = await openApiChecker(t.app);
  asyncApi = expectStatus(await t.app.inject({ url: "/docs/asyncapi.json" }), 200);
});
afterAll(async () => t.close());

function newAjv() {
  // The AsyncAPI schema embeds the draft-07 meta-schema by its own $id: Ajv must not add its own.
  const ajv = new Ajv({ strict: false, allErrors: true, meta: false, validateSchema: false });
  addFormats.default(ajv);
  return ajv;
}

/** Validators of each message the AsyncAPI document describes, by the message's `type`. */
function asyncApiValidators(document: any): Map<string, ValidateFunction> {
  const ajv = newAjv();
  ajv.addSchema(document, "asyncapi");
  return new Map(
    Object.values<any>(document.components.messages).map((message) => [
      message.name,
      ajv.compile({ $ref: `asyncapi${message.payload.$ref}` }),
    ]),
  );
}

describe("the AsyncAPI document at /docs/asyncapi.json", () => {
  it("is a valid AsyncAPI 3.0 document (the official JSON schema), linked from OpenAPI", () => {
    const validate = newAjv().compile(asyncApiSpecification);
    expect(validate(asyncApi), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
    // The control: the schema does reject what is not AsyncAPI.
    const broken = structuredClone(asyncApi);
    broken.operations.sendReady.action = "emit";
    expect(validate(broken)).toBe(false);

    expect(asyncApi.asyncapi).toBe("3.0.0");
    expect(openApi.document.externalDocs.url).toBe("/docs/asyncapi.json");
    // @fastify/swagger leaves WebSocket routes out of paths: the stream is described there.
    expect(openApi.document.info.description).toContain("/docs/asyncapi.json");
  });

  it("describes every message, the close codes, the error codes and the order", () => {
    const names = Object.values<any>(asyncApi.components.messages).map((message) => message.name);
    expect(names.toSorted()).toEqual(
      [
        "auth",
        "run",
        "cancel",
        "ready",
        "compiling",
        "run-started",
        "run-queued",
        "packet",
        "packets",
        "output",
        "run-finished",
        "run-cancelled",
        "error",
      ].toSorted(),
    );
    const actions = Object.values<any>(asyncApi.operations).map((operation) => operation.action);
    expect(actions.filter((action) => action === "receive")).toHaveLength(3);
    expect(actions.filter((action) => action === "send")).toHaveLength(10);
    const channel = asyncApi.channels.sessionStream;
    expect(Object.keys(channel["x-close-codes"])).toEqual(["4001", "4002", "4004", "4029", "4503"]);
    expect(asyncApi.info.description).toMatch(/await `ready`, then send `run`/);
    expect(asyncApi.info.description).toMatch(
      /a Rust run first by `compiling`, then `run-started`/,
    );
    expect(asyncApi.info.description).toMatch(
      /`packetBatches: true` gets its packets in `packets`/,
    );
    const errorCode = asyncApi.components.schemas.ErrorCode.enum;
    for (const code of ["INVALID_MESSAGE", "RUN_IN_PROGRESS", "RUN_NOT_FOUND"]) {
      expect(errorCode).toContain(code);
      expect(asyncApi.info.description).toContain(code);
    }
    // The same schemas by the same names in both documents.
    for (const name of ["Packet", "Grade", "StreamRunFinished", "StreamError"]) {
      expect(openApi.document.components.schemas[name], name).toBeDefined();
      expect(asyncApi.components.schemas[name], name).toBeDefined();
    }
  });

  it("has examples its own schemas accept", () => {
    const validators = asyncApiValidators(asyncApi);
    let checked = 0;
    for (const message of Object.values<any>(asyncApi.components.messages)) {
      for (const example of message.examples ?? []) {
        const validate = validators.get(message.name)!;
        expect(validate(example.payload), JSON.stringify(validate.errors)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});

describe("what the server sends over a real WebSocket", () => {
  let cast: Awaited<ReturnType<typeof classroom>>;
  let client: StreamClient;

  beforeAll(async () => {
    cast = await classroom(t.app, "Streamer");
    client = await openStream(
      `${base.replace("http", "ws")}/v1/sessions/${cast.learner.session.id}/stream`,
    );
    client.send({ type: "auth", token: cast.learner.token });
    await client.next((message) => message.type === "ready");
  });
  afterAll(() => client.socket.close());

  const run = (runId: string, body: Record<string, unknown> = {}) =>
    client.send({
      type: "run",
      exerciseId: ALICE,
      language: "typescript",
      code: aliceSolution,
      runId,
      ...body,
    });
  const about = (runId: string) => (message: any) =>
    message.runId === runId && ["run-finished", "run-cancelled", "error"].includes(message.type);

  it("refuses an unknown exercise or language, an oversized program, before run-started", async () => {
    run("unknown-exercise", { exerciseId: "fly-to-mars" });
    run("unknown-language", { language: "cobol" });
    run("oversized", { code: `// ${"x".repeat(70_000)}` });
    const refusals = await Promise.all(
      ["unknown-exercise", "unknown-language", "oversized"].map((runId) =>
        client.next(about(runId)),
      ),
    );
    expect(refusals.map((message) => [message.type, message.error.code])).toEqual([
      ["error", "EXERCISE_NOT_FOUND"],
      ["error", "UNSUPPORTED_LANGUAGE"],
      ["error", "CODE_TOO_LARGE"],
    ]);
    expect(refusals[0].error.message).toContain('"fly-to-mars"');
    const started = client.messages.filter((message) => message.type === "run-started");
    expect(started).toEqual([]);
  });

  it("answers a mistaken message with the HTTP error's shape, its requestId the upgrade's", async () => {
    client.send("{not json");
    client.send({ type: "cancel" });
    client.send({
      type: "run",
      exerciseId: ALICE,
      code: "1",
      language: "javascript",
      requestId: "x",
    });
    await client.next(
      (message) => message.type === "error" && /requestId is now runId/.test(message.error.message),
    );
    const errors = client.messages.filter((message) => message.type === "error");
    expect(errors.map((message) => message.error.code)).toEqual(
      expect.arrayContaining(["INVALID_MESSAGE", "RUN_NOT_FOUND"]),
    );
    // One connection, one upgrade request: every error quotes its id.
    const ids = new Set(errors.map((message) => message.error.requestId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("streams a run whose run-finished is the HTTP submission, a batched one, and a cancelled one", async () => {
    run("graded");
    const finished = await client.next(about("graded"));
    expect(finished.type).toBe("run-finished");
    const runMessages = client.messages.filter((message) => message.runId === "graded");
    expect(runMessages[0].type).toBe("run-started");
    const packets = runMessages.filter((message) => message.type === "packet");
    expect(packets).toHaveLength(finished.packetCount);

    const stored = expectStatus(
      await t.app.inject({
        url: `/v1/submissions/${finished.submissionId}`,
        headers: bearer(cast.learner.token),
      }),
      200,
    );
    const { type, seq, runId, submissionId, packetsTruncated, replayed, ...submission } = finished;
    void [type, seq, runId];
    expect(submissionId).toBe(stored.id);
    expect(submission).toEqual(stored);
    expect([packetsTruncated, replayed]).toEqual([false, false]);
    const trace = expectStatus(
      await t.app.inject({
        url: `/v1/submissions/${finished.submissionId}/trace`,
        headers: bearer(cast.learner.token),
      }),
      200,
    );
    expect(packets.map((message) => message.packet)).toEqual(trace.packets);

    run("batched", { packetBatches: true });
    const batched = await client.next(about("batched"));
    const batches = client.messages.filter(
      (message) => message.runId === "batched" && message.type === "packets",
    );
    expect(batches.flatMap((message) => message.packets)).toHaveLength(batched.packetCount);

    run("spin", { language: "javascript", code: "while (true) {}" });
    await client.next((message) => message.type === "run-started" && message.runId === "spin");
    run("second", { language: "javascript", code: "1" });
    expect((await client.next(about("second"))).error.code).toBe("RUN_IN_PROGRESS");
    client.send({ type: "cancel", runId: "spin" });
    expect((await client.next(about("spin"))).type).toBe("run-cancelled");
  });

  it("sent only messages valid against both documents' schemas", () => {
    const byType = asyncApiValidators(asyncApi);
    const openApiMessage = openApi.schema("StreamServerMessage");
    const types = new Set<string>();
    for (const message of client.messages) {
      types.add(message.type);
      const validate = byType.get(message.type);
      expect(validate, message.type).toBeDefined();
      expect(validate!(message), `${message.type}: ${JSON.stringify(validate!.errors)}`).toBe(true);
      expect(
        openApiMessage(message),
        `${message.type}: ${JSON.stringify(openApiMessage.errors)}`,
      ).toBe(true);
    }
    // A run-queued, when a run had to wait for a sandbox, was validated above; whether one came
    // depends on how busy the machine was, so the list below leaves it out.
    types.delete("run-queued");
    expect([...types].toSorted()).toEqual(
      [
        "ready",
        "run-started",
        "packet",
        "packets",
        "output",
        "run-finished",
        "run-cancelled",
        "error",
      ].toSorted(),
    );
    expect(client.messages.map((message) => message.seq)).toEqual(
      client.messages.map((_, i) => i + 1),
    );
  });
});
