// IPv4 addresses as the learner writes them (dotted quads) and as packets carry them (uint32).
import { cachedIpv4Text } from "./address-cache.ts";

/**
 * Strict dotted quad → unsigned 32-bit number, or null. Like Rust's `Ipv4Addr::from_str`, it
 * accepts exactly four decimal octets 0–255 and rejects leading zeros ("010" might be octal to
 * some parsers), signs, spaces and shorthand such as "10.1".
 */
export function parseIpv4Address(text: string): number | null {
  if (typeof text !== "string" || text.length < 7 || text.length > 15) return null;
  let result = 0;
  let octet = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46; // a final virtual "."
    if (code === 46) {
      if (digits === 0 || octet > 255) return null;
      result = result * 256 + octet;
      parts++;
      octet = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57) {
      if (digits > 0 && octet === 0) return null; // leading zero
      octet = octet * 10 + (code - 48);
      digits++;
    } else {
      return null;
    }
  }
  return parts === 4 ? result : null;
}

/** Unsigned 32-bit number → dotted quad. */
export function formatIpv4Address(n: number): string {
  return `${(n >>> 24) & 0xff}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/** Four bytes at `offset` (network order) → dotted quad. */
export function formatIpv4Bytes(bytes: Uint8Array, offset: number): string {
  // Every decoded packet comes here twice: the cache spares building the same text again.
  if (offset >= 0 && offset + 4 <= bytes.length) return cachedIpv4Text(bytes, offset);
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** Like parseIpv4Address, but throws a RangeError naming the text; for encoders. */
export function requireIpv4Address(text: string, what: string): number {
  const n = parseIpv4Address(text);
  if (n === null) throw new RangeError(`${what} "${String(text)}" is not an IPv4 address`);
  return n;
}

/** Writes a uint32 in network order. */
export function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}
