// Three `packetlab serve` processes on one PostgreSQL database, as docker-compose.scale.yml runs
// them behind nginx (TRUST_PROXY=1, the client's address in X-Forwarded-For): one limit for all
// three (N allowed in total, the next refused by whichever replica it reaches), and a token
// revoked, a learner removed or merged on one replica is seen by the next request on the
// others. Every request waits for the one before it: nothing depends on timing.
// PostgreSQL only (TEST_DATABASE_URL): the embedded database is one process's.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, testDatabaseUrl } from "../helpers/database.ts";
import { startService, type Cleanup, type ServiceProcess } from "../helpers/service-process.ts";

const OPERATOR = "operator-token-for-replica-tests-01";
const solution = readFileSync(
  new URL("../../lessons/exchanging-messages/05-message-to-alice/solution.ts", import.meta.url),
  "utf8",
);
const SUBMISSIONS = 3;
const JOINS = 4;
const FAILURES = 2;

const cleanups: Cleanup[] = [];
let replicas: ServiceProcess[] = [];
let teacher: { token: string };
let klass: { id: string; joinCode: string };
let nextAddress = 0;

/** A client address of its own (nginx's X-Forwarded-For), so each test counts from zero. */
const newAddress = () => `203.0.113.${++nextAddress}`;

const join = (replica: ServiceProcess, address: string, joinCode = klass.joinCode) =>
  replica.request("POST", "/v1/classes/join", {
    headers: { "x-forwarded-for": address },
    body: { joinCode, displayName: "Ada" },
  });

async function newLearner(): Promise<{ token: string; learnerId: string }> {
  const joined = await join(replicas[0]!, newAddress());
  expect(joined.status).toBe(201);
  return joined.body;
}

const me = async (replica: ServiceProcess, token: string) =>
  replica.request("GET", "/v1/me", { token });

describe.skipIf(!testDatabaseUrl)("three replicas on one database", () => {
  beforeAll(async () => {
    const scratch = await createScratchDatabase();
    cleanups.push(() => scratch.drop());
    const env = {
      DATABASE_URL: scratch.url!,
      TRUST_PROXY: "1",
      OUTBOX_RELAY: "off",
      SUBMISSION_RATE_LIMIT: String(SUBMISSIONS),
      JOIN_LIMIT_PER_ADDRESS: String(JOINS),
      JOIN_FAILURE_LIMIT: String(FAILURES),
    };
    // The first applies the migrations; the others find nothing left to do.
    replicas = [await startService(env, cleanups, OPERATOR)];
    replicas.push(...(await Promise.all([1, 2].map(() => startService(env, cleanups, OPERATOR)))));
    teacher = await replicas[0]!.call("POST", "/v1/teachers", OPERATOR, { name: "T" });
    klass = await replicas[1]!.call("POST", "/v1/classes", teacher.token, { name: "C" });
  }, 240_000);

  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("allow SUBMISSION_RATE_LIMIT graded submissions a minute in all, then each refuses the next", async () => {
    const learner = await newLearner();
    const session = await replicas[0]!.call("POST", "/v1/sessions", learner.token, {
      lessonId: "exchanging-messages",
    });
    const submit = (replica: ServiceProcess) =>
      replica.request("POST", `/v1/sessions/${session.id}/submissions`, {
        token: learner.token,
        body: { exerciseId: "message-to-alice", language: "typescript", code: solution },
      });
    for (let i = 0; i < SUBMISSIONS; i++) {
      const graded = await submit(replicas[i % 3]!);
      expect(graded.status, JSON.stringify(graded.body)).toBe(201);
      expect(graded.body.passed).toBe(true);
    }
    for (const replica of replicas) {
      const refused = await submit(replica);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe("RATE_LIMITED");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    }
  }, 180_000);

  it("allow JOIN_LIMIT_PER_ADDRESS joins an hour from one address in all", async () => {
    const address = newAddress();
    for (let i = 0; i < JOINS; i++)
      expect((await join(replicas[i % 3]!, address)).status).toBe(201);
    for (const replica of replicas) {
      const refused = await join(replica, address);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe("TOO_MANY_JOINS");
    }
    // Another address has its own allowance on every replica.
    expect((await join(replicas[2]!, newAddress())).status).toBe(201);
  });

  it("count an address's unknown codes together: past JOIN_FAILURE_LIMIT each refuses it", async () => {
    const address = newAddress();
    for (let i = 0; i < FAILURES; i++) {
      // "0" is not in the alphabet of codes: no code starts like this (a wide miss).
      const unknown = await join(replicas[i % 3]!, address, `0000000${i}`);
      expect(unknown.body.error.code).toBe("CLASS_NOT_FOUND");
    }
    for (const replica of replicas) {
      // Even the right code: this address is guessing.
      const refused = await join(replica, address);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe("JOIN_RATE_LIMITED");
    }
  });

  it("refuse a token revoked on another replica at the next request, though each had it cached", async () => {
    const learner = await newLearner();
    for (const replica of replicas) expect((await me(replica, learner.token)).status).toBe(200);
    const revoked = await replicas[0]!.request("DELETE", "/v1/tokens/current", {
      token: learner.token,
    });
    expect(revoked.status).toBe(204);
    for (const replica of [replicas[1]!, replicas[2]!, replicas[0]!]) {
      const refused = await me(replica, learner.token);
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe("UNAUTHENTICATED");
    }
  });

  it("refuse the token of a learner removed on another replica, and keep the others'", async () => {
    const [removed, kept] = [await newLearner(), await newLearner()];
    for (const replica of replicas) {
      expect((await me(replica, removed.token)).status).toBe(200);
      expect((await me(replica, kept.token)).status).toBe(200);
    }
    const gone = await replicas[1]!.request(
      "DELETE",
      `/v1/classes/${klass.id}/learners/${removed.learnerId}`,
      { token: teacher.token },
    );
    expect(gone.status).toBe(204);
    for (const replica of [replicas[0]!, replicas[2]!, replicas[1]!]) {
      // GET /v1/progress reads no learner row: only the token check can refuse it.
      const refused = await replica.request("GET", "/v1/progress", { token: removed.token });
      expect(refused.status).toBe(401);
      expect((await replica.request("GET", "/v1/progress", { token: kept.token })).status).toBe(
        200,
      );
    }
  });

  it("make a merged learner's token stand for the learner merged into, on every replica at once", async () => {
    const [into, from] = [await newLearner(), await newLearner()];
    for (const replica of replicas) {
      expect((await me(replica, from.token)).body.learnerId).toBe(from.learnerId);
    }
    await replicas[2]!.call(
      "POST",
      `/v1/classes/${klass.id}/learners/${into.learnerId}/merge`,
      teacher.token,
      { fromLearnerId: from.learnerId },
    );
    for (const replica of replicas) {
      expect((await me(replica, from.token)).body.learnerId).toBe(into.learnerId);
    }
  });
});
