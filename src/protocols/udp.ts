// UDP datagrams (RFC 768): an 8-byte header and a checksum over an IPv4 pseudo-header.
import { parseIpv4Address, requireIpv4Address } from "./address.ts";
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
  if (!addresses) return decodeUdpWithAddresses(bytes, null, null);
  return decodeUdpWithAddresses(
    bytes,
    parseIpv4Address(addresses.source),
    parseIpv4Address(addresses.destination),
  );
}

/** decodeUdp with the addresses as uint32s (null: unknown), as read straight from an IP header. */
export function decodeUdpWithAddresses(
  bytes: Uint8Array,
  source: number | null,
  destination: number | null,
): UdpDecoded {
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
  else if (source === null || destination === null || !complete) checksumStatus = "unverified";
  else {
    const sum = foldSum(
      sumWords(bytes, pseudoHeaderSum(source, destination, header.length), 0, end),
    );
    checksumStatus = sum === 0xffff ? "valid" : "invalid";
  }
  return { header, payload, checksumStatus, errors };
}
