/* eslint-disable @typescript-eslint/no-explicit-any -- JSON messages; the assertions check their shape */
// `packetBatches` on the session stream: a run that asks for it gets its packets several to a
// `packets` message, the same packets in the same order, every other message where it would be
// without it; a run that does not ask sees `packet` messages as before. Real app, real socket,
// real sandbox. No assertion depends on how the packets happened to be grouped (that is timing).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKETS_PER_MESSAGE } from "../../src/http/stream-messages.ts";
import {
  ALICE,
  aliceSolution,
  bearer,
  classroom,
  expectStatus,
  startTestApp,
  type TestApp,
} from "../helpers/app.ts";
import { openStream, type StreamClient } from "../helpers/ws-client.ts";

let t: TestApp;
let cast: Awaited<ReturnType<typeof classroom>>;
let client: StreamClient;

beforeAll(async () => {
  t = await startTestApp();
  const base = (await t.listen()).replace("http", "ws");
  cast = await classroom(t.app, "Batcher");
  client = await openStream(`${base}/v1/sessions/${cast.learner.session.id}/stream`);
  client.send({ type: "auth", token: cast.learner.token });
  await client.next((message) => message.type === "ready");
});
afterAll(async () => {
  client.socket.close();
  await t.close();
});

/** Runs `code` on the Alice exercise and returns the run's messages, run-finished last. */
async function run(runId: string, extra: Record<string, unknown>, code = aliceSolution) {
  client.send({ type: "run", exerciseId: ALICE, language: "typescript", code, runId, ...extra });
  await client.next(
    (message) =>
      message.runId === runId && ["run-finished", "error", "run-cancelled"].includes(message.type),
  );
  return client.messages.filter((message) => message.runId === runId);
}

/**
 * What happened, one entry a packet or line, whichever way the packets were sent. `run-queued`
 * is left out: whether a run waits for a sandbox depends on the machine (a worker still starting,
 * another test file's runs), not on how its packets are sent.
 */
const events = (messages: any[]) =>
  messages.flatMap((message): unknown[] => {
    if (message.type === "run-queued") return [];
    if (message.type === "packet") return [["packet", message.packet]];
    if (message.type === "packets") return message.packets.map((p: unknown) => ["packet", p]);
    if (message.type === "output") return [["output", message.line]];
    return [[message.type]];
  });

async function storedPackets(submissionId: string) {
  return expectStatus(
    await t.app.inject({
      url: `/v1/submissions/${submissionId}/trace`,
      headers: bearer(cast.learner.token),
    }),
    200,
  ).packets;
}

// Each name query is answered: two packets a query, more than one message carries, between two
// printed lines.
const chatty = `import { UdpSocket } from "net";
const socket = UdpSocket.bind("0.0.0.0:0");
for (let i = 0; i < 100; i++) socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
console.log("sent");
socket.setReadTimeout(50);
try { for (;;) socket.recvFrom(); } catch {}
console.log("done");
`;

describe("a run sent with packetBatches: true", () => {
  it("gets the Alice run's packets in `packets` messages: the same, in order, between the same messages", async () => {
    const single = await run("single", {});
    const batched = await run("batched", { packetBatches: true });
    const finished = batched.at(-1);
    expect(finished).toMatchObject({ type: "run-finished", grade: { passed: true } });

    expect(batched.map((message) => message.type)).not.toContain("packet");
    const packets = batched.filter((message) => message.type === "packets");
    expect(packets.length).toBeGreaterThan(0);
    const streamed = packets.flatMap((message) => message.packets);
    expect(streamed).toHaveLength(finished.packetCount);
    expect(streamed).toEqual(await storedPackets(finished.submissionId));
    expect(streamed.map((packet) => packet.seq)).toEqual(streamed.map((_, i) => i + 1));
    // Output lines, run-started and run-finished fall between the packets exactly where they
    // fell in the run that asked for one message a packet.
    expect(events(batched)).toEqual(events(single));
  });

  it("splits a long run's packets into messages of at most PACKETS_PER_MESSAGE, output in place", async () => {
    const single = await run("chatty-single", {}, chatty);
    const batched = await run("chatty-batched", { packetBatches: true }, chatty);
    const finished = batched.at(-1);
    expect(finished.type).toBe("run-finished");
    expect(finished.packetCount).toBeGreaterThan(PACKETS_PER_MESSAGE);
    const packets = batched.filter((message) => message.type === "packets");
    for (const message of packets) {
      expect(message.packets.length).toBeGreaterThanOrEqual(1);
      expect(message.packets.length).toBeLessThanOrEqual(PACKETS_PER_MESSAGE);
    }
    expect(packets.flatMap((message) => message.packets)).toEqual(
      await storedPackets(finished.submissionId),
    );
    expect(events(batched)).toEqual(events(single));
  });

  it("keeps seq without gaps across every message of the connection", () => {
    expect(client.messages.map((message) => message.seq)).toEqual(
      client.messages.map((_, i) => i + 1),
    );
  });
});

describe("a run sent without packetBatches", () => {
  it("gets one `packet` message a packet, as before the option existed", async () => {
    for (const [runId, extra] of [
      ["absent", {}],
      ["false", { packetBatches: false }],
    ] as const) {
      const messages = await run(runId, extra);
      const finished = messages.at(-1);
      const types = messages.map((message) => message.type);
      expect(types).not.toContain("packets");
      expect(types.filter((type) => type === "packet")).toHaveLength(finished.packetCount);
    }
  });
});

describe("packetBatches", () => {
  it("must be a boolean: anything else is refused with INVALID_MESSAGE, nothing started", async () => {
    for (const value of ["yes", 1, null]) {
      const runId = `invalid-${String(value)}`;
      const messages = await run(runId, { packetBatches: value });
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ type: "error", error: { code: "INVALID_MESSAGE" } });
      expect(messages[0].error.message).toContain("/packetBatches");
    }
  });
});
