// Standard Webhooks (standardwebhooks.com, spec v1): a delivery carries webhook-id (the same on
// every retry: the receiver's idempotency key), webhook-timestamp (Unix seconds of this attempt)
// and webhook-signature: space-separated "v1,<base64 HMAC-SHA256>" over `${id}.${timestamp}.${body}`,
// keyed with the base64 after "whsec_". During a secret rotation both secrets sign.
import { createHmac, timingSafeEqual } from "node:crypto";

const PREFIX = "whsec_";

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
}

export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac("sha256", keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest();
  return `v1,${mac.toString("base64")}`;
}

/** The three headers of a delivery, signed with every given secret. */
export function webhookHeaders(
  secrets: string[],
  id: string,
  timestamp: number,
  body: string,
): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": secrets.map((secret) => sign(secret, id, timestamp, body)).join(" "),
  };
}

/**
 * A receiver's check, as the specification prescribes: some v1 signature matches (in constant
 * time) and the timestamp is within `toleranceSeconds` of now (a replayed old delivery fails).
 */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  options: { now?: number; toleranceSeconds?: number } = {},
): { ok: true; id: string } | { ok: false; reason: string } {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (typeof id !== "string" || typeof timestamp !== "string" || typeof signatures !== "string")
    return { ok: false, reason: "missing webhook-id, webhook-timestamp or webhook-signature" };
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: "webhook-timestamp is not a number" };
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300))
    return { ok: false, reason: "webhook-timestamp is too far from now" };
  const expected = Buffer.from(sign(secret, id, Number(timestamp), body).slice(3), "base64");
  for (const candidate of signatures.split(" ")) {
    const [version, value] = candidate.split(",");
    if (version !== "v1" || !value) continue;
    const given = Buffer.from(value, "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected))
      return { ok: true, id };
  }
  return { ok: false, reason: "no signature matches" };
}
