// Deep Linking 2.0: a teacher in the LMS picks a lesson's exercise; the tool answers with a
// signed LtiDeepLinkingResponse (Deep Linking §4) that the browser posts back to the platform.
// The content item carries the exercise as custom parameters (echoed in later launches) and a
// line item with scoreMaximum, so the LMS makes the gradebook column. `data` is echoed as sent.
import { randomUUID } from "node:crypto";
import { loadJose } from "./jose.ts";
import type { RegistrationRecord } from "../../progress/lti.ts";
import { CLAIM, DL_CLAIM } from "./claims.ts";
import type { ToolKeys } from "./tool-keys.ts";

const PICKER_AUDIENCE = "packetlab:deep-linking-picker";

export interface PickerContext {
  registrationId: string;
  deploymentId: string;
  returnUrl: string;
  data: string | undefined;
}

/** A short-lived token that carries the platform's request to the picker's form, signed by us. */
export async function pickerToken(keys: Pick<ToolKeys, "signingKey">, context: PickerContext) {
  const [{ kid, key }, { SignJWT }] = await Promise.all([keys.signingKey(), loadJose()]);
  return new SignJWT({ ...context })
    .setProtectedHeader({ alg: "RS256", kid })
    .setAudience(PICKER_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("30m")
    .sign(key);
}

export async function readPickerToken(
  keys: Pick<ToolKeys, "jwks">,
  token: string,
): Promise<PickerContext | undefined> {
  const { createLocalJWKSet, jwtVerify } = await loadJose();
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(await keys.jwks()), {
      audience: PICKER_AUDIENCE,
      algorithms: ["RS256"],
    });
    return payload as unknown as PickerContext;
  } catch {
    return undefined;
  }
}

export async function deepLinkingResponse(
  keys: Pick<ToolKeys, "signingKey">,
  registration: RegistrationRecord,
  context: PickerContext,
  item: { title: string; launchUrl: string; lessonId: string; exerciseId: string },
): Promise<string> {
  const [{ kid, key }, { SignJWT }] = await Promise.all([keys.signingKey(), loadJose()]);
  return new SignJWT({
    nonce: randomUUID(),
    [`${CLAIM}message_type`]: "LtiDeepLinkingResponse",
    [`${CLAIM}version`]: "1.3.0",
    [`${CLAIM}deployment_id`]: context.deploymentId,
    ...(context.data !== undefined ? { [`${DL_CLAIM}data`]: context.data } : {}),
    [`${DL_CLAIM}content_items`]: [
      {
        type: "ltiResourceLink",
        title: item.title,
        url: item.launchUrl,
        custom: { lesson: item.lessonId, exercise: item.exerciseId },
        lineItem: {
          scoreMaximum: 100,
          label: item.title,
          resourceId: `${item.lessonId}/${item.exerciseId}`,
          tag: "packetlab",
        },
      },
    ],
  })
    .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
    .setIssuer(registration.clientId)
    .setAudience(registration.issuer)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key);
}
