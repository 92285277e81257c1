// Graded submissions end to end: the real lessons, grader and sandbox pool, stored in the
// database (PGlite, or PostgreSQL with TEST_DATABASE_URL).
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPcap } from "../../src/protocols/pcap.ts";
import {
  ALICE,
  aliceSolution,
  bearer,
  classroom,
  expectStatus,
  LESSON,
  startTestApp,
  submit,
  type TestApp,
} from "../helpers/app.ts";

const wrongPort = readFileSync(
  new URL(`../../lessons/${LESSON}/05-message-to-alice/wrong/wrong-port.js`, import.meta.url),
  "utf8",
);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe("POST /v1/sessions/:id/submissions", () => {
  it("grades Alice's exercise, returns the packets, and stores the submission and progress", async () => {
    const { learner } = await classroom(t.app);
    const result = expectStatus(await submit(t.app, learner.token, learner.session.id, {}), 201);
    expect(result).toMatchObject({
      lessonId: LESSON,
      exerciseId: ALICE,
      outcome: "ok",
      passed: true,
      replayed: false,
    });
    expect(result.grade.checks.length).toBeGreaterThan(1);
    expect(result.packets.length).toBe(result.packetCount);
    expect(result.packets[0]).toMatchObject({ seq: 1, hex: expect.stringMatching(/^45/) });
    expect(result.output.map((line: { text: string }) => line.text).join("")).toMatch(/./);

    const stored = expectStatus(
      await t.app.inject({ url: `/v1/submissions/${result.id}`, headers: bearer(learner.token) }),
      200,
    );
    expect(stored).toMatchObject({
      id: result.id,
      code: aliceSolution,
      passed: true,
      score: result.score,
    });
    // The answer is built from what was written, not read back: it must match what was stored.
    const { packets, packetsTruncated, replayed, ...answered } = result;
    expect(answered).toEqual(stored);
    expect(replayed).toBe(false);
    const trace = expectStatus(
      await t.app.inject({
        url: `/v1/submissions/${result.id}/trace`,
        headers: bearer(learner.token),
      }),
      200,
    );
    expect(trace).toEqual({
      packets,
      totalPackets: result.packetCount,
      truncated: packetsTruncated,
    });
    const progress = expectStatus(
      await t.app.inject({ url: "/v1/progress", headers: bearer(learner.token) }),
      200,
    );
    expect(
      progress.items.find((item: { exerciseId: string }) => item.exerciseId === ALICE),
    ).toMatchObject({
      status: "passed",
      attempts: 1,
      bestScore: result.score,
    });
    expect(
      progress.items.find((item: { exerciseId: string }) => item.exerciseId !== ALICE),
    ).toMatchObject({ status: "not-started" });
  });

  it("grades a wrong answer as not passed, with the failing check explained", async () => {
    const { learner } = await classroom(t.app);
    const result = expectStatus(
      await submit(t.app, learner.token, learner.session.id, {
        code: wrongPort,
        language: "javascript",
      }),
      201,
    );
    expect(result.passed).toBe(false);
    const failed = result.grade.checks.filter((check: { passed: boolean }) => !check.passed);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].message).toMatch(/./);

    // The failing check links to the datagram to port 100, in the answer and once stored.
    type Check = { id: string; subject?: { packet: number; field?: string } };
    const reached = result.grade.checks.find((check: Check) => check.id === "reached-alice");
    const toAlice = result.packets.find(
      (packet: { from: string; to: string }) => packet.from === "learner" && packet.to !== "ns",
    );
    expect(toAlice).toBeDefined();
    expect(reached.subject).toEqual({ packet: toAlice.seq, field: "udp.destinationPort" });
    const stored = expectStatus(
      await t.app.inject({
        url: `/v1/submissions/${result.id}`,
        headers: bearer(learner.token),
      }),
      200,
    );
    expect(
      stored.grade.checks.find((check: Check) => check.id === "reached-alice").subject,
    ).toEqual(reached.subject);
  });

  it("returns the same submission for a repeated Idempotency-Key, also when the duplicates race", async () => {
    const { learner } = await classroom(t.app);
    const headers = { "idempotency-key": "attempt-1" };
    const responses = await Promise.all(
      [1, 2, 3].map(() => submit(t.app, learner.token, learner.session.id, {}, headers)),
    );
    const bodies = responses.map((response) => response.json());
    expect(new Set(bodies.map((body) => body.id)).size).toBe(1);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 200, 201]);
    const later = expectStatus(
      await submit(t.app, learner.token, learner.session.id, {}, headers),
      200,
    );
    expect(later).toMatchObject({ id: bodies[0].id, replayed: true });
    expect(later.packets.length).toBe(bodies[0].packets.length);
    const progress = expectStatus(
      await t.app.inject({ url: "/v1/progress", headers: bearer(learner.token) }),
      200,
    );
    expect(
      progress.items.find((item: { exerciseId: string }) => item.exerciseId === ALICE).attempts,
    ).toBe(1);

    const reused = await submit(
      t.app,
      learner.token,
      learner.session.id,
      { code: wrongPort, language: "javascript" },
      headers,
    );
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("lists one's submissions newest first, page by page, without gaps", async () => {
    const { learner } = await classroom(t.app);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(expectStatus(await submit(t.app, learner.token, learner.session.id, {}), 201).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = expectStatus(
        await t.app.inject({ url: `/v1/submissions${query}`, headers: bearer(learner.token) }),
        200,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item: { id: string }) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it("serves the stored trace for replay", async () => {
    const { learner } = await classroom(t.app);
    const result = expectStatus(await submit(t.app, learner.token, learner.session.id, {}), 201);
    const trace = expectStatus(
      await t.app.inject({
        url: `/v1/submissions/${result.id}/trace`,
        headers: bearer(learner.token),
      }),
      200,
    );
    expect(trace.totalPackets).toBe(result.packetCount);
    expect(trace.packets.map((packet: { hex: string }) => packet.hex)).toEqual(
      result.packets.map((packet: { hex: string }) => packet.hex),
    );
  });

  it("downloads the trace as a pcap file Wireshark can open", async () => {
    const { learner } = await classroom(t.app);
    const result = expectStatus(await submit(t.app, learner.token, learner.session.id, {}), 201);
    const response = await t.app.inject({
      url: `/v1/submissions/${result.id}/trace.pcap`,
      headers: bearer(learner.token),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/vnd.tcpdump.pcap");
    const file = readPcap(new Uint8Array(response.rawPayload));
    expect(file.records.map((record) => Buffer.from(record.bytes).toString("hex"))).toEqual(
      result.packets.map((packet: { hex: string }) => packet.hex),
    );
    const started = Date.parse(result.timings.startedAt) * 1000;
    expect(file.records[0]!.timeUs).toBe(started + result.packets[0].sentUs);
  });

  it("keeps at most TRACE_MAX_PACKETS packets of a run", async () => {
    const small = await startTestApp({ env: { TRACE_MAX_PACKETS: "1" } });
    try {
      const { learner } = await classroom(small.app);
      const result = expectStatus(
        await submit(small.app, learner.token, learner.session.id, {}),
        201,
      );
      expect(result.packetCount).toBeGreaterThan(1);
      expect(result.packets).toHaveLength(1);
      expect(result.packetsTruncated).toBe(true);
    } finally {
      await small.close();
    }
  });
});
