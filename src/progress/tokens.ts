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

// Ten characters of 31: 31^10 ≈ 8.2e14 codes, 49.5 bits. With failed joins limited per address
// (JOIN_FAILURE_LIMIT, 30 a minute), one address guessing against a thousand live classes finds
// one with a chance of ~5e-8 a day; a thousand addresses ~5e-5 a day (~2% a year). Eight
// characters (39.6 bits) gave those thousand addresses ~5% a day. The prize is a learner's seat.
export function newJoinCode(length = 10): string {
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
