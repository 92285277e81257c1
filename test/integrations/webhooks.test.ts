/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies; the assertions check their shape */
// Webhooks end to end: a teacher registers an endpoint, a learner passes the Alice exercise with
// the real sandbox, and a receiver on 127.0.0.1 verifies every delivery's Standard Webhooks
// signature; retries keep the webhook-id; rotation signs with both secrets; URLs that point at
// private addresses are refused unless the configuration allows them.
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAddressPolicy } from "../../src/integrations/address-policy.ts";
import { createOutboundHttp } from "../../src/integrations/outbound-http.ts";
import { verifyWebhook } from "../../src/integrations/standard-webhooks.ts";
import {
  bearer,
  classroom,
  expectStatus,
  OPERATOR_TOKEN,
  startTestApp,
  submit,
  type TestApp,
} from "../helpers/app.ts";

interface Received {
  id: string;
  headers: Record<string, any>;
  body: string;
  json: any;
}

/** A receiver that answers `status()` and keeps what it got. */
async function startReceiver(status: (count: number) => number = () => 204) {
  const received: Received[] = [];
  const server: FastifyInstance = Fastify();
  server.addContentTypeParser("application/json", { parseAs: "string" }, (_r, body, done) =>
    done(null, body),
  );
  server.post("/hook", async (request, reply) => {
    const body = request.body as string;
    received.push({
      id: String(request.headers["webhook-id"]),
      headers: request.headers,
      body,
      json: JSON.parse(body),
    });
    return reply.status(status(received.length)).send();
  });
  await server.listen({ port: 0, host: "127.0.0.1" });
  const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}/hook`;
  return { received, url, close: () => server.close() };
}

async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("webhooks, delivered", () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp({
      env: {
        OUTBOUND_ALLOW_PRIVATE: "127.0.0.0/8",
        OUTBOX_POLL_MS: "50",
        OUTBOX_RETRY_BASE_MS: "20",
      },
    });
  });
  afterAll(async () => test.close());

  it("signs every delivery; the receiver verifies each and gets the grade and the progress", async () => {
    const receiver = await startReceiver();
    try {
      const { teacher, learner } = await classroom(test.app);
      const endpoint = expectStatus(
        await test.app.inject({
          method: "POST",
          url: "/v1/webhooks",
          headers: bearer(teacher.token),
          payload: { url: receiver.url, events: ["submission.graded", "progress.changed"] },
        }),
        201,
      );
      expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(endpoint.scope).toBe("teacher");
      const graded = expectStatus(
        await submit(test.app, learner.token, learner.session.id, {}),
        201,
      );
      expect(graded.passed).toBe(true);

      await until(() => receiver.received.length >= 2, "two deliveries");
      for (const delivery of receiver.received) {
        expect(verifyWebhook(endpoint.secret, delivery.headers, delivery.body)).toEqual({
          ok: true,
          id: delivery.id,
        });
        // A tampered body or another secret fails.
        expect(verifyWebhook(endpoint.secret, delivery.headers, delivery.body + " ").ok).toBe(
          false,
        );
      }
      const byType = Object.fromEntries(receiver.received.map((d) => [d.json.type, d.json]));
      expect(byType["submission.graded"].data).toMatchObject({
        submissionId: graded.id,
        learnerId: learner.learnerId,
        exerciseId: "message-to-alice",
        passed: true,
        score: 100,
      });
      expect(byType["progress.changed"].data).toMatchObject({ bestScore: 100, passed: true });

      const log = await until(async () => {
        const body = expectStatus(
          await test.app.inject({
            url: `/v1/webhooks/${endpoint.id}/deliveries`,
            headers: bearer(teacher.token),
          }),
          200,
        );
        return body.items.every((item: any) => item.status === "delivered") ? body : undefined;
      }, "delivered log");
      expect(log.items).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });

  it("retries a failed delivery under the same webhook-id, and rotation signs with both secrets", async () => {
    const receiver = await startReceiver((count) => (count <= 2 ? 503 : 200));
    try {
      const { teacher, learner } = await classroom(test.app);
      const endpoint = expectStatus(
        await test.app.inject({
          method: "POST",
          url: "/v1/webhooks",
          headers: bearer(teacher.token),
          payload: { url: receiver.url, events: ["submission.graded"] },
        }),
        201,
      );
      const rotated = expectStatus(
        await test.app.inject({
          method: "POST",
          url: `/v1/webhooks/${endpoint.id}/rotate-secret`,
          headers: bearer(teacher.token),
        }),
        200,
      );
      expectStatus(
        await submit(test.app, learner.token, learner.session.id, { code: "// nothing" }),
        201,
      );
      await until(() => receiver.received.length >= 3, "three attempts");
      const ids = new Set(receiver.received.map((delivery) => delivery.id));
      expect(ids.size).toBe(1);
      for (const delivery of receiver.received) {
        expect(delivery.headers["webhook-signature"].split(" ")).toHaveLength(2);
        expect(verifyWebhook(rotated.secret, delivery.headers, delivery.body).ok).toBe(true);
        expect(verifyWebhook(endpoint.secret, delivery.headers, delivery.body).ok).toBe(true);
      }
      const log = await until(async () => {
        const response = await test.app.inject({
          url: `/v1/webhooks/${endpoint.id}/deliveries`,
          headers: bearer(teacher.token),
        });
        const body = response.json();
        return body.items[0]?.status === "delivered" ? body : undefined;
      }, "delivered");
      expect(log.items[0]).toMatchObject({ attempts: 3, lastStatus: 200 });
    } finally {
      await receiver.close();
    }
  });

  it("learner.joined: written with the join, signed and delivered to the class's teacher", async () => {
    const receiver = await startReceiver();
    try {
      const { teacher, klass } = await classroom(test.app);
      const endpoint = expectStatus(
        await test.app.inject({
          method: "POST",
          url: "/v1/webhooks",
          headers: bearer(teacher.token),
          payload: { url: receiver.url, events: ["learner.joined"] },
        }),
        201,
      );
      const joined = expectStatus(
        await test.app.inject({
          method: "POST",
          url: "/v1/classes/join",
          payload: { joinCode: klass.joinCode, displayName: "Grace" },
        }),
        201,
      );
      await until(() => receiver.received.length >= 1, "learner.joined");
      const [delivery] = receiver.received;
      expect(verifyWebhook(endpoint.secret, delivery!.headers, delivery!.body).ok).toBe(true);
      expect(delivery!.json).toMatchObject({
        type: "learner.joined",
        data: { learnerId: joined.learnerId, classId: klass.id, displayName: "Grace" },
      });
    } finally {
      await receiver.close();
    }
  });

  it("keeps each owner to their own endpoints", async () => {
    const { teacher } = await classroom(test.app);
    const other = await classroom(test.app);
    const created = expectStatus(
      await test.app.inject({
        method: "POST",
        url: "/v1/webhooks",
        headers: bearer(teacher.token),
        payload: { url: "http://127.0.0.1:9/hook", events: ["progress.changed"] },
      }),
      201,
    );
    for (const token of [other.teacher.token, OPERATOR_TOKEN]) {
      const response = await test.app.inject({
        url: `/v1/webhooks/${created.id}`,
        headers: bearer(token),
      });
      expect(response.statusCode).toBe(404);
    }
    const learnerTry = await test.app.inject({
      url: "/v1/webhooks",
      headers: bearer(other.learner.token),
    });
    expect(learnerTry.statusCode).toBe(403);
  });
});

describe("webhook URLs and SSRF", () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp({ grader: { gradeSubmission: async () => ({}) as never } });
  });
  afterAll(async () => test.close());

  it("documents the events: callbacks of createWebhook and x-webhooks, with the signed headers", async () => {
    const doc = (await test.app.inject({ url: "/docs/json" })).json();
    const callbacks = doc.paths["/v1/webhooks"].post.callbacks;
    expect(Object.keys(callbacks)).toEqual([
      "submission.graded",
      "progress.changed",
      "learner.joined",
    ]);
    expect(
      callbacks["submission.graded"]["{$request.body#/url}"].post.requestBody.content[
        "application/json"
      ].schema.$ref,
    ).toBe("#/components/schemas/SubmissionGradedEvent");
    const documented = doc["x-webhooks"]["progress.changed"].post;
    expect(documented.parameters.map((p: any) => p.name)).toEqual([
      "webhook-id",
      "webhook-timestamp",
      "webhook-signature",
    ]);
    expect(doc.components.schemas.ProgressChangedEvent).toBeDefined();
  });

  it.each([
    "http://127.0.0.1:8080/hook",
    "http://localhost/hook",
    "http://10.1.2.3/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.1/hook",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[fd00::1]/hook",
    "http://0.0.0.0/hook",
    "ftp://example.org/hook",
    "http://user:pw@example.org/hook",
    "not a url at all",
  ])("refuses %s with 400 URL_NOT_ALLOWED", async (url) => {
    const response = await test.app.inject({
      method: "POST",
      url: "/v1/webhooks",
      headers: bearer(OPERATOR_TOKEN),
      payload: { url, events: ["submission.graded"] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("URL_NOT_ALLOWED");
  });

  it("refuses at connect time too: a hostname resolving to loopback is never connected to", async () => {
    const receiver = await startReceiver();
    try {
      // A public-looking name whose DNS answer is loopback (or turns to it after a check).
      const resolve = ((_host: string, _options: unknown, callback: any) =>
        callback(null, [{ address: "127.0.0.1", family: 4 }])) as never;
      const http = createOutboundHttp({
        policy: createAddressPolicy(false),
        timeoutMs: 2000,
        resolve,
      });
      const port = new URL(receiver.url).port;
      await expect(
        http(`http://hooks.example.org:${port}/hook`, { method: "POST", body: "{}" }),
      ).rejects.toThrow(/private, loopback or reserved/);
      expect(receiver.received).toHaveLength(0);
      // With the range allowed, the same request goes through.
      const allowed = createOutboundHttp({
        policy: createAddressPolicy(["127.0.0.0/8"]),
        timeoutMs: 2000,
        resolve,
      });
      const response = await allowed(`http://hooks.example.org:${port}/hook`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(response.status).toBe(204);
    } finally {
      await receiver.close();
    }
  });
});
