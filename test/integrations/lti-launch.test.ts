/* eslint-disable @typescript-eslint/no-explicit-any -- JWT claims and JSON bodies */
// LTI 1.3 launches against the fake platform, mirroring the 1EdTech certification cases: every
// invalid launch is refused (401 LTI_LAUNCH_REFUSED) before anything is stored, and the valid
// ones (roles × PII variants, AGS, NRPS, Deep Linking) open packetlab as the right account.
import { SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  expectStatus,
  OPERATOR_TOKEN,
  startTestApp,
  type TestApp,
} from "../helpers/app.ts";
import {
  publicKeyAsSecret,
  ROLE,
  startFakePlatform,
  type FakePlatform,
} from "../helpers/fake-platform.ts";

const LTI = "https://purl.imsglobal.org/spec/lti/claim/";
let test: TestApp;
let platform: FakePlatform;
let registrationId: string;

beforeAll(async () => {
  test = await startTestApp({
    grader: { gradeSubmission: async () => ({}) as never },
    env: { OUTBOUND_ALLOW_PRIVATE: "127.0.0.0/8", LTI_JWKS_COOLDOWN_MS: "0" },
  });
  const base = await test.listen();
  platform = await startFakePlatform({ mode: "plain", toolJwksUrl: `${base}/lti/jwks` });
  registrationId = expectStatus(
    await test.app.inject({
      method: "POST",
      url: "/v1/lti/registrations",
      headers: bearer(OPERATOR_TOKEN),
      payload: platform.registration(),
    }),
    201,
  ).id;
});
afterAll(async () => {
  await platform?.close();
  await test?.close();
});

/** Login at the tool, the platform's authorisation, then the form post of `idToken(nonce)`. */
async function launch(
  idToken: (nonce: string, state: string) => Promise<string> | string,
  options: {
    cookie?: boolean;
    clientId?: string;
    issuer?: string;
    afterLogin?: (state: string) => Promise<void>;
  } = {},
) {
  const query = new URLSearchParams({
    iss: options.issuer ?? platform.issuer,
    login_hint: "user-hint",
    target_link_uri: "http://tool.test/lti/launch",
    client_id: options.clientId ?? platform.clientId,
  });
  const login = await test.app.inject({ url: `/lti/login?${query}` });
  expect(login.statusCode, login.body).toBe(302);
  const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
  expect(String(login.headers["set-cookie"])).toMatch(
    /HttpOnly.*Secure.*SameSite=None|SameSite=None/i,
  );
  const auth = platform.authorize(String(login.headers.location));
  await options.afterLogin?.(auth.state);
  return test.app.inject({
    method: "POST",
    url: "/lti/launch",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(options.cookie === false ? {} : { cookie }),
    },
    payload: new URLSearchParams({
      id_token: await idToken(auth.nonce, auth.state),
      state: auth.state,
    }).toString(),
  });
}

const learner = { sub: "learner-1", roles: [ROLE.learner], name: "Ada Lovelace" };
const valid =
  (extra: Record<string, unknown> = {}) =>
  (nonce: string) =>
    platform.sign(platform.claims(learner, extra), nonce);

function launched(response: { statusCode: number; body: string }) {
  expect(response.statusCode, response.body).toBe(200);
  const match = /<script type="application\/json" id="packetlab-launch">(.*?)<\/script>/.exec(
    response.body,
  );
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!);
}

function refused(response: { statusCode: number; body: string }, reason?: RegExp) {
  expect(response.statusCode, response.body).toBe(401);
  const body = JSON.parse(response.body);
  expect(body.error.code).toBe("LTI_LAUNCH_REFUSED");
  if (reason) expect(body.error.message).toMatch(reason);
}

describe("invalid launches are refused", () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, (nonce: string) => Promise<string> | string, RegExp][] = [
    ["no kid", (n) => platform.sign(platform.claims(learner), n, { kid: null }), /kid/],
    [
      "an unknown kid",
      (n) => platform.sign(platform.claims(learner), n, { kid: "not-a-key" }),
      /kid/,
    ],
    ["not a JWT", () => "this.is-not-a-jwt", /not a JWT/],
    ["not even three parts", () => "garbage", /not a JWT/],
    ["wrong version", valid({ [`${LTI}version`]: "1.1.0" }), /version/],
    ["missing version", valid({ [`${LTI}version`]: undefined }), /version/],
    ["expired", valid({ iat: now() - 1200, exp: now() - 900 }), /expired|exp/],
    ["iat in the future", valid({ iat: now() + 3600, exp: now() + 4000 }), /iat/],
    ["missing message_type", valid({ [`${LTI}message_type`]: undefined }), /message_type/],
    [
      "an unknown message_type",
      valid({ [`${LTI}message_type`]: "LtiStartProctoring" }),
      /message_type/,
    ],
    ["missing roles", valid({ [`${LTI}roles`]: undefined }), /roles/],
    ["missing deployment_id", valid({ [`${LTI}deployment_id`]: undefined }), /deployment_id/],
    ["an unregistered deployment_id", valid({ [`${LTI}deployment_id`]: "other" }), /deployment_id/],
    [
      "missing resource_link.id",
      valid({ [`${LTI}resource_link`]: { title: "x" } }),
      /resource_link/,
    ],
    ["missing sub", valid({ sub: undefined }), /sub/],
    ["a wrong iss", valid({ iss: "https://evil.example" }), /iss/],
    ["an aud that is not us", valid({ aud: "someone-else" }), /aud/],
    [
      "several aud and no azp",
      (n) => platform.sign(platform.claims(learner, { aud: [platform.clientId, "other"] }), n),
      /azp/,
    ],
    [
      "an azp that is not us",
      (n) =>
        platform.sign(platform.claims(learner, { aud: [platform.clientId, "x"], azp: "x" }), n),
      /azp/,
    ],
    [
      "alg none",
      (n) =>
        new UnsecuredJWT({ ...platform.claims(learner), nonce: n })
          .setIssuedAt()
          .setExpirationTime("5m")
          .encode(),
      /RS256/,
    ],
    [
      "HS256 keyed with the platform's public key",
      (n) =>
        platform.sign(platform.claims(learner), n, {
          alg: "HS256",
          key: publicKeyAsSecret(platform.publicJwk),
        }),
      /RS256/,
    ],
    [
      "a nonce that is not this state's",
      (_n) => platform.sign(platform.claims(learner), "some-other-nonce"),
      /nonce/,
    ],
    [
      "a signature by another key under the right kid",
      async (n) => {
        const { generateKeyPair } = await import("jose");
        const { privateKey } = await generateKeyPair("RS256");
        return platform.sign(platform.claims(learner), n, { key: privateKey });
      },
      /signature/,
    ],
  ];
  it.each(cases)("refuses %s", async (_name, token, reason) => {
    refused(await launch(token), reason);
  });

  it("refuses a launch from a browser without the login's cookie", async () => {
    refused(await launch(valid(), { cookie: false }), /browser/);
  });

  it("refuses a replayed state (and its nonce): single use", async () => {
    let replay: { token: string; state: string } | undefined;
    const first = await launch(async (nonce, state) => {
      const token = await valid()(nonce);
      replay = { token, state };
      return token;
    });
    launched(first);
    const again = await test.app.inject({
      method: "POST",
      url: "/lti/launch",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ id_token: replay!.token, state: replay!.state }).toString(),
    });
    refused(again, /state/);
  });

  it("refuses an expired state", async () => {
    const response = await launch(valid(), {
      afterLogin: async () => {
        await test.db.prisma.ltiLaunchState.updateMany({
          where: { usedAt: null },
          data: { expiresAt: new Date(Date.now() - 1000) },
        });
      },
    });
    refused(response, /expired/);
  });

  it("refuses another launch's id_token (its nonce) with this state", async () => {
    let other: string | undefined;
    await launch(async (nonce) => (other = await valid()(nonce)));
    refused(await launch(() => other!), /nonce/);
  });

  it("refuses logins from unknown platforms and stores nothing for refused launches", async () => {
    const unknown = await test.app.inject({
      url: `/lti/login?${new URLSearchParams({ iss: "https://nobody.example", login_hint: "x", target_link_uri: "http://t/" })}`,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe("LTI_UNKNOWN_PLATFORM");
    const users = await test.db.prisma.ltiUser.count({ where: { sub: "never-stored" } });
    refused(
      await launch((n) =>
        platform.sign(platform.claims({ ...learner, sub: "never-stored" }), n, { kid: null }),
      ),
    );
    expect(await test.db.prisma.ltiUser.count({ where: { sub: "never-stored" } })).toBe(users);
  });
});

describe("valid launches", () => {
  const roles: [string, string[], "learner" | "teacher"][] = [
    ["Learner (URI)", [ROLE.learner], "learner"],
    ["Instructor (URI)", [ROLE.instructor], "teacher"],
    ["Learner (short form)", ["Learner"], "learner"],
    ["Instructor (short form)", ["Instructor"], "teacher"],
    ["institution Student", [ROLE.student], "learner"],
    ["TeachingAssistant sub-role", [ROLE.ta], "teacher"],
    ["Learner and an unknown URI", [ROLE.learner, "http://example.org/roles#Wizard"], "learner"],
  ];
  const pii: [string, Record<string, unknown>][] = [
    ["full name", { name: "Grace Hopper" }],
    ["given and family names only", { given_name: "Grace", family_name: "Hopper" }],
    ["no PII", {}],
  ];
  const matrix = roles.flatMap(([roleName, roleList, expected]) =>
    pii.map(
      ([piiName, claims]) => [`${roleName}, ${piiName}`, roleList, expected, claims] as const,
    ),
  );
  let counter = 0;
  it.each(matrix)("%s", async (_name, roleList, expected, claims) => {
    const sub = `user-${++counter}-${Date.now()}`;
    const response = await launch((nonce) =>
      platform.sign({ ...platform.claims({ sub, roles: roleList }), ...claims }, nonce),
    );
    const result = launched(response);
    expect(result.role).toBe(expected);
    // Opens the web app where it matters: the exercise, or the teacher's class.
    expect(result.open).toBe(
      expected === "learner"
        ? "/#/learn/exchanging-messages/message-to-alice"
        : `/#/teach/${result.classId}`,
    );
    expect(response.body).toContain('localStorage.setItem("packetlab.account"');
    expect(result.lessonId).toBe("exchanging-messages");
    expect(result.exerciseId).toBe("message-to-alice");
    const me = expectStatus(
      await test.app.inject({ url: "/v1/me", headers: bearer(result.token) }),
      200,
    );
    expect(me.role).toBe(expected);
    if ("name" in claims) expect(JSON.stringify(me)).toContain("Grace Hopper");
    if ("given_name" in claims) expect(JSON.stringify(me)).toContain("Grace Hopper");
  });

  it("with an AGS line item: scores will be passed back", async () => {
    const lineitem = platform.addLineItem();
    const result = launched(
      await launch(
        valid({
          "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
            scope: ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
            lineitem,
          },
        }),
      ),
    );
    expect(result.scoresPassedBack).toBe(true);
  });

  it("with NRPS: the class remembers its roster URL", async () => {
    const result = launched(
      await launch(
        valid({
          "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
            context_memberships_url: `${platform.base}/nrps/${platform.contextId}`,
            service_versions: ["2.0"],
          },
        }),
      ),
    );
    const context = await test.db.prisma.ltiContext.findUnique({
      where: { classId: result.classId },
    });
    expect(context?.membershipsUrl).toBe(`${platform.base}/nrps/${platform.contextId}`);
  });

  it("Deep Linking: the picker answers with a signed response the platform accepts, echoing data", async () => {
    const response = await launch((nonce) =>
      platform.sign(
        platform.claims(
          { sub: "teacher-dl", roles: [ROLE.instructor] },
          {
            [`${LTI}message_type`]: "LtiDeepLinkingRequest",
            [`${LTI}resource_link`]: undefined,
            "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings": {
              deep_link_return_url: `${platform.base}/deep-link-return`,
              accept_types: ["ltiResourceLink"],
              accept_presentation_document_targets: ["iframe", "window"],
              data: "opaque-platform-data",
            },
          },
        ),
        nonce,
      ),
    );
    expect(response.statusCode, response.body).toBe(200);
    const context = /name="context" value="([^"]+)"/.exec(response.body)![1]!;
    const selected = await test.app.inject({
      method: "POST",
      url: "/lti/deep-linking/select",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        context,
        lessonId: "exchanging-messages",
        exerciseId: "message-to-alice",
      }).toString(),
    });
    expect(selected.statusCode, selected.body).toBe(200);
    const action = /action="([^"]+)"/.exec(selected.body)![1]!;
    const jwt = /name="JWT" value="([^"]+)"/.exec(selected.body)![1]!;
    expect(action).toBe(`${platform.base}/deep-link-return`);
    // The browser's form post, made here: the platform verifies it with the tool's JWKS.
    const posted = await fetch(action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ JWT: jwt }),
    });
    expect(posted.status).toBe(200);
    const { payload } = platform.deepLinkReturns.at(-1)!;
    expect(payload[`${LTI}message_type`]).toBe("LtiDeepLinkingResponse");
    expect(payload["https://purl.imsglobal.org/spec/lti-dl/claim/data"]).toBe(
      "opaque-platform-data",
    );
    const [item] = payload["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"];
    expect(item).toMatchObject({
      type: "ltiResourceLink",
      custom: { lesson: "exchanging-messages", exercise: "message-to-alice" },
      lineItem: { scoreMaximum: 100 },
    });
  });

  it("NRPS: an instructor syncs the roster, following Link rel=next across pages", async () => {
    const contextId = `roster-course-${Date.now()}`;
    const membershipsUrl = `${platform.base}/nrps/${platform.contextId}`;
    const teacher = launched(
      await launch((nonce) =>
        platform.sign(
          platform.claims(
            { sub: "roster-teacher", roles: [ROLE.instructor] },
            {
              [`${LTI}context`]: { id: contextId, title: "Roster course" },
              "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                context_memberships_url: membershipsUrl,
                service_versions: ["2.0"],
              },
            },
          ),
          nonce,
        ),
      ),
    );
    platform.roster = [
      { user_id: "r-1", name: "Ada", roles: [ROLE.learner], status: "Active" },
      { user_id: "r-2", given_name: "Bo", family_name: "Lin", roles: ["Learner"] },
      { user_id: "roster-teacher", name: "Teach", roles: [ROLE.instructor] },
      { user_id: "r-3", name: "Gone", roles: [ROLE.learner], status: "Inactive" },
      { user_id: "r-4", name: "Cy", roles: [ROLE.student] },
    ];
    const synced = expectStatus(
      await test.app.inject({
        method: "POST",
        url: `/v1/classes/${teacher.classId}/lti-roster`,
        headers: bearer(teacher.token),
      }),
      200,
    );
    expect(synced).toEqual({ members: 5, learnersAdded: 3, pages: 3 });
    const progress = expectStatus(
      await test.app.inject({
        url: `/v1/classes/${teacher.classId}/progress`,
        headers: bearer(teacher.token),
      }),
      200,
    );
    expect(JSON.stringify(progress)).toContain("Bo Lin");
    // Again: nobody new.
    const again = expectStatus(
      await test.app.inject({
        method: "POST",
        url: `/v1/classes/${teacher.classId}/lti-roster`,
        headers: bearer(teacher.token),
      }),
      200,
    );
    expect(again.learnersAdded).toBe(0);
  });

  it("after the platform rotates its keys mid-test, refetches its JWKS on the unknown kid", async () => {
    launched(await launch(valid()));
    await platform.rotateKeys();
    launched(await launch(valid()));
  });

  it("publishes the tool's current and next keys, and rotation keeps the old one published", async () => {
    const before = expectStatus(await test.app.inject({ url: "/lti/jwks" }), 200).keys.map(
      (k: any) => k.kid,
    );
    expect(before).toHaveLength(2);
    expectStatus(
      await test.app.inject({
        method: "POST",
        url: "/v1/lti/keys/rotate",
        headers: bearer(OPERATOR_TOKEN),
      }),
      204,
    );
    // This replica's cache is cleared by the rotation; the JWKS now has previous, current, next.
    const after = expectStatus(await test.app.inject({ url: "/lti/jwks" }), 200).keys.map(
      (k: any) => k.kid,
    );
    expect(after).toHaveLength(3);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(JSON.stringify(after)).not.toContain('"d"');
  });

  it("Canvas: one issuer for several registrations is told apart by client_id", async () => {
    const second = {
      ...platform.registration(),
      clientId: `${platform.clientId}-other`,
      name: "Other tenant",
    };
    expectStatus(
      await test.app.inject({
        method: "POST",
        url: "/v1/lti/registrations",
        headers: bearer(OPERATOR_TOKEN),
        payload: second,
      }),
      201,
    );
    const ambiguous = await test.app.inject({
      url: `/lti/login?${new URLSearchParams({ iss: platform.issuer, login_hint: "x", target_link_uri: "http://t/" })}`,
    });
    expect(ambiguous.statusCode).toBe(400);
    launched(await launch(valid()));
    const list = expectStatus(
      await test.app.inject({ url: "/v1/lti/registrations", headers: bearer(OPERATOR_TOKEN) }),
      200,
    );
    expect(list.items.map((r: any) => r.id)).toContain(registrationId);
  });
});

// Keeps the type import used when the file is read alone.
void SignJWT;
