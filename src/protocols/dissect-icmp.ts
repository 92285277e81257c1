// The ICMP layer of a dissection (RFC 792; RFC 1191 for the next-hop MTU).
import { field, hex16, spec } from "./field.ts";
import { decodeIcmp, ICMP_TYPE, type IcmpDecoded } from "./icmp.ts";
import type { Field, Layer } from "./types.ts";

const TYPE = spec("type", "Type", "icmp.type", 0, 8);
const CODE = spec("code", "Code", "icmp.code", 8, 8);
const CHECKSUM = spec("checksum", "Checksum", "icmp.checksum", 16, 16);
const IDENTIFIER = spec("identifier", "Identifier", "icmp.ident", 32, 16);
const SEQUENCE_NUMBER = spec("sequenceNumber", "Sequence Number", "icmp.seq", 48, 16);
const UNUSED = spec("unused", "Unused", "icmp.unused", 32, 32);
const UNUSED_BEFORE_MTU = spec("unused", "Unused", "icmp.unused", 32, 16);
const NEXT_HOP_MTU = spec("nextHopMtu", "Next-Hop MTU", "icmp.mtu", 48, 16);
// RFC 792 p.8: the byte of the offending header the problem was found in.
const POINTER = spec("pointer", "Pointer", "icmp.pointer", 32, 8);
const UNUSED_AFTER_POINTER = spec("unused", "Unused", "icmp.unused", 40, 24);
const GATEWAY = spec("gateway", "Gateway Internet Address", "icmp.redir_gw", 32, 32);
// RFC 792 p.16: milliseconds since midnight UT.
const TIMESTAMPS = [
  spec("originateTimestamp", "Originate Timestamp", "icmp.originate_timestamp", 64, 32),
  spec("receiveTimestamp", "Receive Timestamp", "icmp.receive_timestamp", 96, 32),
  spec("transmitTimestamp", "Transmit Timestamp", "icmp.transmit_timestamp", 128, 32),
];
/** Types whose second word is an identifier and a sequence number (RFC 792, RFC 950). */
const IDENTIFIED_TYPES = new Set([0, 8, 13, 14, 15, 16, 17, 18]);
const TIMESTAMP_TYPES = new Set([13, 14]);

const TYPE_NAMES: Record<number, string> = {
  0: "Echo Reply",
  3: "Destination Unreachable",
  4: "Source Quench",
  5: "Redirect",
  8: "Echo Request",
  11: "Time Exceeded",
  12: "Parameter Problem",
  13: "Timestamp",
  14: "Timestamp Reply",
  15: "Information Request",
  16: "Information Reply",
  17: "Address Mask Request",
  18: "Address Mask Reply",
};

const CODE_NAMES: Record<number, Record<number, string>> = {
  3: {
    0: "network unreachable",
    1: "host unreachable",
    2: "protocol unreachable",
    3: "port unreachable",
    4: "fragmentation needed and Don't Fragment was set",
    5: "source route failed",
  },
  11: { 0: "time to live exceeded in transit", 1: "fragment reassembly time exceeded" },
};

/** Types whose data is the offending packet's IP header + 8 bytes (RFC 792). */
export const QUOTING_TYPES = new Set([3, 4, 5, 11, 12]);

export interface IcmpDissection {
  layer: Layer;
  decoded: IcmpDecoded;
  /** Bytes of the message that follow the fields shown (echo data, the quoted packet). */
  data: Uint8Array;
}

export function dissectIcmp(bytes: Uint8Array, offset: number, complete: boolean): IcmpDissection {
  const decoded = decodeIcmp(bytes);
  const fields: Field[] = [];
  const available = bytes.length;
  const type = bytes[0];
  const code = bytes[1];
  if (type !== undefined)
    fields.push(field(TYPE, offset, type, `${TYPE_NAMES[type] ?? "unknown"} (${type})`));
  if (code !== undefined) {
    const codeName = CODE_NAMES[type!]?.[code];
    fields.push(field(CODE, offset, code, codeName ? `${codeName} (${code})` : undefined));
  }
  let checksum: Layer["checksum"];
  const errors = decoded.errors;
  if (available >= 4) {
    const value = (bytes[2]! << 8) | bytes[3]!;
    // The checksum covers the whole message, so a cut-off message cannot be verified.
    checksum =
      !complete || !decoded.header ? "unverified" : decoded.checksumValid ? "valid" : "invalid";
    fields.push(field(CHECKSUM, offset, value, `${hex16(value)} (${checksum})`));
    if (checksum === "invalid")
      errors.push(`ICMP checksum ${hex16(value)} does not match the message`);
  }
  const header = decoded.header;
  let data = decoded.payload;
  if (header) {
    const type = header.type;
    if (IDENTIFIED_TYPES.has(type)) {
      const identifier = header.restOfHeader >>> 16;
      fields.push(field(IDENTIFIER, offset, identifier, hex16(identifier)));
      fields.push(field(SEQUENCE_NUMBER, offset, header.restOfHeader & 0xffff));
      if (TIMESTAMP_TYPES.has(type) && available >= 20) {
        TIMESTAMPS.forEach((s, i) => fields.push(field(s, offset, readU32(bytes, 8 + 4 * i))));
        data = bytes.subarray(20);
      }
    } else if (header.nextHopMtu !== undefined) {
      fields.push(field(UNUSED_BEFORE_MTU, offset, header.restOfHeader >>> 16));
      fields.push(field(NEXT_HOP_MTU, offset, header.nextHopMtu));
    } else if (type === ICMP_TYPE.DESTINATION_UNREACHABLE || type === ICMP_TYPE.TIME_EXCEEDED) {
      fields.push(field(UNUSED, offset, header.restOfHeader));
    } else if (type === PARAMETER_PROBLEM) {
      fields.push(field(POINTER, offset, bytes[4]!));
      fields.push(field(UNUSED_AFTER_POINTER, offset, header.restOfHeader & 0xffffff));
    } else if (type === REDIRECT) {
      const gateway = `${bytes[4]}.${bytes[5]}.${bytes[6]}.${bytes[7]}`;
      fields.push(field(GATEWAY, offset, gateway));
    }
  }
  let summary = "truncated ICMP header";
  if (header) {
    summary = TYPE_NAMES[header.type] ?? `ICMP type ${header.type}`;
    const codeName = CODE_NAMES[header.type]?.[header.code];
    if (codeName) summary += ` (${codeName})`;
    if (IDENTIFIED_TYPES.has(header.type))
      summary += ` id ${hex16(header.restOfHeader >>> 16)} seq ${header.restOfHeader & 0xffff}`;
    if (header.nextHopMtu !== undefined) summary += `, next-hop MTU ${header.nextHopMtu}`;
  }
  return {
    decoded,
    data,
    layer: {
      protocol: "icmp",
      title: "Internet Control Message Protocol",
      byteOffset: offset,
      byteLength: available - data.length,
      fields,
      summary,
      checksum,
      errors,
    },
  };
}

const PARAMETER_PROBLEM = 12;
const REDIRECT = 5;

function readU32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0
  );
}
