/* eslint-disable @typescript-eslint/no-explicit-any -- JWT claims and JSON bodies */
// Grade passback end to end, in each platform's quirk mode: a learner launches from the fake
// platform, passes the Alice exercise in the real sandbox, and the platform receives the score
// exactly once, through the outbox, with a service token obtained by a signed client assertion.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aliceSolution,
  bearer,
  expectStatus,
  OPERATOR_TOKEN,
  startTestApp,
  type TestApp,
} from "../helpers/app.ts";
import {
  ROLE,
  startFakePlatform,
  type FakePlatform,
  type PlatformMode,
} from "../helpers/fake-platform.ts";

const LTI = "https://purl.imsglobal.org/spec/lti/claim/";
const AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
const SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
const LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";

let test: TestApp;
let base: string;
beforeAll(async () => {
  test = await startTestApp({
    env: {
      OUTBOUND_ALLOW_PRIVATE: "127.0.0.0/8",
      OUTBOX_POLL_MS: "50",
      OUTBOX_RETRY_BASE_MS: "20",
      LTI_JWKS_COOLDOWN_MS: "0",
    },
  });
  base = await test.listen();
});
afterAll(async () => test?.close());

async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function launch(platform: FakePlatform, claims: (nonce: string) => Promise<string>) {
  const query = new URLSearchParams({
    iss: platform.issuer,
    login_hint: "hint",
    target_link_uri: `${base}/lti/launch`,
    client_id: platform.clientId,
  });
  const login = await test.app.inject({ url: `/lti/login?${query}` });
  expect(login.statusCode, login.body).toBe(302);
  const auth = platform.authorize(String(login.headers.location));
  const response = await test.app.inject({
    method: "POST",
    url: "/lti/launch",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: String(login.headers["set-cookie"]).split(";")[0]!,
    },
    payload: new URLSearchParams({
      id_token: await claims(auth.nonce),
      state: auth.state,
    }).toString(),
  });
  expect(response.statusCode, response.body).toBe(200);
  return JSON.parse(/id="packetlab-launch">(.*?)<\/script>/.exec(response.body)![1]!);
}

async function submitAs(token: string, code: string) {
  // resume: true answers 201 for a new session, 200 for the latest one.
  const started = await test.app.inject({
    method: "POST",
    url: "/v1/sessions",
    headers: bearer(token),
    payload: { lessonId: "exchanging-messages", resume: true },
  });
  expect(started.statusCode, started.body).toBeLessThan(300);
  const session = started.json();
  return expectStatus(
    await test.app.inject({
      method: "POST",
      url: `/v1/sessions/${session.id}/submissions`,
      headers: bearer(token),
      payload: { exerciseId: "message-to-alice", language: "typescript", code },
    }),
    201,
  );
}

async function pendingScores() {
  return test.db.prisma.outboxMessage.count({ where: { kind: "lti-score", status: "pending" } });
}

describe.each(["canvas", "moodle", "brightspace"] as PlatformMode[])("AGS in %s mode", (mode) => {
  let platform: FakePlatform;
  beforeAll(async () => {
    platform = await startFakePlatform({ mode, toolJwksUrl: `${base}/lti/jwks` });
    expectStatus(
      await test.app.inject({
        method: "POST",
        url: "/v1/lti/registrations",
        headers: bearer(OPERATOR_TOKEN),
        payload: platform.registration(),
      }),
      201,
    );
  });
  afterAll(async () => platform?.close());

  it("a learner passes the Alice exercise and the platform gets the score exactly once", async () => {
    const lineitem = platform.addLineItem(mode === "brightspace" ? 10 : 100);
    const ags = { [AGS]: { scope: [SCORE, LINEITEM], lineitem } };
    const sub = `learner-${mode}`;
    const instructor = `instructor-${mode}`;
    platform.instructors.add(instructor);
    if (mode === "canvas") platform.throttle.push(429, 403); // throttled twice, then accepted
    const learner = await launch(platform, (nonce) =>
      platform.sign(platform.claims({ sub, roles: [ROLE.learner], name: "Ada" }, ags), nonce),
    );
    const teacher = await launch(platform, (nonce) =>
      platform.sign(platform.claims({ sub: instructor, roles: ["Instructor"] }, ags), nonce),
    );
    expect(learner.role).toBe("learner");
    expect(teacher.role).toBe("teacher");
    expect(learner.scoresPassedBack).toBe(true);

    // A first attempt that fails, then the solution: two score changes, two scores.
    const failed = await submitAs(learner.token, "// not yet");
    expect(failed.passed).toBe(false);
    const passed = await submitAs(learner.token, aliceSolution);
    expect(passed.passed).toBe(true);
    await until(
      async () => (await pendingScores()) === 0 && platform.scores.length >= 2,
      "both scores",
    );
    // Passing again changes nothing: no third score.
    await submitAs(learner.token, aliceSolution);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await pendingScores()).toBe(0);

    const mine = platform.scores.filter((score) => score.userId === sub);
    expect(mine).toHaveLength(2);
    const [first, last] = mine as [any, any];
    expect(last.gradingProgress).toBe("FullyGraded");
    expect(last.activityProgress).toBe("Completed");
    expect(last.scoreGiven).toBe(last.scoreMaximum);
    expect(first.scoreGiven).toBeLessThan(last.scoreGiven);
    expect(last.userAgent).toMatch(/^packetlab\//);
    // Timestamps with milliseconds and a zone, increasing, in different whole seconds.
    expect(last.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.floor(Date.parse(last.timestamp) / 1000)).toBeGreaterThan(
      Math.floor(Date.parse(first.timestamp) / 1000),
    );
    // Never for the instructor; one service token for every score (cached).
    expect(platform.scores.filter((score) => score.userId === instructor)).toHaveLength(0);
    expect(platform.grantedTokenScopes.filter((scopes) => scopes.includes(SCORE))).toHaveLength(1);
    expect(
      platform.grantedTokenScopes.every((scopes) =>
        scopes.every((s) => [SCORE, LINEITEM].includes(s)),
      ),
    ).toBe(true);
    const item = await test.db.prisma.ltiLineItem.findUniqueOrThrow({ where: { url: lineitem } });
    const rows = await test.db.prisma.outboxMessage.findMany({ where: { targetId: item.id } });
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.status === "delivered")).toBe(true);
    if (mode === "canvas") {
      const throttledRow = rows.find((row) => row.attempts === 3);
      expect(throttledRow).toBeDefined();
    }
  }, 60_000);

  if (mode === "canvas") {
    it("finds or creates the line item when the launch has only the lineitems URL (Link paging)", async () => {
      platform.addLineItem(100, "other/one");
      platform.addLineItem(100, "other/two");
      platform.addLineItem(100, "other/three");
      const before = platform.lineItems.size;
      const claims = {
        [AGS]: {
          scope: [SCORE, LINEITEM],
          lineitems: `${platform.base}/ags/${platform.contextId}/lineitems`,
        },
        [`${LTI}resource_link`]: { id: "link-2" },
      };
      const first = await launch(platform, (nonce) =>
        platform.sign(platform.claims({ sub: "l2", roles: [ROLE.learner] }, claims), nonce),
      );
      expect(first.scoresPassedBack).toBe(true);
      expect(platform.lineItems.size).toBe(before + 1);
      await launch(platform, (nonce) =>
        platform.sign(platform.claims({ sub: "l3", roles: [ROLE.learner] }, claims), nonce),
      );
      expect(platform.lineItems.size).toBe(before + 1); // found, not made again
    });
  }
});
