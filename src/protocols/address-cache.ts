// Dotted quads of recently seen addresses. Every decoded packet formats two addresses, and a
// simulated network has a handful of hosts, so nearly every call is a hit: a hit returns a
// shared flat string instead of building one from seven pieces (faster, and dissections kept by
// netsim then share the text instead of each holding its own copy). Direct-mapped with a fixed
// number of slots, so it can never grow.
const SLOTS = 256;
const keys = new Uint32Array(SLOTS); // all 0, which is 0.0.0.0 …
const texts: string[] = new Array<string>(SLOTS).fill("0.0.0.0"); // … so the slots start valid

// "0" … "255", so that a miss concatenates ready strings instead of converting numbers.
const OCTETS = Array.from({ length: 256 }, (_, i) => String(i));

/** Four bytes at `offset` (network order) → dotted quad; the bytes must be there. */
export function cachedIpv4Text(bytes: Uint8Array, offset: number): string {
  const a = bytes[offset]!;
  const b = bytes[offset + 1]!;
  const c = bytes[offset + 2]!;
  const d = bytes[offset + 3]!;
  const key = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  const slot = (a ^ b ^ c ^ d) & (SLOTS - 1);
  if (keys[slot] === key) return texts[slot]!;
  const text = OCTETS[a]! + "." + OCTETS[b]! + "." + OCTETS[c]! + "." + OCTETS[d]!;
  keys[slot] = key;
  texts[slot] = text;
  return text;
}
