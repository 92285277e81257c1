// The numbers a learner needs to fix a packet: what a checksum should have been, and which
// bytes of a datagram never arrived.
import { parseIpv4Address } from "../protocols/address.ts";
import { foldSum, sumWords } from "../protocols/checksum.ts";
import type { Ipv4Header } from "../protocols/ipv4.ts";
import { pseudoHeaderSum } from "../protocols/udp.ts";
import { REASSEMBLY_TIMEOUT_US, type PartialDatagram } from "./reassembly.ts";

export function hex16(value: number): string {
  return `0x${value.toString(16).padStart(4, "0")}`;
}

/** The header checksum the sender should have written (RFC 1071 over the header, field zeroed). */
export function expectedHeaderChecksum(packet: Uint8Array, header: Ipv4Header): number {
  // The field itself added exactly its value to the sum; take it back out.
  return ~foldSum(sumWords(packet, 0, 0, header.ihl * 4) - header.headerChecksum) & 0xffff;
}

/** The UDP checksum the sender should have written (RFC 768, with the IPv4 pseudo-header). */
export function expectedUdpChecksum(
  header: Ipv4Header,
  datagram: Uint8Array,
  udpLength: number,
  given: number,
): number {
  const source = parseIpv4Address(header.source) ?? 0;
  const destination = parseIpv4Address(header.destination) ?? 0;
  const sum =
    sumWords(datagram.subarray(0, udpLength), pseudoHeaderSum(source, destination, udpLength)) -
    given;
  const checksum = ~foldSum(sum) & 0xffff;
  // RFC 768: a computed zero is sent as all ones.
  return checksum === 0 ? 0xffff : checksum;
}

export function describeIncomplete(datagram: PartialDatagram): string {
  const id = hex16(datagram.identification);
  const have = datagram.heldBytes;
  const end = datagram.payloadLength;
  const gaps: string[] = [];
  let cursor = 0;
  for (const piece of datagram.pieces) {
    if (piece.start > cursor) gaps.push(`${cursor}–${piece.start - 1}`);
    cursor = Math.max(cursor, piece.start + piece.data.length);
  }
  if (end === undefined) gaps.push(`${cursor}… (the last fragment never came)`);
  else if (cursor < end) gaps.push(`${cursor}–${end - 1}`);
  const total = end === undefined ? "an unknown number of" : String(end);
  return `datagram ${id} from ${datagram.source}: ${have} of ${total} bytes arrived within ${REASSEMBLY_TIMEOUT_US / 1_000_000} s; missing bytes ${gaps.join(", ")}`;
}
