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
  if (header) {
    if (header.identifier !== undefined) {
      fields.push(field(IDENTIFIER, offset, header.identifier, hex16(header.identifier)));
      fields.push(field(SEQUENCE_NUMBER, offset, header.sequenceNumber!));
    } else if (header.nextHopMtu !== undefined) {
      fields.push(field(UNUSED_BEFORE_MTU, offset, header.restOfHeader >>> 16));
      fields.push(field(NEXT_HOP_MTU, offset, header.nextHopMtu));
    } else if (
      header.type === ICMP_TYPE.DESTINATION_UNREACHABLE ||
      header.type === ICMP_TYPE.TIME_EXCEEDED
    ) {
      fields.push(field(UNUSED, offset, header.restOfHeader));
    }
  }
  let summary = "truncated ICMP header";
  if (header) {
    summary = TYPE_NAMES[header.type] ?? `ICMP type ${header.type}`;
    const codeName = CODE_NAMES[header.type]?.[header.code];
    if (codeName) summary += ` (${codeName})`;
    if (header.identifier !== undefined)
      summary += ` id ${hex16(header.identifier)} seq ${header.sequenceNumber}`;
    if (header.nextHopMtu !== undefined) summary += `, next-hop MTU ${header.nextHopMtu}`;
  }
  return {
    decoded,
    layer: {
      protocol: "icmp",
      title: "Internet Control Message Protocol",
      byteOffset: offset,
      byteLength: Math.min(8, available),
      fields,
      summary,
      checksum,
      errors,
    },
  };
}
