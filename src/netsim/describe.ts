// A one-line description of a packet, used until protocols' dissectPacket is wired in.
import { decodeIpv4, IP_PROTOCOL } from "../protocols/ipv4.ts";
import { decodeUdp } from "../protocols/udp.ts";
import type { Dissection } from "../protocols/types.ts";

export function describePacket(bytes: Uint8Array): Dissection {
  const { header, payload } = decodeIpv4(bytes);
  if (!header) return { layers: [], summary: `${bytes.length} bytes, not an IPv4 packet` };
  const fragment =
    header.moreFragments || header.fragmentOffset > 0
      ? `, fragment at offset ${header.fragmentOffset * 8}${header.moreFragments ? " (more follow)" : ""}`
      : "";
  if (header.protocol === IP_PROTOCOL.UDP && header.fragmentOffset === 0) {
    const udp = decodeUdp(payload);
    if (udp.header) {
      return {
        layers: [],
        summary: `${header.source}:${udp.header.sourcePort} → ${header.destination}:${udp.header.destinationPort} UDP, ${udp.payload.length} bytes${fragment}`,
      };
    }
  }
  const protocol =
    header.protocol === IP_PROTOCOL.ICMP
      ? "ICMP"
      : header.protocol === IP_PROTOCOL.UDP
        ? "UDP"
        : `protocol ${header.protocol}`;
  return {
    layers: [],
    summary: `${header.source} → ${header.destination} ${protocol}, ${payload.length} bytes${fragment}`,
  };
}
