// The IPv4 layer of a dissection (RFC 791 §3.1), with Wireshark's field names alongside.
import { internetChecksum } from "./checksum.ts";
import { field, fits, hex16, spec } from "./field.ts";
import { decodeIpv4, type Ipv4Decoded } from "./ipv4.ts";
import { optionsField, sourceRouteDestination } from "./dissect-ipv4-options.ts";
import { sharedAtStart } from "./shared-field.ts";
import type { ChecksumStatus, Field, Layer } from "./types.ts";

const VERSION = spec("version", "Version", "ip.version", 0, 4);
// The RFC's IHL counts 32-bit words; Wireshark's ip.hdr_len counts bytes. The same four bits
// carry both: the bytes as a child field, so a field-by-field comparison by Wireshark name
// compares like with like.
const IHL = spec("ihl", "Internet Header Length", undefined, 4, 4);
const HEADER_LENGTH = spec("headerLength", "Header Length", "ip.hdr_len", 4, 4);
const DSCP = spec("dscp", "Differentiated Services Code Point", "ip.dsfield.dscp", 8, 6);
const ECN = spec("ecn", "Explicit Congestion Notification", "ip.dsfield.ecn", 14, 2);
const TOTAL_LENGTH = spec("totalLength", "Total Length", "ip.len", 16, 16);
const IDENTIFICATION = spec("identification", "Identification", "ip.id", 32, 16);
const FLAGS = spec("flags", "Flags", "ip.flags", 48, 3);
const RESERVED = spec("reserved", "Reserved", "ip.flags.rb", 48, 1);
const DONT_FRAGMENT = spec("dontFragment", "Don't Fragment", "ip.flags.df", 49, 1);
const MORE_FRAGMENTS = spec("moreFragments", "More Fragments", "ip.flags.mf", 50, 1);
// 8-byte units as on the wire, as Wireshark 4's ip.frag_offset shows them.
const FRAGMENT_OFFSET = spec("fragmentOffset", "Fragment Offset", "ip.frag_offset", 51, 13);
const TTL = spec("ttl", "Time to Live", "ip.ttl", 64, 8);
const PROTOCOL = spec("protocol", "Protocol", "ip.proto", 72, 8);
const HEADER_CHECKSUM = spec("headerChecksum", "Header Checksum", "ip.checksum", 80, 16);
const SOURCE = spec("source", "Source Address", "ip.src", 96, 32);
const DESTINATION = spec("destination", "Destination Address", "ip.dst", 128, 32);
// With a source route under way the header holds only the next hop; Wireshark then calls it
// ip.cur_rt and gives ip.dst to the route's last address.
const NEXT_HOP = spec("destination", "Destination Address (next hop)", "ip.cur_rt", 128, 32);

const PROTOCOL_NAMES: Record<number, string> = {
  1: "ICMP",
  2: "IGMP",
  6: "TCP",
  17: "UDP",
  41: "IPv6",
  47: "GRE",
  50: "ESP",
  89: "OSPF",
  132: "SCTP",
};

// Every summary names the protocol: one array read instead of a lookup in a sparse object.
const PROTOCOL_NAME_TEXTS = Array.from(
  { length: 256 },
  (_, p) => PROTOCOL_NAMES[p] ?? `protocol ${p}`,
);

export function protocolKnown(protocol: number): boolean {
  return PROTOCOL_NAMES[protocol] !== undefined;
}

export function protocolName(protocol: number): string {
  return PROTOCOL_NAME_TEXTS[protocol] ?? PROTOCOL_NAMES[protocol] ?? `protocol ${protocol}`;
}

// ", TTL 64, UDP": the end of the layer summary, made once per TTL and protocol pair (at most
// 65,536, filled lazily) and shared by the dissections that netsim keeps.
const SUMMARY_ENDINGS = new Array<string | undefined>(0x10000).fill(undefined);

function summaryEnding(ttl: number, protocol: number): string {
  return (SUMMARY_ENDINGS[(ttl << 8) | protocol] ??= `, TTL ${ttl}, ${protocolName(protocol)}`);
}

// Display strings of the small fields, made once: every packet would otherwise build them anew.
const IHL_DISPLAY = Array.from({ length: 16 }, (_, ihl) => `${ihl} (${ihl * 4} bytes)`);
const PROTOCOL_DISPLAY = Array.from({ length: 256 }, (_, p) => `${protocolName(p)} (${p})`);
const FLAGS_DISPLAY = Array.from({ length: 8 }, (_, f) =>
  flagsDisplay((f & 4) !== 0, (f & 2) !== 0, (f & 1) !== 0),
);

// The fields that come out the same for most packets, shared between dissections (see
// shared-field.ts). The field's value must be below 2^bits: each reads exactly that many bits.
const versionField = sharedAtStart(4, (offset, v) => field(VERSION, offset, v));
const ihlField = sharedAtStart(4, (offset, ihl) =>
  field(IHL, offset, ihl, IHL_DISPLAY[ihl], [
    field(HEADER_LENGTH, offset, ihl * 4, `${ihl * 4} bytes`),
  ]),
);
const dscpField = sharedAtStart(6, (offset, v) => field(DSCP, offset, v));
const ecnField = sharedAtStart(2, (offset, v) => field(ECN, offset, v));
const flagsField = sharedAtStart(3, (offset, flags) => {
  const reserved = (flags & 4) !== 0;
  const dontFragment = (flags & 2) !== 0;
  const moreFragments = (flags & 1) !== 0;
  return field(FLAGS, offset, flags, FLAGS_DISPLAY[flags], [
    field(RESERVED, offset, reserved, reserved ? "Set (must be zero)" : "Not set"),
    field(DONT_FRAGMENT, offset, dontFragment, dontFragment ? "Set" : "Not set"),
    field(MORE_FRAGMENTS, offset, moreFragments, moreFragments ? "Set" : "Not set"),
  ]);
});
const fragmentOffsetField = sharedAtStart(13, (offset, units) =>
  field(
    FRAGMENT_OFFSET,
    offset,
    units,
    units === 0 ? "0 (0 bytes)" : `${units} (${units * 8} bytes)`,
  ),
);
const ttlField = sharedAtStart(8, (offset, ttl) => field(TTL, offset, ttl));
const protocolField = sharedAtStart(8, (offset, protocol) =>
  field(PROTOCOL, offset, protocol, PROTOCOL_DISPLAY[protocol]),
);

// What follows the checksum's hex in its display, made once rather than per packet.
const CHECKSUM_NOTES: Record<ChecksumStatus, string> = {
  valid: " (valid)",
  invalid: " (invalid)",
  unverified: " (unverified)",
  none: " (none)",
};

export interface Ipv4Dissection {
  layer: Layer;
  decoded: Ipv4Decoded;
  /** Byte offset of the payload in the packet. */
  payloadOffset: number;
}

/** Dissects an IPv4 header; `bytes` start at the header, which sits at `offset` in the packet. */
export function dissectIpv4(bytes: Uint8Array, offset: number, title: string): Ipv4Dissection {
  const decoded = decodeIpv4(bytes);
  const available = bytes.length;
  const errors = decoded.errors;
  const fields: Field[] = [];
  const b0 = bytes[0];
  if (b0 !== undefined) {
    fields.push(versionField(offset, b0 >>> 4));
    fields.push(ihlField(offset, b0 & 15));
  }
  const b1 = bytes[1];
  if (b1 !== undefined) {
    fields.push(dscpField(offset, b1 >>> 2));
    fields.push(ecnField(offset, b1 & 3));
  }
  if (available >= 4) fields.push(field(TOTAL_LENGTH, offset, u16(bytes, 2)));
  if (available >= 6) {
    const id = u16(bytes, 4);
    fields.push(field(IDENTIFICATION, offset, id, `${hex16(id)} (${id})`));
  }
  if (available >= 8) {
    const word = u16(bytes, 6);
    fields.push(flagsField(offset, word >>> 13));
    fields.push(fragmentOffsetField(offset, word & 0x1fff));
  } else if (available >= 7) {
    fields.push(field(FLAGS, offset, bytes[6]! >>> 5));
  }
  if (available >= 9) fields.push(ttlField(offset, bytes[8]!));
  if (available >= 10) fields.push(protocolField(offset, bytes[9]!));
  let checksum: Layer["checksum"];
  if (available >= 12) {
    const value = u16(bytes, 10);
    const status: ChecksumStatus =
      decoded.header && fits(HEADER_CHECKSUM, available) ? statusOf(decoded, bytes) : "unverified";
    checksum = status;
    fields.push(field(HEADER_CHECKSUM, offset, value, hex16(value) + CHECKSUM_NOTES[status]));
    if (checksum === "invalid") {
      const copy = bytes.slice(0, decoded.header!.ihl * 4);
      copy[10] = 0;
      copy[11] = 0;
      errors.push(
        `header checksum ${hex16(value)} is wrong: the header sums to ${hex16(internetChecksum(copy))}`,
      );
    }
  }
  if (fits(SOURCE, available))
    fields.push(field(SOURCE, offset, decoded.header?.source ?? address(bytes, 12)));
  const header = decoded.header;
  if (fits(DESTINATION, available)) {
    const routed = header !== null && header.options.length > 0;
    fields.push(
      field(
        routed && sourceRouteDestination(header.options) !== null ? NEXT_HOP : DESTINATION,
        offset,
        header?.destination ?? address(bytes, 16),
      ),
    );
  }
  const headerLength = header ? 20 + header.options.length : Math.min(available, 20);
  if (header && header.options.length > 0) {
    fields.push(optionsField(header.options, offset + 20, errors));
  }
  const layer: Layer = {
    protocol: "ipv4",
    title,
    byteOffset: offset,
    byteLength: headerLength,
    fields,
    summary: header
      ? header.source + " → " + header.destination + summaryEnding(header.ttl, header.protocol)
      : "truncated IPv4 header",
    checksum,
    errors,
  };
  return { layer, decoded, payloadOffset: offset + headerLength };
}

function statusOf(decoded: Ipv4Decoded, bytes: Uint8Array): ChecksumStatus {
  const header = decoded.header!;
  if (header.ihl < 5 || header.ihl * 4 > bytes.length) return "unverified";
  return decoded.checksumValid ? "valid" : "invalid";
}

function flagsDisplay(reserved: boolean, dontFragment: boolean, moreFragments: boolean): string {
  const set: string[] = [];
  if (reserved) set.push("Reserved");
  if (dontFragment) set.push("Don't Fragment");
  if (moreFragments) set.push("More Fragments");
  return set.length === 0 ? "none" : set.join(", ");
}

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function address(bytes: Uint8Array, at: number): string {
  return `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;
}

export { sourceRouteDestination };
