/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies; the assertions check their shape */
// An asynchronous submission outlives the process that accepted it. The real service, as its
// own process, accepts a program that never ends and is killed while grading it (kill -9, or
// SIGTERM's graceful shutdown); started again on the same database it grades the submission
// under the id of the 202, once: one stored submission, one attempt in the progress, one
// submission.graded delivery. Runs on PGlite (a data directory) or on PostgreSQL with
// TEST_DATABASE_URL.
import { afterEach, describe, expect, it } from "vitest";
import {
  serviceStorage,
  startService,
  type Cleanup,
  type ServiceProcess,
} from "../helpers/service-process.ts";

const OPERATOR = "operator-token-for-async-crash-tests";
const FOREVER = "while (true) {}\n";

const cleanups: Cleanup[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Teacher, webhook endpoint (never called: the relay is off), class, learner, session. */
async function cast(service: ServiceProcess) {
  const teacher = await service.call("POST", "/v1/teachers", OPERATOR, { name: "T" });
  const endpoint = await service.call("POST", "/v1/webhooks", teacher.token, {
    url: "http://127.0.0.1:9/hook",
    events: ["submission.graded"],
  });
  const klass = await service.call("POST", "/v1/classes", teacher.token, { name: "C" });
  const learner = await service.call("POST", "/v1/classes/join", undefined, {
    joinCode: klass.joinCode,
    displayName: "Ada",
  });
  const session = await service.call("POST", "/v1/sessions", learner.token, {
    lessonId: "exchanging-messages",
  });
  return { teacher, endpoint, learner, session };
}

/** Accepts the never-ending program asynchronously and waits until its run is in a sandbox. */
async function acceptForever(service: ServiceProcess, token: string, sessionId: string) {
  const accepted = await service.request("POST", `/v1/sessions/${sessionId}/submissions`, {
    token,
    headers: { prefer: "respond-async" },
    body: { exerciseId: "message-to-alice", language: "javascript", code: FOREVER },
  });
  expect(accepted.status).toBe(202);
  const id: string = accepted.body.id;
  await until(async () => {
    const polled = await service.request("GET", `/v1/submissions/${id}`, { token });
    expect(polled.status).toBe(202);
    return polled.body.status === "running" ? true : undefined;
  }, "the run to start");
  return id;
}

async function expectGradedOnce(
  service: ServiceProcess,
  people: Awaited<ReturnType<typeof cast>>,
  id: string,
) {
  const token = people.learner.token;
  const graded = await until(async () => {
    const polled = await service.request("GET", `/v1/submissions/${id}`, { token });
    if (polled.status === 202) return undefined;
    expect(polled.status).toBe(200);
    return polled.body;
  }, "the submission to be graded after the restart");
  expect(graded).toMatchObject({ id, code: FOREVER, outcome: "time-limit", passed: false });
  const listed = await service.call("GET", "/v1/submissions", token);
  expect(listed.items.map((item: any) => item.id)).toEqual([id]);
  const progress = await service.call("GET", "/v1/progress", token);
  expect(progress.items.find((item: any) => item.exerciseId === "message-to-alice").attempts).toBe(
    1,
  );
  const log = await service.call(
    "GET",
    `/v1/webhooks/${people.endpoint.id}/deliveries`,
    people.teacher.token,
  );
  expect(
    log.items.filter(
      (item: any) =>
        item.eventType === "submission.graded" && item.payload.data.submissionId === id,
    ),
  ).toHaveLength(1);
}

// The first process would let the program run for a minute; the second stops it after 0.3 s.
const patient = { RUN_CPU_MS: "60000", RUN_WALL_MS: "120000", SYNC_WAIT_MS: "1000" };
const strict = { RUN_CPU_MS: "300", RUN_WALL_MS: "5000" };
const common = {
  OUTBOX_RELAY: "off",
  OUTBOUND_ALLOW_PRIVATE: "127.0.0.0/8",
  ASYNC_LEASE_MS: "1500",
};

describe("an asynchronous submission whose process dies", () => {
  it("killed with -9 mid-run: graded once by the next process when the lease runs out", async () => {
    const env = { ...(await serviceStorage(cleanups)), ...common };
    const first = await startService({ ...env, ...patient }, cleanups, OPERATOR);
    const people = await cast(first);
    const id = await acceptForever(first, people.learner.token, people.session.id);
    await first.kill9();

    const second = await startService({ ...env, ...strict }, cleanups, OPERATOR);
    await expectGradedOnce(second, people, id);
  }, 300_000);

  it("stopped with SIGTERM mid-run: handed back at shutdown and graded once after the restart", async () => {
    const env = { ...(await serviceStorage(cleanups)), ...common, ASYNC_LEASE_MS: "600000" };
    const first = await startService({ ...env, ...patient }, cleanups, OPERATOR);
    const people = await cast(first);
    const id = await acceptForever(first, people.learner.token, people.session.id);
    expect(await first.terminate()).toBe(0);

    // A ten-minute lease: only the hand-back lets the next process take it at once.
    const second = await startService({ ...env, ...strict }, cleanups, OPERATOR);
    await expectGradedOnce(second, people, id);
  }, 300_000);
});
