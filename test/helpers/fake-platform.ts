/* eslint-disable @typescript-eslint/no-explicit-any -- JWT claims and JSON bodies are open-ended */
// An LTI 1.3 platform in the test process: fastify on 127.0.0.1:0 with its own jose keys. It
// serves a rotatable JWKS, answers OIDC authorisation requests with an id_token (which tests can
// spoil in every way certification checks), issues service tokens after verifying the tool's
// client assertion against the tool's real JWKS, keeps AGS line items (at `?type_id=` URLs, with
// Link paging) and scores, a paged NRPS roster, and the Deep Linking return. `mode` replays real
// platforms' quirks: canvas, moodle, brightspace (or plain).
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import formbody from "@fastify/formbody";
import Fastify from "fastify";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
} from "jose";

export type PlatformMode = "canvas" | "moodle" | "brightspace" | "plain";
const LTI = "https://purl.imsglobal.org/spec/lti/claim/";
export const ROLE = {
  learner: "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
  instructor: "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
  student: "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student",
  ta: "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
};
const SCORE_TYPE = "application/vnd.ims.lis.v1.score+json";

async function makeKey() {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = randomUUID();
  return {
    kid,
    privateKey: privateKey as CryptoKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } as JWK,
  };
}

export interface Score {
  lineItem: string;
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  timestamp: string;
  gradingProgress: string;
  activityProgress: string;
  userAgent: string | undefined;
}

export async function startFakePlatform(options: { mode: PlatformMode; toolJwksUrl: string }) {
  const { mode } = options;
  const app = Fastify();
  await app.register(formbody);
  app.addContentTypeParser(
    ["application/vnd.ims.lis.v1.score+json", "application/vnd.ims.lis.v2.lineitem+json"],
    { parseAs: "string" },
    (_request, body, done) => done(null, JSON.parse(body as string)),
  );
  // Known once listening (after the routes are added, at the end).
  let base = "";
  let keys = [await makeKey()];
  const toolKeys = createRemoteJWKSet(new URL(options.toolJwksUrl));

  const platform = {
    mode,
    base,
    // Canvas uses one issuer for every tenant; the others their own address.
    issuer: "",
    clientId: `client-${mode}-${randomUUID().slice(0, 8)}`,
    deploymentId: `deployment-${mode}`,
    contextId: `course-${randomUUID().slice(0, 8)}`,
    scores: [] as Score[],
    scoreRequests: 0,
    tokenRequests: 0,
    grantedTokenScopes: [] as string[][],
    lineItems: new Map<
      string,
      { id: string; scoreMaximum: number; label: string; resourceId?: string }
    >(),
    deepLinkReturns: [] as any[],
    roster: [] as any[],
    rosterPageSize: 2,
    /** Answers to the next score posts (Canvas throttling): status codes, used up in order. */
    throttle: [] as number[],
    /** Users the platform treats as non-students (Canvas: 422). */
    instructors: new Set<string>(),
    async rotateKeys() {
      keys = [await makeKey()];
    },
    get kid() {
      return keys[0]!.kid;
    },
    get privateKey() {
      return keys[0]!.privateKey;
    },
    get publicJwk() {
      return keys[0]!.publicJwk;
    },
    registration() {
      return {
        name: `Fake ${mode}`,
        issuer: platform.issuer,
        clientId: platform.clientId,
        deploymentIds: [platform.deploymentId],
        authLoginUrl: `${base}/auth`,
        tokenUrl: `${base}/token`,
        jwksUrl: `${base}/jwks`,
      };
    },
    /** A line item of the course, at a `?type_id=` URL as Moodle makes them. */
    addLineItem(scoreMaximum = 100, resourceId?: string) {
      const id = `${base}/ags/${platform.contextId}/lineitems/${platform.lineItems.size + 1}/lineitem?type_id=${platform.lineItems.size + 7}`;
      platform.lineItems.set(id, {
        id,
        scoreMaximum,
        label: "packetlab",
        ...(resourceId ? { resourceId } : {}),
      });
      return id;
    },
    /** The id_token claims of a launch, before any test spoils them. */
    claims(
      user: { sub: string; roles: string[]; name?: string },
      extra: Record<string, unknown> = {},
    ) {
      return {
        iss: platform.issuer,
        aud: platform.clientId,
        sub: user.sub,
        ...(user.name ? { name: user.name, given_name: user.name.split(" ")[0] } : {}),
        [`${LTI}message_type`]: "LtiResourceLinkRequest",
        [`${LTI}version`]: "1.3.0",
        [`${LTI}deployment_id`]: platform.deploymentId,
        [`${LTI}target_link_uri`]: "http://tool.test/lti/launch",
        [`${LTI}resource_link`]: { id: "link-1", title: "Alice" },
        [`${LTI}roles`]: user.roles,
        [`${LTI}context`]: { id: platform.contextId, label: "NET101", title: "Networks 101" },
        [`${LTI}custom`]: { lesson: "exchanging-messages", exercise: "message-to-alice" },
        ...extra,
      } as Record<string, any>;
    },
    /** Signs claims as the platform would (iat/exp/nonce added unless given). */
    async sign(
      claims: Record<string, any>,
      nonce: string,
      header: { alg?: string; kid?: string | null; key?: CryptoKey | Uint8Array } = {},
    ) {
      const now = Math.floor(Date.now() / 1000);
      const body: Record<string, any> = { iat: now, exp: now + 300, nonce, ...claims };
      for (const [name, value] of Object.entries(body)) if (value === undefined) delete body[name];
      const protectedHeader: Record<string, unknown> = { alg: header.alg ?? "RS256", typ: "JWT" };
      if (header.kid !== null) protectedHeader.kid = header.kid ?? keys[0]!.kid;
      return new SignJWT(body)
        .setProtectedHeader(protectedHeader as never)
        .sign(header.key ?? keys[0]!.privateKey);
    },
    /**
     * The platform's side of the OIDC authorisation request the tool redirected to: checks its
     * parameters, then answers with what the form post to redirect_uri would carry.
     */
    authorize(location: string) {
      const url = new URL(location);
      const query = Object.fromEntries(url.searchParams);
      const expected = {
        scope: "openid",
        response_type: "id_token",
        response_mode: "form_post",
        prompt: "none",
        client_id: platform.clientId,
      };
      for (const [name, value] of Object.entries(expected))
        if (query[name] !== value) throw new Error(`auth request: ${name}=${query[name]}`);
      if (url.origin + url.pathname !== `${base}/auth`) throw new Error(`auth URL ${location}`);
      if (!query.state || !query.nonce || !query.login_hint || !query.redirect_uri)
        throw new Error("auth request lacks state, nonce, login_hint or redirect_uri");
      return {
        state: query.state,
        nonce: query.nonce,
        redirectUri: query.redirect_uri,
        loginHint: query.login_hint,
      };
    },
    close: () => app.close(),
  };

  app.get("/jwks", async () => ({ keys: keys.map((key) => key.publicJwk) }));

  const seenJti = new Set<string>();
  const tokens = new Map<string, string[]>();
  app.post("/token", async (request, reply) => {
    platform.tokenRequests++;
    if (!String(request.headers["content-type"]).startsWith("application/x-www-form-urlencoded"))
      return reply.status(400).send({ error: "invalid_request" });
    const form = request.body as Record<string, string>;
    if (form.grant_type !== "client_credentials")
      return reply.status(400).send({ error: "unsupported_grant_type" });
    if (form.client_assertion_type !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
      return reply.status(400).send({ error: "invalid_client" });
    try {
      const { payload } = await jwtVerify(form.client_assertion!, toolKeys, {
        issuer: platform.clientId,
        subject: platform.clientId,
        audience: `${base}/token`,
        algorithms: ["RS256"],
      });
      if (!payload.jti || seenJti.has(payload.jti)) throw new Error("jti reused");
      seenJti.add(payload.jti);
    } catch (error) {
      return reply.status(401).send({ error: "invalid_client", error_description: String(error) });
    }
    const scopes = String(form.scope ?? "")
      .split(" ")
      .filter(Boolean);
    platform.grantedTokenScopes.push(scopes);
    const token = randomUUID();
    tokens.set(token, scopes);
    return { access_token: token, token_type: "Bearer", expires_in: 3600, scope: scopes.join(" ") };
  });

  function scopesOf(request: { headers: Record<string, unknown> }) {
    const match = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""));
    return match ? tokens.get(match[1]!) : undefined;
  }

  app.get("/ags/:context/lineitems", async (request, reply) => {
    if (!scopesOf(request)) return reply.status(401).send();
    const query = request.query as { page?: string; resource_id?: string };
    const all = [...platform.lineItems.values()].filter(
      (item) => !query.resource_id || item.resourceId === query.resource_id,
    );
    const page = Number(query.page ?? 0);
    const slice = all.slice(page * 2, page * 2 + 2);
    if ((page + 1) * 2 < all.length) {
      const next = new URL(`${base}${request.url}`);
      next.searchParams.set("page", String(page + 1));
      void reply.header("link", `<${next}>; rel="next"`);
    }
    return slice;
  });

  app.post("/ags/:context/lineitems", async (request, reply) => {
    if (!scopesOf(request)?.includes("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"))
      return reply.status(403).send();
    const body = request.body as any;
    const id = platform.addLineItem(body.scoreMaximum, body.resourceId);
    return reply.status(201).send({ ...platform.lineItems.get(id) });
  });

  const lastTimestamp = new Map<string, string>();
  app.post("/ags/:context/lineitems/:item/lineitem/scores", async (request, reply) => {
    platform.scoreRequests++;
    const userAgent = request.headers["user-agent"];
    // Canvas rejects requests without a User-Agent.
    if (mode === "canvas" && !userAgent) return reply.status(403).send({ errors: "no user agent" });
    if (!scopesOf(request)?.includes("https://purl.imsglobal.org/spec/lti-ags/scope/score"))
      return reply.status(401).send();
    const contentType = String(request.headers["content-type"]);
    if (mode === "moodle" && contentType !== SCORE_TYPE) return reply.status(415).send();
    if (!contentType.startsWith(SCORE_TYPE)) return reply.status(415).send();
    const throttled = platform.throttle.shift();
    if (throttled)
      return reply.status(throttled).header("retry-after", "0").send({ errors: "throttled" });
    const { item } = request.params as { item: string };
    const typeId = (request.query as { type_id?: string }).type_id;
    const lineItem = `${base}/ags/${(request.params as { context: string }).context}/lineitems/${item}/lineitem?type_id=${typeId}`;
    if (!platform.lineItems.has(lineItem)) return reply.status(404).send();
    const score = request.body as any;
    if (typeof score.timestamp !== "string" || !/\.\d{3}(Z|[+-]\d\d:\d\d)$/.test(score.timestamp))
      return reply.status(400).send({ errors: "timestamp needs milliseconds and a zone" });
    if (mode === "canvas" && platform.instructors.has(score.userId))
      return reply.status(422).send({ errors: "user is not a student in this course" });
    const key = `${lineItem} ${score.userId}`;
    const previous = lastTimestamp.get(key);
    if (previous) {
      if (
        mode === "moodle" &&
        Math.floor(Date.parse(score.timestamp) / 1000) <= Math.floor(Date.parse(previous) / 1000)
      )
        return reply.status(409).send({ errors: "timestamp not later than the stored one" });
      if (Date.parse(score.timestamp) < Date.parse(previous))
        return reply.status(400).send({ errors: "score timestamp earlier than the stored one" });
    }
    lastTimestamp.set(key, score.timestamp);
    const maximum = Number(score.scoreMaximum);
    let given = Number(score.scoreGiven);
    // Canvas ignores scoreGiven unless FullyGraded; Brightspace caps at the maximum.
    if (mode === "canvas" && score.gradingProgress !== "FullyGraded") given = NaN;
    if (mode === "brightspace") given = Math.min(given, maximum);
    platform.scores.push({
      lineItem,
      userId: score.userId,
      scoreGiven: given,
      scoreMaximum: maximum,
      timestamp: score.timestamp,
      gradingProgress: score.gradingProgress,
      activityProgress: score.activityProgress,
      userAgent,
    });
    return reply.status(mode === "moodle" ? 200 : 204).send();
  });

  app.get("/nrps/:context", async (request, reply) => {
    if (
      !scopesOf(request)?.includes(
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
      )
    )
      return reply.status(401).send();
    const page = Number((request.query as { page?: string }).page ?? 0);
    const size = platform.rosterPageSize;
    const members = platform.roster.slice(page * size, page * size + size);
    if ((page + 1) * size < platform.roster.length)
      void reply.header(
        "link",
        `<${base}/nrps/${platform.contextId}?page=${page + 1}>; rel="next"`,
      );
    return reply.type("application/vnd.ims.lti-nrps.v2.membershipcontainer+json").send({
      id: `${base}/nrps/${platform.contextId}`,
      context: { id: platform.contextId },
      members,
    });
  });

  app.post("/deep-link-return", async (request, reply) => {
    const form = request.body as { JWT?: string };
    const { payload, protectedHeader } = await jwtVerify(form.JWT ?? "", toolKeys, {
      issuer: platform.clientId,
      audience: platform.issuer,
      algorithms: ["RS256"],
    });
    platform.deepLinkReturns.push({ payload, protectedHeader });
    return reply.type("text/html").send("<p>Content added</p>");
  });

  await app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  platform.base = base;
  platform.issuer = mode === "canvas" ? "https://canvas.instructure.com" : base;
  return platform;
}

export type FakePlatform = Awaited<ReturnType<typeof startFakePlatform>>;

/** An HS256 key made of the platform's public key text: the algorithm-confusion attack. */
export function publicKeyAsSecret(jwk: JWK): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(jwk));
}

export { createLocalJWKSet };
