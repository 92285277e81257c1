// The session stream over a real socket: real app listening on 127.0.0.1, real `ws` clients,
// the real sandbox pool and lessons.
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
import { openStream } from "../helpers/ws-client.ts";

let t: TestApp;
let base: string;
let cast: Awaited<ReturnType<typeof classroom>>;
let streamUrl: string;

beforeAll(async () => {
  t = await startTestApp();
  base = (await t.listen()).replace("http", "ws");
  cast = await classroom(t.app);
  streamUrl = `${base}/v1/sessions/${cast.learner.session.id}/stream`;
});
afterAll(async () => t.close());

async function authedStream() {
  const client = await openStream(streamUrl);
  client.send({ type: "auth", token: cast.learner.token });
  await client.next((message) => message.type === "ready");
  return client;
}

describe("the session stream", () => {
  it("streams a run's packets and output, then the grade of the stored submission, in sequence", async () => {
    const client = await authedStream();
    client.send({
      type: "run",
      exerciseId: ALICE,
      code: aliceSolution,
      language: "typescript",
      runId: "r1",
    });
    const finished = await client.next((message) => message.type === "run-finished");
    expect(finished).toMatchObject({ runId: "r1", outcome: "ok", grade: { passed: true } });
    const types = client.messages.map((message) => message.type);
    expect(types[0]).toBe("ready");
    expect(types[1]).toBe("run-started");
    expect(types.filter((type) => type === "packet")).toHaveLength(finished.packetCount);
    expect(types).toContain("output");
    expect(client.messages.map((message) => message.seq)).toEqual(
      client.messages.map((_, i) => i + 1),
    );
    const stored = expectStatus(
      await t.app.inject({
        url: `/v1/submissions/${finished.submissionId}`,
        headers: bearer(cast.learner.token),
      }),
      200,
    );
    expect(stored).toMatchObject({ passed: true, code: aliceSolution });
    client.socket.close();
  });

  it("answers an invalid message with an error event and stays usable", async () => {
    const client = await authedStream();
    client.send("{not json");
    client.send({ type: "run", exerciseId: ALICE });
    client.send({ type: "dance" });
    await client.next(
      (message) =>
        message.type === "error" &&
        /dance|type/.test(message.error.message) &&
        client.messages.filter((m) => m.type === "error").length >= 3,
    );
    client.send({
      type: "run",
      exerciseId: ALICE,
      code: aliceSolution,
      language: "cobol",
      runId: "bad-lang",
    });
    const refused = await client.next(
      (message) => message.runId === "bad-lang" && message.type === "error",
    );
    expect(refused.error.code).toBe("UNSUPPORTED_LANGUAGE");
    client.send({
      type: "run",
      exerciseId: ALICE,
      code: aliceSolution,
      language: "typescript",
      runId: "ok",
    });
    expect(await client.next((message) => message.type === "run-finished")).toMatchObject({
      runId: "ok",
    });
    client.socket.close();
  });

  it("cancels a run on request and stores nothing", async () => {
    const client = await authedStream();
    const before = expectStatus(
      await t.app.inject({ url: "/v1/submissions?limit=100", headers: bearer(cast.learner.token) }),
      200,
    ).items.length;
    client.send({
      type: "run",
      exerciseId: ALICE,
      code: "while (true) {}",
      language: "javascript",
      runId: "spin",
    });
    await client.next((message) => message.type === "run-started");
    client.send({
      type: "run",
      exerciseId: ALICE,
      code: "1",
      language: "javascript",
      runId: "second",
    });
    expect(await client.next((message) => message.runId === "second")).toMatchObject({
      type: "error",
      error: { code: "RUN_IN_PROGRESS" },
    });
    client.send({ type: "cancel" });
    expect(await client.next((message) => message.type === "run-cancelled")).toMatchObject({
      runId: "spin",
    });
    const after = expectStatus(
      await t.app.inject({ url: "/v1/submissions?limit=100", headers: bearer(cast.learner.token) }),
      200,
    ).items.length;
    expect(after).toBe(before);
    client.socket.close();
  });

  it("accepts a single-use ticket instead of a token in the URL", async () => {
    const { ticket } = expectStatus(
      await t.app.inject({
        method: "POST",
        url: "/v1/ws-tickets",
        headers: bearer(cast.learner.token),
      }),
      201,
    );
    const client = await openStream(`${streamUrl}?ticket=${ticket}`);
    expect(await client.next((message) => message.type === "ready")).toMatchObject({
      sessionId: cast.learner.session.id,
    });
    client.socket.close();
    const again = await openStream(`${streamUrl}?ticket=${ticket}`);
    expect(await again.closed).toMatchObject({ code: 4001 });
  });

  it("closes with documented codes: 4001 for a bad token or no auth first, 4004 for someone else's session", async () => {
    const wrong = await openStream(streamUrl);
    wrong.send({ type: "auth", token: "plt_l_nope" });
    expect(await wrong.closed).toMatchObject({ code: 4001, reason: "UNAUTHENTICATED" });

    const rude = await openStream(streamUrl);
    rude.send({ type: "run", exerciseId: ALICE, code: "", language: "javascript" });
    expect(await rude.closed).toMatchObject({ code: 4001 });

    const other = await classroom(t.app, "Mallory");
    const intruder = await openStream(streamUrl);
    intruder.send({ type: "auth", token: other.learner.token });
    expect(await intruder.closed).toMatchObject({ code: 4004, reason: "SESSION_NOT_FOUND" });

    const teacher = await openStream(streamUrl);
    teacher.send({ type: "auth", token: cast.teacher.token });
    expect(await teacher.closed).toMatchObject({ code: 4001 });
  });

  it("counts open connections in /metrics", async () => {
    const clients = await Promise.all([authedStream(), authedStream()]);
    const metrics = (await t.app.inject({ url: "/metrics" })).body;
    expect(
      Number(/packetlab_websocket_connections (\d+)/.exec(metrics)?.[1]),
    ).toBeGreaterThanOrEqual(2);
    for (const client of clients) client.socket.close();
  });
});
