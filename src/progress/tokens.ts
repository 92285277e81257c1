// Secrets handed to people: bearer tokens, WebSocket tickets, class join codes.
import { createHash, randomBytes, randomInt } from "node:crypto";

/** A bearer token: 32 random bytes; the prefix makes a leaked token easy to recognise in logs. */
export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

// No 0/O, 1/I/L: the code is read off a projector and typed by hand.
const JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export function newJoinCode(length = 8): string {
  let code = "";
  for (let i = 0; i < length; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/** Join codes are compared case-insensitively and without the spaces or dashes people add. */
export function normaliseJoinCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "");
}

/** A session seed: positive, fits PostgreSQL's integer. */
export function newSeed(): number {
  return randomInt(1, 2 ** 31 - 1);
}
