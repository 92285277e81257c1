// UDP datagrams (RFC 768): an 8-byte header and a checksum over an IPv4 pseudo-header.
import { requireIpv4Address } from "./address.ts";
import { foldSum, sumWords } from "./checksum.ts";
import type { ChecksumStatus } from "./types.ts";

export interface UdpFields {
  sourcePort: number;
  destinationPort: number;
  /** Header + payload bytes; computed unless given (a given value is written as is). */
  length?: number;
  /** Computed unless given; 0 means "no checksum" (RFC 768). A given value is written as is. */
  checksum?: number;
}

export interface UdpHeader {
  sourcePort: number;
  destinationPort: number;
  length: number;
  checksum: number;
}

export interface UdpAddresses {
  source: string;
  destination: string;
}

export interface UdpDecoded {
  /** null when fewer than 8 bytes were given. */
  header: UdpHeader | null;
  /** The bytes after the header, limited by the UDP length and by what is there. */
  payload: Uint8Array;
  /** "unverified" without addresses or when the datagram is cut short. */
  checksumStatus: ChecksumStatus;
  errors: string[];
}

const EMPTY = new Uint8Array(0);

/**
 * Unfolded sum of the IPv4 pseudo-header (RFC 768): source, destination, zero, protocol 17,
 * UDP length. Addresses are uint32s.
 */
export function pseudoHeaderSum(source: number, destination: number, udpLength: number): number {
  return (
    (source >>> 16) +
    (source & 0xffff) +
    (destination >>> 16) +
    (destination & 0xffff) +
    17 +
    (udpLength & 0xffff)
  );
}

/** Builds a UDP datagram; the addresses only feed the checksum's pseudo-header. */
export function encodeUdp(
  fields: UdpFields,
  payload: Uint8Array,
  addresses: UdpAddresses,
): Uint8Array {
  const datagram = new Uint8Array(8 + payload.length);
  const length = fields.length ?? datagram.length;
  datagram[0] = (fields.sourcePort >>> 8) & 0xff;
  datagram[1] = fields.sourcePort & 0xff;
  datagram[2] = (fields.destinationPort >>> 8) & 0xff;
  datagram[3] = fields.destinationPort & 0xff;
  datagram[4] = (length >>> 8) & 0xff;
  datagram[5] = length & 0xff;
  datagram.set(payload, 8);
  let checksum = fields.checksum;
  if (checksum === undefined) {
    const source = requireIpv4Address(addresses.source, "source address");
    const destination = requireIpv4Address(addresses.destination, "destination address");
    // The pseudo-header carries the length field as written, which is what a receiver sums.
    checksum = ~foldSum(sumWords(datagram, pseudoHeaderSum(source, destination, length))) & 0xffff;
    // RFC 768: a computed zero is sent as all ones, since zero means "no checksum".
    if (checksum === 0) checksum = 0xffff;
  }
  datagram[6] = (checksum >>> 8) & 0xff;
  datagram[7] = checksum & 0xff;
  return datagram;
}

/** Decodes a UDP header and checks its checksum when the addresses are known. Never throws. */
export function decodeUdp(bytes: Uint8Array, addresses?: UdpAddresses): UdpDecoded {
  const available = bytes.length;
  if (available < 8) {
    return {
      header: null,
      payload: EMPTY,
      checksumStatus: "unverified",
      errors: [`a UDP header needs 8 bytes, only ${available} left in the IP packet`],
    };
  }
  const errors: string[] = [];
  const header: UdpHeader = {
    sourcePort: (bytes[0]! << 8) | bytes[1]!,
    destinationPort: (bytes[2]! << 8) | bytes[3]!,
    length: (bytes[4]! << 8) | bytes[5]!,
    checksum: (bytes[6]! << 8) | bytes[7]!,
  };
  let end = header.length;
  let complete = true;
  if (header.length < 8) {
    errors.push(`UDP length ${header.length} is below the minimum of 8 (the header alone)`);
    end = available;
    complete = false;
  } else if (header.length > available) {
    errors.push(`UDP length ${header.length} exceeds the ${available} bytes left in the IP packet`);
    end = available;
    complete = false;
  }
  const payload = bytes.subarray(8, end);
  let checksumStatus: ChecksumStatus;
  if (header.checksum === 0) checksumStatus = "none";
  else if (!addresses || !complete) checksumStatus = "unverified";
  else checksumStatus = verifyUdpChecksum(bytes.subarray(0, end), addresses, header.length);
  return { header, payload, checksumStatus, errors };
}

function verifyUdpChecksum(
  datagram: Uint8Array,
  addresses: UdpAddresses,
  length: number,
): ChecksumStatus {
  const source = parseQuick(addresses.source);
  const destination = parseQuick(addresses.destination);
  if (source === null || destination === null) return "unverified";
  const sum = foldSum(sumWords(datagram, pseudoHeaderSum(source, destination, length)));
  return sum === 0xffff ? "valid" : "invalid";
}

// Addresses here come from decodeIpv4, so they are well-formed dotted quads; parse them cheaply.
function parseQuick(text: string): number | null {
  let result = 0;
  let octet = 0;
  let parts = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) {
      result = result * 256 + octet;
      octet = 0;
      parts++;
    } else if (code >= 48 && code <= 57) octet = octet * 10 + code - 48;
    else return null;
  }
  return parts === 3 && octet <= 255 ? result * 256 + octet : null;
}
