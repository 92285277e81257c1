// The lesson's simple name-server protocol, before it introduces real DNS: a request is the
// domain name in ASCII; an answer is the 4 bytes of the IPv4 address, in network order.
//
// Unknown name: the server answers with an EMPTY payload (0 bytes). A learner who reads the
// answer as an address then gets a clear "not 4 bytes" instead of a plausible wrong address,
// and the reply still arrives, so nobody waits for a timeout to learn the name is unknown.
import { formatIpv4Bytes, requireIpv4Address, writeUint32 } from "./address.ts";

export const NAME_LOOKUP_PORT = 53;

// RFC 1123 §2.1 host names: letters, digits, hyphens, dots; at most 253 characters
// (255 on the wire). A trailing dot (the root) is tolerated.
const MAX_NAME_LENGTH = 253;

export function encodeNameRequest(name: string): Uint8Array {
  const bytes = new Uint8Array(name.length);
  for (let i = 0; i < name.length; i++) bytes[i] = name.charCodeAt(i) & 0xff;
  return bytes;
}

/** The requested name, or null unless the payload is a plausible host name. */
export function decodeNameRequest(payload: Uint8Array): string | null {
  let length = payload.length;
  if (length > 0 && payload[length - 1] === 46) length--; // trailing dot
  if (length === 0 || length > MAX_NAME_LENGTH) return null;
  let text = "";
  let labelLength = 0;
  for (let i = 0; i < length; i++) {
    const c = payload[i]!;
    if (c === 46) {
      if (labelLength === 0) return null; // empty label: ".." or a leading dot
      labelLength = 0;
    } else if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45) {
      if (++labelLength > 63) return null;
    } else {
      return null;
    }
    text += String.fromCharCode(c);
  }
  return text;
}

/** The answer for a known name: its address as 4 bytes. */
export function encodeNameAnswer(address: string): Uint8Array {
  const bytes = new Uint8Array(4);
  writeUint32(bytes, 0, requireIpv4Address(address, "answer address"));
  return bytes;
}

/** The answer for a name the server does not know (see the comment at the top). */
export function encodeUnknownNameAnswer(): Uint8Array {
  return new Uint8Array(0);
}

/** The address in an answer, or null unless it is exactly 4 bytes (an empty answer = unknown). */
export function decodeNameAnswer(payload: Uint8Array): string | null {
  return payload.length === 4 ? formatIpv4Bytes(payload, 0) : null;
}
