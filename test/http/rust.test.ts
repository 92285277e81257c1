// Rust over the API: the same routes and stream as JavaScript, with a compiler behind them.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withCompiler } from "../../src/compile/compiling-runner.ts";
import { CompilerBusyError } from "../../src/compile/index.ts";
import { createGrader, loadLessons } from "../../src/grading/index.ts";
import { LANGUAGES } from "../../src/http/submitter.ts";
import { createRunner } from "../../src/runner/index.ts";
import {
  ALICE,
  classroom,
  expectStatus,
  startTestApp,
  submit,
  type TestApp,
} from "../helpers/app.ts";
import { rustAvailable, testCompiler } from "../helpers/rust.ts";
import { openStream } from "../helpers/ws-client.ts";

const lessonsDir = new URL("../../lessons", import.meta.url).pathname;
const rustSolution = readFileSync(
  new URL("../../lessons/exchanging-messages/05-message-to-alice/solution.rs", import.meta.url),
  "utf8",
);

describe.skipIf(!rustAvailable)("language rust over HTTP and the stream", () => {
  const compiler = testCompiler();
  const pool = createRunner({ workers: 1 });
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof classroom>>;

  beforeAll(async () => {
    const catalogue = await loadLessons(lessonsDir);
    const runner = withCompiler(pool, compiler);
    t = await startTestApp({
      grader: createGrader({ catalogue, runner }),
      runner,
      languages: LANGUAGES,
    });
    cast = await classroom(t.app);
  });
  afterAll(async () => {
    await t.close();
    await pool.close();
    await compiler.close();
  });

  it("grades the lesson's Rust as it grades JavaScript", async () => {
    const body = expectStatus(
      await submit(t.app, cast.learner.token, cast.learner.session.id, {
        language: "rust",
        code: rustSolution,
      }),
      201,
    );
    expect(body).toMatchObject({ language: "rust", outcome: "ok", grade: { passed: true } });
  });

  it("a compile error is graded, positioned in the learner's file", async () => {
    const body = expectStatus(
      await submit(t.app, cast.learner.token, cast.learner.session.id, {
        language: "rust",
        code: 'fn main() {\n    let socket = UdpSocket::bind("0.0.0.0:0");\n}\n',
      }),
      201,
    );
    expect(body.outcome).toBe("compile-error");
    expect(body.error).toMatchObject({ line: 2, column: 18 });
    expect(body.message).toMatch(/UdpSocket/);
  });

  it("the stream says compiling before run-started", async () => {
    const base = (await t.listen()).replace("http", "ws");
    const client = await openStream(`${base}/v1/sessions/${cast.learner.session.id}/stream`);
    client.send({ type: "auth", token: cast.learner.token });
    await client.next((message) => message.type === "ready");
    client.send({ type: "run", exerciseId: ALICE, code: rustSolution, language: "rust" });
    const finished = await client.next((message) => message.type === "run-finished");
    expect(finished).toMatchObject({ outcome: "ok", grade: { passed: true } });
    const types = client.messages.map((message) => message.type);
    expect(types.slice(0, 3)).toEqual(["ready", "compiling", "run-started"]);
    expect(types).toContain("packet");
  });
});

describe("a busy compiler", () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof classroom>>;
  const pool = createRunner({ workers: 1 });

  beforeAll(async () => {
    const catalogue = await loadLessons(lessonsDir);
    // A compiler whose queue is full, entering through buildApp's arguments.
    const busy = { compile: () => Promise.reject(new CompilerBusyError(7)) };
    const runner = withCompiler(pool, busy);
    t = await startTestApp({
      grader: createGrader({ catalogue, runner }),
      runner,
      languages: LANGUAGES,
    });
    cast = await classroom(t.app);
  });
  afterAll(async () => {
    await t.close();
    await pool.close();
  });

  it("answers 503 COMPILER_BUSY with Retry-After", async () => {
    const response = await submit(t.app, cast.learner.token, cast.learner.session.id, {
      language: "rust",
      code: rustSolution,
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers["retry-after"]).toBe("7");
    expect(response.json()).toMatchObject({ error: { code: "COMPILER_BUSY" } });
  });
});
