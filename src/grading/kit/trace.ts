// The packet trace as checks want to read it: each event's bytes decoded once into IPv4 and UDP
// headers, with the decoders' own error sentences kept for feedback ("UDP length 8 exceeds…").
import type { DropReason, PacketEvent } from "../../netsim/types.ts";
import type { FieldPath } from "../../protocols/field-path.ts";
import { decodeIpv4, type Ipv4Header, IP_PROTOCOL } from "../../protocols/ipv4.ts";
import { decodeUdp, type UdpHeader } from "../../protocols/udp.ts";
import type { ChecksumStatus } from "../../protocols/types.ts";

export interface TracedPacket {
  event: PacketEvent;
  bytes: Uint8Array;
  /** null when the packet is shorter than an IPv4 header. */
  ip: Ipv4Header | null;
  ipChecksumValid: boolean;
  /** A piece of a larger datagram (More Fragments set, or a non-zero offset). */
  fragment: boolean;
  /** Present for the first (or only) fragment of a UDP packet. */
  udp: UdpHeader | null;
  udpPayload: Uint8Array;
  udpChecksum: ChecksumStatus | null;
  /** Every problem the decoders found, IPv4 first. */
  errors: string[];
}

// One cache for every copy of this module, under a registered symbol: the lessons' checks are
// bundled with a copy of the kit of their own (at build or at start-up), and the grader's wire
// summary, which uses the service's copy, then decoded each of a run's packets a second time.
const CACHE = Symbol.for("packetlab.tracedPackets");
const cache = ((globalThis as { [CACHE]?: WeakMap<PacketEvent, TracedPacket> })[CACHE] ??=
  new WeakMap<PacketEvent, TracedPacket>());

export function tracePacket(event: PacketEvent): TracedPacket {
  const cached = cache.get(event);
  if (cached) return cached;
  const bytes = safeFromHex(event.hex);
  const ip = decodeIpv4(bytes);
  const header = ip.header;
  const fragment = header !== null && (header.moreFragments || header.fragmentOffset > 0);
  let udp: TracedPacket["udp"] = null;
  let udpPayload: Uint8Array = new Uint8Array(0);
  let udpChecksum: ChecksumStatus | null = null;
  const errors = [...ip.errors];
  if (header && header.protocol === IP_PROTOCOL.UDP && header.fragmentOffset === 0) {
    // A first fragment holds only part of the datagram: its UDP length and checksum cannot be
    // judged until reassembly, so only the ports are read.
    const decoded = decodeUdp(
      ip.payload,
      header.moreFragments ? undefined : { source: header.source, destination: header.destination },
    );
    udp = decoded.header;
    udpPayload = decoded.payload;
    udpChecksum = header.moreFragments ? null : decoded.checksumStatus;
    if (!header.moreFragments) errors.push(...decoded.errors);
  }
  const traced: TracedPacket = {
    event,
    bytes,
    ip: header,
    ipChecksumValid: ip.checksumValid,
    fragment,
    udp,
    udpPayload,
    udpChecksum,
    errors,
  };
  cache.set(event, traced);
  return traced;
}

export function tracePackets(events: readonly PacketEvent[]): TracedPacket[] {
  return events.map(tracePacket);
}

/** Packets a host put on the wire (for the learner: everything their program sent). */
export function sentBy(events: readonly PacketEvent[], host: string): TracedPacket[] {
  return events.filter((event) => event.from === host).map(tracePacket);
}

/** Packets that crossed the last link into `host` and were accepted there. */
export function deliveredTo(events: readonly PacketEvent[], host: string): TracedPacket[] {
  return events
    .filter((event) => event.to === host && event.fate.status === "delivered")
    .map(tracePacket);
}

export function dropReason(packet: TracedPacket): string | null {
  const fate = packet.event.fate;
  return fate.status === "dropped" ? `${fate.reason}: ${fate.detail}` : null;
}

// The field a drop reason blames, so feedback about a dropped packet links to what to fix.
const DROP_FIELDS: Partial<Record<DropReason, FieldPath>> = {
  "bad-header-checksum": "ipv4.headerChecksum",
  "bad-udp-checksum": "udp.checksum",
  "bad-tcp-checksum": "tcp.checksum",
  "ttl-expired": "ipv4.ttl",
  "no-route": "ipv4.destination",
  "not-for-this-host": "ipv4.destination",
  "port-unreachable": "udp.destinationPort",
  "fragmentation-needed": "ipv4.flags.dontFragment",
};

/** The header field a dropped packet's reason points at (its checksum, its TTL…), if one. */
export function dropField(packet: { event: PacketEvent }): FieldPath | undefined {
  const fate = packet.event.fate;
  return fate.status === "dropped" ? DROP_FIELDS[fate.reason] : undefined;
}

/** Decoded payload text, with control bytes made visible so feedback never prints garbage. */
export function payloadText(payload: Uint8Array, max = 60): string {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(payload);
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  // eslint-disable-next-line no-control-regex
  return shown.replace(/[\u0000-\u001f\u007f]/g, "·");
}

// Events carry lower-case hex without separators (netsim's contract), which Buffer reads fast;
// anything else decodes to as many bytes as are valid, never throws.
function safeFromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(typeof hex === "string" ? hex : "", "hex"));
}
