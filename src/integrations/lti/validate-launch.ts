// Verifies an LTI 1.3 id_token (LTI Core §5, Security Framework §5.1.3) before anything is
// stored. The order matters: the header first (RS256 only, a kid required: accepting `none`,
// HS256 keyed with the public key, or a kid-less token are certification failures), then the
// signature against the platform's keys, then every claim.
import type { JWTPayload, JWTVerifyGetKey } from "jose";
import type { RegistrationRecord } from "../../progress/lti.ts";
import { AGS_CLAIM, CLAIM, DL_CLAIM, NRPS_CLAIM } from "./claims.ts";
import { loadJose } from "./jose.ts";

export class LaunchRefused extends Error {
  override name = "LaunchRefused";
}

export type MessageType = "LtiResourceLinkRequest" | "LtiDeepLinkingRequest";

export interface LaunchClaims {
  messageType: MessageType;
  sub: string;
  name: string;
  roles: string[];
  deploymentId: string;
  targetLinkUri: string | undefined;
  resourceLinkId: string | undefined;
  context: { id: string; title: string } | undefined;
  custom: Record<string, unknown>;
  ags: { lineitem?: string; lineitems?: string; scope: string[] } | undefined;
  nrps: { contextMembershipsUrl: string } | undefined;
  deepLinking: { returnUrl: string; data: string | undefined } | undefined;
}

const MAX_TOKEN_AGE_S = 600;

const refuse = (reason: string): never => {
  throw new LaunchRefused(reason);
};

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

export async function validateLaunch(
  idToken: unknown,
  expected: {
    registration: RegistrationRecord;
    nonce: string;
    keys: JWTVerifyGetKey;
    clockSkewS: number;
  },
): Promise<LaunchClaims> {
  if (typeof idToken !== "string" || idToken.split(".").length !== 3)
    refuse("id_token is not a JWT");
  const { decodeProtectedHeader, errors, jwtVerify } = await loadJose();
  let header;
  try {
    header = decodeProtectedHeader(idToken as string);
  } catch {
    return refuse("id_token is not a JWT");
  }
  if (header.alg !== "RS256") refuse(`alg must be RS256, not ${JSON.stringify(header.alg)}`);
  if (typeof header.kid !== "string" || header.kid === "") refuse("the header has no kid");

  const { registration } = expected;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken as string, expected.keys, {
      algorithms: ["RS256"],
      issuer: registration.issuer,
      audience: registration.clientId,
      clockTolerance: expected.clockSkewS,
      maxTokenAge: MAX_TOKEN_AGE_S,
      requiredClaims: ["iat", "exp", "nonce"],
    }));
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey)
      return refuse(`no platform key has kid ${header.kid}`);
    if (error instanceof errors.JWTExpired) return refuse("the id_token has expired");
    if (error instanceof errors.JWTClaimValidationFailed)
      return refuse(`claim ${error.claim} is invalid: ${error.reason}`);
    if (error instanceof errors.JWSSignatureVerificationFailed)
      return refuse("the signature does not verify");
    if (error instanceof errors.JOSEError)
      return refuse(`the id_token is invalid: ${error.message}`);
    throw error;
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.iat !== "number" || payload.iat > now + expected.clockSkewS)
    refuse("iat is in the future");
  // aud may be an array; with several audiences, azp must name us (OIDC Core §2).
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (audiences.length > 1 && payload.azp !== registration.clientId)
    refuse("several audiences and no azp naming this tool");
  if (payload.azp !== undefined && payload.azp !== registration.clientId)
    refuse("azp is not this tool's client_id");
  // Equal to the nonce stored for this state, not merely unseen (CVE-2022-31158).
  if (payload.nonce !== expected.nonce) refuse("the nonce is not the one issued for this state");

  const claim = (name: string) => (payload as Record<string, unknown>)[`${CLAIM}${name}`];
  if (claim("version") !== "1.3.0") refuse("version must be 1.3.0");
  const messageType = claim("message_type");
  if (messageType !== "LtiResourceLinkRequest" && messageType !== "LtiDeepLinkingRequest")
    refuse(`message_type ${JSON.stringify(messageType)} is not supported`);
  const deploymentId = text(claim("deployment_id"));
  if (!deploymentId) refuse("deployment_id is missing");
  if (!registration.deploymentIds.includes(deploymentId!))
    refuse(`deployment_id ${JSON.stringify(deploymentId)} is not registered for this platform`);
  const sub = text(payload.sub);
  if (!sub) refuse("sub is missing");
  const roles = claim("roles");
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === "string"))
    refuse("roles is missing");

  const resourceLink = claim("resource_link") as { id?: unknown } | undefined;
  const resourceLinkId = text(resourceLink?.id);
  if (messageType === "LtiResourceLinkRequest" && !resourceLinkId)
    refuse("resource_link.id is missing");
  const targetLinkUri = text(claim("target_link_uri"));
  if (messageType === "LtiResourceLinkRequest" && !targetLinkUri)
    refuse("target_link_uri is missing");

  const settings = (payload as Record<string, unknown>)[`${DL_CLAIM}deep_linking_settings`] as
    { deep_link_return_url?: unknown; data?: unknown } | undefined;
  const returnUrl = text(settings?.deep_link_return_url);
  if (messageType === "LtiDeepLinkingRequest" && !returnUrl)
    refuse("deep_linking_settings.deep_link_return_url is missing");

  const context = claim("context") as
    { id?: unknown; title?: unknown; label?: unknown } | undefined;
  const ags = (payload as Record<string, unknown>)[AGS_CLAIM] as
    { lineitem?: unknown; lineitems?: unknown; scope?: unknown } | undefined;
  const nrps = (payload as Record<string, unknown>)[NRPS_CLAIM] as
    { context_memberships_url?: unknown } | undefined;
  const given = text((payload as { given_name?: unknown }).given_name);
  const family = text((payload as { family_name?: unknown }).family_name);
  const name =
    text((payload as { name?: unknown }).name) ??
    ([given, family].filter(Boolean).join(" ") || undefined) ??
    `LMS user ${sub!.slice(0, 40)}`;
  const custom = claim("custom");
  return {
    messageType: messageType as MessageType,
    sub: sub!,
    name,
    roles: roles as string[],
    deploymentId: deploymentId!,
    targetLinkUri,
    resourceLinkId,
    context: text(context?.id)
      ? { id: context!.id as string, title: text(context!.title) ?? text(context!.label) ?? "" }
      : undefined,
    custom: custom && typeof custom === "object" ? (custom as Record<string, unknown>) : {},
    ags: ags
      ? {
          ...(text(ags.lineitem) ? { lineitem: ags.lineitem as string } : {}),
          ...(text(ags.lineitems) ? { lineitems: ags.lineitems as string } : {}),
          scope: Array.isArray(ags.scope) ? ags.scope.filter((s) => typeof s === "string") : [],
        }
      : undefined,
    nrps: text(nrps?.context_memberships_url)
      ? { contextMembershipsUrl: nrps!.context_memberships_url as string }
      : undefined,
    deepLinking: returnUrl ? { returnUrl, data: text(settings?.data) } : undefined,
  };
}
