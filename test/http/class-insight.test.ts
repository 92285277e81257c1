/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies in tests; the assertions check their shape */
// Who is stuck and why: a class whose learners submit the lesson's own wrong programs, graded
// for real, then read through the matrix, the statistics and the CSV.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aliceSolution,
  bearer,
  classroom,
  expectStatus,
  joinAndStart,
  startTestApp,
  submit,
  type TestApp,
} from "../helpers/app.ts";

const wrong = (name: string) =>
  readFileSync(
    new URL(
      `../../lessons/exchanging-messages/05-message-to-alice/wrong/${name}.js`,
      import.meta.url,
    ),
    "utf8",
  );

let t: TestApp;
let cast: Awaited<ReturnType<typeof classroom>>;
let bob: Awaited<ReturnType<typeof joinAndStart>>;
let cy: Awaited<ReturnType<typeof joinAndStart>>;

beforeAll(async () => {
  t = await startTestApp();
  cast = await classroom(t.app, "Ada");
  bob = await joinAndStart(t.app, cast.klass.joinCode, "Bob");
  cy = await joinAndStart(t.app, cast.klass.joinCode, "Cy");
  const send = async (who: { token: string; session: { id: string } }, code: string) =>
    expectStatus(
      await submit(t.app, who.token, who.session.id, { code, language: "javascript" }),
      201,
    );
  // Ada sends the same wrong-port program three times; Bob once; Cy forgets to ask, then passes.
  for (let i = 0; i < 3; i++) await send(cast.learner, wrong("wrong-port"));
  await send(bob, wrong("wrong-port"));
  await send(cy, wrong("never-asked"));
  expectStatus(await submit(t.app, cy.token, cy.session.id, { code: aliceSolution }), 201);
});
afterAll(async () => t.close());

const get = async (url: string) =>
  expectStatus(
    await t.app.inject({ method: "GET", url, headers: bearer(cast.teacher.token) }),
    200,
  );

describe("a teacher sees who is stuck and why", () => {
  it("marks each cell with its latest result, first failing check by title and a stuck signal", async () => {
    const matrix = await get(`/v1/classes/${cast.klass.id}/progress`);
    const column = matrix.exercises.findIndex((e: any) => e.exerciseId === "message-to-alice");
    expect(matrix.exercises[column]).toMatchObject({
      lessonTitle: expect.stringContaining("Exchanging Messages"),
      title: expect.any(String),
    });
    const cell = (name: string) =>
      matrix.learners.find((l: any) => l.displayName === name).cells[column];
    const reachedAlice = {
      id: "reached-alice",
      title: "A datagram reached Alice's address on port 1000",
    };
    expect(cell("Ada")).toMatchObject({
      status: "attempted",
      attempts: 3,
      latest: { passed: false, outcome: "ok", firstFailedCheck: reachedAlice },
      stuck: { reason: "repeated-code", message: "Sent the same program 3 times in a row." },
    });
    expect(cell("Ada").secondsSinceLastAttempt).toBeGreaterThanOrEqual(0);
    expect(cell("Bob")).toMatchObject({ attempts: 1, stuck: null });
    expect(cell("Bob").latest.firstFailedCheck).toEqual(reachedAlice);
    expect(cell("Cy")).toMatchObject({
      status: "passed",
      attempts: 2,
      latest: { passed: true, score: 100, firstFailedCheck: null },
      stuck: null,
    });
    const untouched = matrix.learners[0].cells[column === 0 ? 1 : 0];
    expect(untouched).toMatchObject({ status: "not-started", latest: null, stuck: null });
  });

  it("gives per exercise the pass rate, attempts to pass, root causes first and wrong answers by wire", async () => {
    const stats = await get(`/v1/classes/${cast.klass.id}/stats`);
    const alice = stats.items.find((item: any) => item.exerciseId === "message-to-alice");
    expect(alice).toMatchObject({
      learners: 3,
      learnersAttempted: 3,
      learnersPassed: 1,
      learnersStuck: 1,
      attempts: 6,
      medianAttemptsToPass: 2,
      mostFailedCheck: { id: "reached-alice", failures: 2 },
    });
    expect(alice.passRate).toBeCloseTo(1 / 3);
    // message-not-empty fails for the same two learners, but only because nothing reached
    // Alice: the root cause comes first.
    const ids = alice.checks.map((check: any) => check.id);
    expect(ids[0]).toBe("reached-alice");
    expect(ids).toContain("asked-for-alice");
    const downstream = alice.checks.find((check: any) => check.id === "message-not-empty");
    expect(downstream.learnersFailingFirst).toBe(0);
    expect(downstream.learnersFailing).toBeGreaterThanOrEqual(2);
    expect(alice.checks.find((check: any) => check.id === "asked-for-alice")).toMatchObject({
      learnersFailingFirst: 0,
      learnersFailing: 0,
      learnersFailedEver: 1,
    });
    expect(alice.wrongAnswers[0]).toMatchObject({
      learners: 2,
      firstFailedCheck: { id: "reached-alice" },
    });
    expect(alice.wrongAnswers[0].wire).toContain("alice:100");
    expect(alice.wrongAnswers).toHaveLength(1);
  });

  it("puts titles, the first failing check and the stuck reason in the CSV", async () => {
    const csv: string = await get(`/v1/classes/${cast.klass.id}/progress.csv`);
    const ada = csv
      .split("\r\n")
      .find((line) => line.includes(",Ada,") && line.includes("message-to-alice"));
    expect(ada).toContain("reached-alice,A datagram reached Alice's address on port 1000");
    expect(ada).toContain("Sent the same program 3 times in a row.");
  });
});
