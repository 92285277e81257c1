// Joining mints a learner, so joins are bounded per person, not per account: successful joins per
// address and per class, a class its teacher closed, and failed joins counted so that guessing is
// stopped but a classmate's typos behind the same NAT never lock out the right code.
import { describe, expect, it } from "vitest";
import type { Grader } from "../../src/grading/types.ts";
import { bearer, classroom, expectStatus, startTestApp, type TestApp } from "../helpers/app.ts";
import { gradedRun } from "../helpers/graded-run.ts";

const instantGrader: Pick<Grader, "gradeSubmission"> = {
  gradeSubmission: async (request) =>
    gradedRun({ lessonId: request.lessonId, exerciseId: request.exerciseId }),
};

const join = (t: TestApp, joinCode: string, remoteAddress: string, displayName = "Someone") =>
  t.app.inject({
    method: "POST",
    url: "/v1/classes/join",
    remoteAddress,
    payload: { joinCode, displayName },
  });

/** The code with its last character changed: a typo that keeps the first four. */
const typo = (code: string, n: number) =>
  code.slice(0, -2) + "ABCDEFGHJK"[n % 10]! + "MNPQRSTUVW"[Math.floor(n / 10) % 10]!;

async function withApp(env: Record<string, string>, test: (t: TestApp) => Promise<void>) {
  const t = await startTestApp({ grader: instantGrader, env });
  try {
    await test(t);
  } finally {
    await t.close();
  }
}

describe("successful joins", () => {
  it("are limited per client address (429 TOO_MANY_JOINS with Retry-After)", () =>
    withApp({ JOIN_LIMIT_PER_ADDRESS: "3" }, async (t) => {
      const { klass } = await classroom(t.app); // the cast joins from 127.0.0.1
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await join(t, klass.joinCode, "203.0.113.7")).statusCode);
      expect(statuses).toEqual([201, 201, 201, 429]);
      const refused = await join(t, klass.joinCode, "203.0.113.7");
      expect(refused.json().error.code).toBe("TOO_MANY_JOINS");
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      expectStatus(await join(t, klass.joinCode, "198.51.100.2"), 201);
    }));

  it("are limited per class, whatever the addresses", () =>
    withApp({ JOIN_LIMIT_PER_CLASS: "3" }, async (t) => {
      const { teacher, klass } = await classroom(t.app); // one join so far
      expectStatus(await join(t, klass.joinCode, "203.0.113.1"), 201);
      expectStatus(await join(t, klass.joinCode, "203.0.113.2"), 201);
      const refused = await join(t, klass.joinCode, "203.0.113.3");
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe("TOO_MANY_JOINS");
      // Another class of the same teacher has its own allowance.
      const other = expectStatus(
        await t.app.inject({
          method: "POST",
          url: "/v1/classes",
          headers: bearer(teacher.token),
          payload: { name: "Other" },
        }),
        201,
      );
      expectStatus(await join(t, other.joinCode, "203.0.113.3"), 201);
    }));
});

describe("a closed class", () => {
  it("refuses new learners with 403 CLASS_CLOSED until its teacher opens it again", () =>
    withApp({}, async (t) => {
      const { teacher, klass, learner } = await classroom(t.app);
      expect(klass.joinsOpen).toBe(true);
      const patch = (token: string, classId: string, joinsOpen: unknown) =>
        t.app.inject({
          method: "PATCH",
          url: `/v1/classes/${classId}`,
          headers: bearer(token),
          payload: { joinsOpen },
        });
      const closed = expectStatus(await patch(teacher.token, klass.id, false), 200);
      expect(closed).toMatchObject({ id: klass.id, joinCode: klass.joinCode, joinsOpen: false });
      const refused = await join(t, klass.joinCode, "203.0.113.9");
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe("CLASS_CLOSED");
      // Its learners keep working; the teacher sees it closed.
      expectStatus(await t.app.inject({ url: "/v1/me", headers: bearer(learner.token) }), 200);
      const classes = expectStatus(
        await t.app.inject({ url: "/v1/classes", headers: bearer(teacher.token) }),
        200,
      );
      expect(classes.items[0].joinsOpen).toBe(false);

      expect(expectStatus(await patch(teacher.token, klass.id, true), 200).joinsOpen).toBe(true);
      expectStatus(await join(t, klass.joinCode, "203.0.113.9"), 201);

      // Only its teacher may: another teacher gets 404, a learner 403, nonsense 400.
      const { teacher: stranger } = await classroom(t.app, "Grace");
      expect((await patch(stranger.token, klass.id, false)).statusCode).toBe(404);
      expect((await patch(learner.token, klass.id, false)).statusCode).toBe(403);
      expect((await patch(teacher.token, klass.id, "no")).statusCode).toBe(400);
    }));
});

describe("failed joins", () => {
  it("a classmate's typos behind the same address never lock out the right code", () =>
    withApp({ JOIN_FAILURE_LIMIT: "3" }, async (t) => {
      const { klass } = await classroom(t.app);
      const school = "203.0.113.50";
      // Twenty typos of the real code (more than six times JOIN_FAILURE_LIMIT): each a 404.
      for (let n = 0; n < 20; n++) {
        const response = await join(t, typo(klass.joinCode, n), school);
        if (typo(klass.joinCode, n) === klass.joinCode) continue;
        expect(response.statusCode, response.body).toBe(404);
      }
      expectStatus(await join(t, klass.joinCode, school, "Ada"), 201);
    }));

  it("an address guessing widely is refused, even a right code", () =>
    withApp({ JOIN_FAILURE_LIMIT: "3" }, async (t) => {
      const { klass } = await classroom(t.app);
      const guesses: number[] = [];
      for (const guess of ["2222222222", "3333333333", "4444444444", "5555555555"])
        guesses.push((await join(t, guess, "203.0.113.7")).statusCode);
      expect(guesses).toEqual([404, 404, 404, 429]);
      expect((await join(t, klass.joinCode, "203.0.113.7")).json().error.code).toBe(
        "JOIN_RATE_LIMITED",
      );
    }));

  it("an address guessing the rest of one known code is refused past ten times the limit", () =>
    withApp({ JOIN_FAILURE_LIMIT: "1" }, async (t) => {
      const { klass } = await classroom(t.app);
      const statuses: number[] = [];
      for (let n = 0; n < 11; n++) {
        const guess = typo(klass.joinCode, n);
        if (guess === klass.joinCode) continue;
        statuses.push((await join(t, guess, "203.0.113.7")).statusCode);
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
      expect(statuses.at(-1)).toBe(429);
      // That address may still join another class; another address this one.
      expect((await join(t, klass.joinCode, "203.0.113.7")).statusCode).toBe(429);
      expectStatus(await join(t, klass.joinCode, "198.51.100.2"), 201);
    }));
});

describe("failed joins near one code, from many addresses", () => {
  it("are bounded together at thirty times the limit", () =>
    withApp({ JOIN_FAILURE_LIMIT: "1" }, async (t) => {
      const { klass } = await classroom(t.app);
      let n = 0;
      const nextTypo = () => {
        for (;;) {
          const guess = typo(klass.joinCode, n++);
          if (guess !== klass.joinCode) return guess;
        }
      };
      // Three addresses make ten near misses each: all 404, none over its own bound.
      for (const address of ["203.0.113.1", "203.0.113.2", "203.0.113.3"])
        for (let i = 0; i < 10; i++)
          expect((await join(t, nextTypo(), address)).statusCode).toBe(404);
      // The thirty-first, from a fourth address, is past the bound of all addresses together.
      expect((await join(t, nextTypo(), "203.0.113.4")).statusCode).toBe(429);
    }));
});
