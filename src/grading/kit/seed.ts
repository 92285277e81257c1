// Per-session details derived from the session seed. The derivation is a hash, not a stateful
// generator, so each detail depends only on (seed, salt): adding a new derived detail to a lesson
// never shifts the ones learners already have.
// crypto.hash, one call, not a Hash object per digest: the same bytes for less. seededUint32 runs
// a few times for each graded submission (the lesson's topology for its seed), and a photo of the
// fragmentation lesson is 320 digests, built for five seeds per exercise when the lessons load.
import { hash } from "node:crypto";

/** 32 well-spread bits for (seed, salt). Any number is a valid seed, including NaN. */
export function seededUint32(seed: number, salt: string): number {
  return hash("sha256", `${salt}\u0000${String(seed)}`, "buffer").readUInt32BE(0);
}

/** `length` deterministic bytes for (seed, salt): SHA-256 in counter mode. */
export function seededBytes(seed: number, salt: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let block = 0, offset = 0; offset < length; block++, offset += 32) {
    const digest = hash("sha256", `${salt}\u0000${String(seed)}\u0000${block}`, "buffer");
    out.set(digest.subarray(0, Math.min(32, length - offset)), offset);
  }
  return out;
}

/**
 * An address 10.0.x.y for (seed, salt), outside 10.0.0.0/24 (where the learner and the name
 * server live, so a learner cannot guess it from their own) and never one of `avoid`.
 * x is 1–254 and y is 2–254, so network, broadcast and ".1" router-like addresses are skipped.
 */
export function seededAddress(seed: number, salt: string, avoid: readonly string[] = []): string {
  for (let attempt = 0; ; attempt++) {
    const n = seededUint32(seed, attempt === 0 ? salt : `${salt}#${attempt}`);
    const x = 1 + (n % 254);
    const y = 2 + (Math.floor(n / 254) % 253);
    const address = `10.0.${x}.${y}`;
    if (!avoid.includes(address)) return address;
  }
}
