// ICMP messages (RFC 792): echo, destination unreachable, time exceeded. The error messages
// carry the offending packet's IP header and the first 8 bytes of its payload, which is
// enough for the sender to match the error to its UDP socket by ports.
import { foldSum, sumWords } from "./checksum.ts";

export const ICMP_TYPE = {
  ECHO_REPLY: 0,
  DESTINATION_UNREACHABLE: 3,
  ECHO_REQUEST: 8,
  TIME_EXCEEDED: 11,
} as const;

/** Codes of destination unreachable (RFC 792; RFC 1191 for fragmentation needed's MTU). */
export const ICMP_UNREACHABLE_CODE = {
  NET: 0,
  HOST: 1,
  PROTOCOL: 2,
  PORT: 3,
  FRAGMENTATION_NEEDED: 4,
  SOURCE_ROUTE_FAILED: 5,
} as const;

export const ICMP_TIME_EXCEEDED_CODE = { TTL: 0, REASSEMBLY: 1 } as const;

export interface IcmpFields {
  type: number;
  code: number;
  /** Computed unless given; a given value is written as is. */
  checksum?: number;
  /** The 4 bytes after the checksum, as one uint32; usually set through the helpers below. */
  restOfHeader?: number;
}

export interface IcmpHeader {
  type: number;
  code: number;
  checksum: number;
  restOfHeader: number;
  /** Echo request/reply only (RFC 792 p.14). */
  identifier?: number;
  sequenceNumber?: number;
  /** Fragmentation needed only (RFC 1191 §4): the MTU of the next hop. */
  nextHopMtu?: number;
}

export interface IcmpDecoded {
  header: IcmpHeader | null;
  /** Echo data, or the original IP header + 8 bytes of an error message. */
  payload: Uint8Array;
  checksumValid: boolean;
  errors: string[];
}

const EMPTY = new Uint8Array(0);

export function encodeIcmp(fields: IcmpFields, payload: Uint8Array = EMPTY): Uint8Array {
  const message = new Uint8Array(8 + payload.length);
  const rest = (fields.restOfHeader ?? 0) >>> 0;
  message[0] = fields.type & 0xff;
  message[1] = fields.code & 0xff;
  message[4] = rest >>> 24;
  message[5] = (rest >>> 16) & 0xff;
  message[6] = (rest >>> 8) & 0xff;
  message[7] = rest & 0xff;
  message.set(payload, 8);
  const checksum = fields.checksum ?? ~foldSum(sumWords(message)) & 0xffff;
  message[2] = checksum >>> 8;
  message[3] = checksum & 0xff;
  return message;
}

export function encodeIcmpEcho(
  kind: "request" | "reply",
  identifier: number,
  sequenceNumber: number,
  data: Uint8Array = EMPTY,
): Uint8Array {
  return encodeIcmp(
    {
      type: kind === "request" ? ICMP_TYPE.ECHO_REQUEST : ICMP_TYPE.ECHO_REPLY,
      code: 0,
      restOfHeader: ((identifier & 0xffff) * 0x10000 + (sequenceNumber & 0xffff)) >>> 0,
    },
    data,
  );
}

/** The part of an offending packet an ICMP error quotes: its IP header and 8 more bytes. */
export function quoteOriginal(packet: Uint8Array): Uint8Array {
  const headerLength = packet.length > 0 ? Math.max(20, (packet[0]! & 0xf) * 4) : 0;
  return packet.subarray(0, Math.min(packet.length, headerLength + 8));
}

/** Code 3 port unreachable, code 4 fragmentation needed (give the next hop's MTU), … */
export function encodeDestinationUnreachable(
  code: number,
  originalPacket: Uint8Array,
  nextHopMtu = 0,
): Uint8Array {
  return encodeIcmp(
    { type: ICMP_TYPE.DESTINATION_UNREACHABLE, code, restOfHeader: nextHopMtu & 0xffff },
    quoteOriginal(originalPacket),
  );
}

/** Code 0: TTL reached zero in transit; code 1: reassembly timed out. */
export function encodeTimeExceeded(code: number, originalPacket: Uint8Array): Uint8Array {
  return encodeIcmp({ type: ICMP_TYPE.TIME_EXCEEDED, code }, quoteOriginal(originalPacket));
}

/** Decodes an ICMP message. Never throws. */
export function decodeIcmp(bytes: Uint8Array): IcmpDecoded {
  if (bytes.length < 8) {
    return {
      header: null,
      payload: EMPTY,
      checksumValid: false,
      errors: [`an ICMP header needs 8 bytes, only ${bytes.length} left in the IP packet`],
    };
  }
  const restOfHeader = ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0;
  const header: IcmpHeader = {
    type: bytes[0]!,
    code: bytes[1]!,
    checksum: (bytes[2]! << 8) | bytes[3]!,
    restOfHeader,
  };
  if (header.type === ICMP_TYPE.ECHO_REQUEST || header.type === ICMP_TYPE.ECHO_REPLY) {
    header.identifier = restOfHeader >>> 16;
    header.sequenceNumber = restOfHeader & 0xffff;
  } else if (
    header.type === ICMP_TYPE.DESTINATION_UNREACHABLE &&
    header.code === ICMP_UNREACHABLE_CODE.FRAGMENTATION_NEEDED
  ) {
    header.nextHopMtu = restOfHeader & 0xffff;
  }
  return {
    header,
    payload: bytes.subarray(8),
    checksumValid: foldSum(sumWords(bytes)) === 0xffff,
    errors: [],
  };
}
