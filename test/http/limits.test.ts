// Limits that stop one client from taking more than its share: submissions per learner, whatever
// the channel; failed class joins per client address, so join codes cannot be brute-forced.
import { describe, expect, it } from "vitest";
import type { Grader } from "../../src/grading/types.ts";
import {
  ALICE,
  aliceSolution,
  bearer,
  classroom,
  expectStatus,
  startTestApp,
  submit,
} from "../helpers/app.ts";
import { gradedRun } from "../helpers/graded-run.ts";
import { openStream } from "../helpers/ws-client.ts";

const instantGrader: Pick<Grader, "gradeSubmission"> = {
  gradeSubmission: async (request) =>
    gradedRun({ lessonId: request.lessonId, exerciseId: request.exerciseId }),
};

describe("SUBMISSION_RATE_LIMIT", () => {
  it("is one allowance per learner across HTTP and ticket- or token-opened WebSockets", async () => {
    const t = await startTestApp({ grader: instantGrader, env: { SUBMISSION_RATE_LIMIT: "3" } });
    try {
      const { learner } = await classroom(t.app);
      const base = await t.listen();
      expectStatus(await submit(t.app, learner.token, learner.session.id, {}), 201);

      const { ticket } = expectStatus(
        await t.app.inject({
          method: "POST",
          url: "/v1/ws-tickets",
          headers: bearer(learner.token),
        }),
        201,
      );
      const streamUrl = `${base.replace("http", "ws")}/v1/sessions/${learner.session.id}/stream`;
      const byTicket = await openStream(`${streamUrl}?ticket=${ticket}`);
      const byToken = await openStream(streamUrl);
      byToken.send({ type: "auth", token: learner.token });
      await byTicket.next((message) => message.type === "ready");
      await byToken.next((message) => message.type === "ready");
      const run = (client: typeof byTicket, runId: string) => {
        client.send({
          type: "run",
          exerciseId: ALICE,
          code: aliceSolution,
          language: "typescript",
          runId,
        });
        return client.next(
          (message) =>
            message.runId === runId &&
            (message.type === "run-finished" || message.type === "error"),
        );
      };
      expect((await run(byTicket, "a")).type).toBe("run-finished");
      expect((await run(byToken, "b")).type).toBe("run-finished");
      // Three used, on three channels: every channel is now refused.
      expect(await run(byTicket, "c")).toMatchObject({
        type: "error",
        error: { code: "RATE_LIMITED" },
      });
      expect(await run(byToken, "d")).toMatchObject({
        type: "error",
        error: { code: "RATE_LIMITED" },
      });
      const refused = await submit(t.app, learner.token, learner.session.id, {});
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe("RATE_LIMITED");

      // Another learner has an allowance of their own.
      const { learner: other } = await classroom(t.app, "Grace");
      expectStatus(await submit(t.app, other.token, other.session.id, {}), 201);
      byTicket.socket.close();
      byToken.socket.close();
    } finally {
      await t.close();
    }
  });
});

describe("JOIN_FAILURE_LIMIT", () => {
  it("answers 429 with Retry-After to an address past its failed joins, even for a right code", async () => {
    const t = await startTestApp({ grader: instantGrader, env: { JOIN_FAILURE_LIMIT: "3" } });
    try {
      const { klass } = await classroom(t.app);
      const join = (joinCode: string, remoteAddress: string) =>
        t.app.inject({
          method: "POST",
          url: "/v1/classes/join",
          remoteAddress,
          payload: { joinCode, displayName: "Mallory" },
        });
      const guesses: number[] = [];
      for (const guess of ["AAAAAAAAAA", "BBBBBBBBBB", "CCCCCCCCCC", "DDDDDDDDDD"])
        guesses.push((await join(guess, "203.0.113.7")).statusCode);
      expect(guesses).toEqual([404, 404, 404, 429]);

      const blocked = await join(klass.joinCode, "203.0.113.7");
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().error.code).toBe("JOIN_RATE_LIMITED");
      expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);

      // Another address is not held back by the first one's failures.
      expectStatus(await join(klass.joinCode, "198.51.100.2"), 201);
    } finally {
      await t.close();
    }
  });

  it.each(["10.0.0.0/8", "1"])(
    "behind a trusted proxy (TRUST_PROXY=%s), counts each client by X-Forwarded-For, not the proxy's address",
    async (trustProxy) => {
      const t = await startTestApp({
        grader: instantGrader,
        env: { JOIN_FAILURE_LIMIT: "1", TRUST_PROXY: trustProxy },
      });
      try {
        const { klass } = await classroom(t.app);
        const join = (joinCode: string, client: string, proxy = "10.1.2.3") =>
          t.app.inject({
            method: "POST",
            url: "/v1/classes/join",
            remoteAddress: proxy,
            headers: { "x-forwarded-for": client },
            payload: { joinCode, displayName: "Someone" },
          });
        expect((await join("AAAAAAAAAA", "203.0.113.7")).statusCode).toBe(404);
        expect((await join("BBBBBBBBBB", "203.0.113.7")).statusCode).toBe(429);
        // Another learner behind the same balancer is not held back by the first one's guesses.
        expectStatus(await join(klass.joinCode, "198.51.100.2"), 201);
        // An untrusted peer cannot pick its own address with the header. (A hop count trusts
        // whoever connects, as the one balancer in front is the only peer that can.)
        if (trustProxy === "1") return;
        expect((await join("CCCCCCCCCC", "192.0.2.1", "203.0.113.99")).statusCode).toBe(404);
        expect((await join(klass.joinCode, "192.0.2.2", "203.0.113.99")).statusCode).toBe(429);
      } finally {
        await t.close();
      }
    },
  );

  it("does not count successful joins", async () => {
    const t = await startTestApp({ grader: instantGrader, env: { JOIN_FAILURE_LIMIT: "1" } });
    try {
      const { klass } = await classroom(t.app);
      for (let i = 0; i < 3; i++) {
        expectStatus(
          await t.app.inject({
            method: "POST",
            url: "/v1/classes/join",
            payload: { joinCode: klass.joinCode, displayName: `Learner ${i}` },
          }),
          201,
        );
      }
    } finally {
      await t.close();
    }
  });

  it("protects join codes of ten characters from a 31-letter alphabet (49.5 bits)", async () => {
    const t = await startTestApp({ grader: instantGrader });
    try {
      const codes = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const { klass } = await classroom(t.app);
        expect(klass.joinCode).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{10}$/);
        codes.add(klass.joinCode);
      }
      expect(codes.size).toBe(5);
    } finally {
      await t.close();
    }
  });
});
