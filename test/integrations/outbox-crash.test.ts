/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies; the assertions check their shape */
// kill -9 of the real service process between a grade and its delivery loses nothing and sends
// nothing twice under different ids: the outbox row was committed with the grade, and after a
// restart the relay delivers it. Killed in the middle of a send, the message goes out again
// under the same webhook-id, and a receiver that deduplicates on it processes it once.
// Runs on PGlite (a data directory) or on PostgreSQL with TEST_DATABASE_URL.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { verifyWebhook } from "../../src/integrations/standard-webhooks.ts";
import { createScratchDatabase } from "../helpers/database.ts";
import {
  startService as startServiceProcess,
  type ServiceProcess,
} from "../helpers/service-process.ts";

const root = new URL("../../", import.meta.url).pathname;
const OPERATOR = "operator-token-for-crash-tests-0123";
const solution = readFileSync(
  `${root}lessons/exchanging-messages/05-message-to-alice/solution.ts`,
  "utf8",
);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function storage(): Promise<Record<string, string>> {
  const scratch = await createScratchDatabase();
  cleanups.push(() => scratch.drop());
  if (scratch.url) return { DATABASE_URL: scratch.url };
  const dir = mkdtempSync(join(tmpdir(), "packetlab-crash-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { DATA_DIR: dir };
}

/** The service as a process of its own, as `packetlab serve` runs in production. */
const startService = (env: Record<string, string>) =>
  startServiceProcess(
    { OUTBOUND_ALLOW_PRIVATE: "127.0.0.0/8", OUTBOX_POLL_MS: "100", ...env },
    cleanups,
    OPERATOR,
  );

/** A receiver that deduplicates on webhook-id, as Standard Webhooks asks receivers to. */
async function startReceiver(hold: (count: number) => boolean) {
  const requests: { id: string; valid: boolean }[] = [];
  const processed = new Map<string, any>();
  const server = Fastify();
  let secret = "";
  server.addContentTypeParser("application/json", { parseAs: "string" }, (_r, body, done) =>
    done(null, body),
  );
  server.post("/hook", async (request, reply) => {
    const body = request.body as string;
    const verified = verifyWebhook(secret, request.headers as never, body);
    requests.push({ id: String(request.headers["webhook-id"]), valid: verified.ok });
    if (hold(requests.length)) return new Promise(() => {}); // never answers
    if (verified.ok && !processed.has(verified.id)) processed.set(verified.id, JSON.parse(body));
    return reply.status(204).send();
  });
  await server.listen({ port: 0, host: "127.0.0.1" });
  cleanups.push(() => server.close());
  return {
    url: `http://127.0.0.1:${(server.server.address() as AddressInfo).port}/hook`,
    requests,
    processed,
    useSecret(value: string) {
      secret = value;
    },
  };
}

async function until(probe: () => boolean | Promise<boolean>, what: string) {
  const deadline = Date.now() + 45_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Teacher, class, webhook endpoint, learner, session; then a passing submission. */
async function gradeOne(service: ServiceProcess, hookUrl: string) {
  const teacher = await service.call("POST", "/v1/teachers", OPERATOR, { name: "T" });
  const klass = await service.call("POST", "/v1/classes", teacher.token, { name: "C" });
  const endpoint = await service.call("POST", "/v1/webhooks", teacher.token, {
    url: hookUrl,
    events: ["submission.graded"],
  });
  const learner = await service.call("POST", "/v1/classes/join", undefined, {
    joinCode: klass.joinCode,
    displayName: "Ada",
  });
  const session = await service.call("POST", "/v1/sessions", learner.token, {
    lessonId: "exchanging-messages",
  });
  const submission = await service.call(
    "POST",
    `/v1/sessions/${session.id}/submissions`,
    learner.token,
    { exerciseId: "message-to-alice", language: "typescript", code: solution },
  );
  expect(submission.passed).toBe(true);
  return { teacher, endpoint, submission };
}

describe("kill -9 between grade and delivery", () => {
  it("delivers the graded submission exactly once after a restart", async () => {
    const env = await storage();
    const receiver = await startReceiver(() => false);
    // This replica does not relay: the grade is committed, its delivery not yet sent.
    const first = await startService({ ...env, OUTBOX_RELAY: "off" });
    const { teacher, endpoint, submission } = await gradeOne(first, receiver.url);
    receiver.useSecret(endpoint.secret);
    await first.kill9();
    expect(receiver.requests).toHaveLength(0);

    const second = await startService({ ...env, OUTBOX_RELAY: "on" });
    await until(async () => {
      const log = await second.call("GET", `/v1/webhooks/${endpoint.id}/deliveries`, teacher.token);
      return log.items[0]?.status === "delivered";
    }, "the delivery");
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.valid).toBe(true);
    expect([...receiver.processed.values()].map((event) => event.data.submissionId)).toEqual([
      submission.id,
    ]);
  }, 180_000);

  it("killed mid-send, sends again under the same webhook-id once the lease runs out", async () => {
    const env = await storage();
    const receiver = await startReceiver((count) => count === 1); // the first attempt hangs
    const first = await startService({ ...env, OUTBOX_LEASE_MS: "1500" });
    const { teacher, endpoint, submission } = await gradeOne(first, receiver.url);
    receiver.useSecret(endpoint.secret);
    await until(() => receiver.requests.length === 1, "the first attempt");
    await first.kill9();

    const second = await startService({ ...env, OUTBOX_LEASE_MS: "1500" });
    await until(async () => {
      const log = await second.call("GET", `/v1/webhooks/${endpoint.id}/deliveries`, teacher.token);
      return log.items[0]?.status === "delivered";
    }, "the delivery");
    expect(receiver.requests).toHaveLength(2);
    expect(new Set(receiver.requests.map((request) => request.id)).size).toBe(1);
    expect(receiver.processed.size).toBe(1);
    expect([...receiver.processed.values()][0].data.submissionId).toBe(submission.id);
  }, 180_000);
});
