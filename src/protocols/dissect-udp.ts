// The UDP layer of a dissection (RFC 768).
import { field, hex16, spec } from "./field.ts";
import { decodeUdpWithAddresses, type UdpDecoded } from "./udp.ts";
import type { ChecksumStatus, Field, Layer } from "./types.ts";

const SOURCE_PORT = spec("sourcePort", "Source Port", "udp.srcport", 0, 16);
const DESTINATION_PORT = spec("destinationPort", "Destination Port", "udp.dstport", 16, 16);
const LENGTH = spec("length", "Length", "udp.length", 32, 16);
const CHECKSUM = spec("checksum", "Checksum", "udp.checksum", 48, 16);

// What follows the checksum's hex in its display, made once rather than per packet.
const CHECKSUM_NOTES: Record<ChecksumStatus, string> = {
  valid: " (valid)",
  invalid: " (invalid)",
  unverified: " (unverified)",
  none: " (none: the sender did not compute one)",
};

export interface UdpDissection {
  layer: Layer;
  decoded: UdpDecoded;
}

/**
 * Dissects the UDP header at `offset`; `bytes` is the IP payload. When the IP packet is the
 * first fragment of a larger datagram, or an ICMP error quotes only its start, the rest is
 * elsewhere, which is not an error.
 */
export function dissectUdp(
  bytes: Uint8Array,
  offset: number,
  /** The IPv4 addresses as uint32s for the pseudo-header checksum; null when unknown. */
  addresses: { source: number; destination: number } | null,
  /** Why the datagram may legitimately be cut short: a first fragment, or an ICMP quote. */
  partial: "first fragment" | "quoted" | undefined,
): UdpDissection {
  const decoded = decodeUdpWithAddresses(
    bytes,
    addresses?.source ?? null,
    addresses?.destination ?? null,
  );
  const available = bytes.length;
  let fields: Field[];
  let checksum: Layer["checksum"];
  let errors = decoded.errors;
  if (available >= 8) {
    const value = u16(bytes, 6);
    checksum = decoded.checksumStatus;
    // A fragment's checksum covers the whole datagram, which is not here even when the UDP
    // length happens to fit (Wireshark does not verify fragments either).
    if (partial === "first fragment" && checksum !== "none") checksum = "unverified";
    // Written out whole: an array literal is sized exactly, pushes would leave spare slots in
    // every dissection netsim keeps.
    fields = [
      field(SOURCE_PORT, offset, u16(bytes, 0)),
      field(DESTINATION_PORT, offset, u16(bytes, 2)),
      field(LENGTH, offset, u16(bytes, 4)),
      field(CHECKSUM, offset, value, hex16(value) + CHECKSUM_NOTES[checksum]),
    ];
    if (checksum === "invalid") errors.push(`UDP checksum ${hex16(value)} does not match the data`);
  } else {
    fields = [];
    if (available >= 2) fields.push(field(SOURCE_PORT, offset, u16(bytes, 0)));
    if (available >= 4) fields.push(field(DESTINATION_PORT, offset, u16(bytes, 2)));
    if (available >= 6) fields.push(field(LENGTH, offset, u16(bytes, 4)));
  }
  const header = decoded.header;
  const cutShort = partial !== undefined && header !== null && header.length > available;
  if (cutShort) {
    errors = [];
    checksum = "unverified";
  }
  const summary = header
    ? `port ${header.sourcePort} → ${header.destinationPort}, length ${header.length}` +
      (cutShort ? ` (${partial}: ${available} of ${header.length} bytes)` : "")
    : "truncated UDP header";
  return {
    decoded,
    layer: {
      protocol: "udp",
      title: "User Datagram Protocol",
      byteOffset: offset,
      byteLength: Math.min(8, available),
      fields,
      summary,
      checksum,
      errors,
    },
  };
}

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}
