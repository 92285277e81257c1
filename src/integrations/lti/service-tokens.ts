// LTI Advantage service tokens: the OAuth 2.0 client-credentials grant with a signed JWT as the
// client's credential (RFC 7523; LTI Security Framework §4.1): iss = sub = client_id, aud = the
// token URL, a random jti. Only the scopes asked for (those the launch granted); form-encoded;
// cached per (platform, scopes) until shortly before they expire.
import { randomUUID } from "node:crypto";
import { loadJose } from "./jose.ts";
import type { RegistrationRecord } from "../../progress/lti.ts";
import type { OutboundHttp } from "../outbound-http.ts";
import type { ToolKeys } from "./tool-keys.ts";

export class TokenRefused extends Error {
  override name = "TokenRefused";
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export function createServiceTokens(deps: {
  http: OutboundHttp;
  toolKeys: Pick<ToolKeys, "signingKey">;
}) {
  const cache = new Map<string, { token: string; expiresAt: number }>();
  let requests = 0;

  async function fetchToken(registration: RegistrationRecord, scopes: string[]) {
    const [{ kid, key }, { SignJWT }] = await Promise.all([deps.toolKeys.signingKey(), loadJose()]);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
      .setIssuer(registration.clientId)
      .setSubject(registration.clientId)
      .setAudience(registration.tokenUrl)
      .setIssuedAt()
      .setExpirationTime("5m")
      .setJti(randomUUID())
      .sign(key);
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
      scope: scopes.join(" "),
    }).toString();
    requests++;
    const response = await deps.http(registration.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
    });
    if (response.status !== 200)
      throw new TokenRefused(
        `token endpoint answered ${response.status}: ${response.body.slice(0, 200)}`,
        response.status,
      );
    const answer = JSON.parse(response.body) as { access_token?: unknown; expires_in?: unknown };
    if (typeof answer.access_token !== "string")
      throw new TokenRefused("token endpoint answered without access_token", response.status);
    const lifetime = typeof answer.expires_in === "number" ? answer.expires_in : 3600;
    return { token: answer.access_token, expiresAt: Date.now() + lifetime * 1000 };
  }

  return {
    async get(registration: RegistrationRecord, scopes: string[]): Promise<string> {
      const key = `${registration.id} ${[...scopes].sort().join(" ")}`;
      const cached = cache.get(key);
      if (cached && cached.expiresAt - 30_000 > Date.now()) return cached.token;
      const fresh = await fetchToken(registration, scopes);
      cache.set(key, fresh);
      return fresh.token;
    },
    /** The platform refused a cached token (401): forget it. */
    forget(registration: RegistrationRecord, scopes: string[]): void {
      cache.delete(`${registration.id} ${[...scopes].sort().join(" ")}`);
    },
    requests: () => requests,
  };
}

export type ServiceTokens = ReturnType<typeof createServiceTokens>;
