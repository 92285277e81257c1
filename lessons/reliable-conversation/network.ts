// The lesson's network, shared by topology.ts and the checks. Alice and the web server get
// addresses per session; the learner finds them through the name server, as in lesson 1.
import { decodeIpv4 } from "../../src/protocols/ipv4.ts";
import { decodeTcp, type TcpHeader } from "../../src/protocols/tcp.ts";
import { fromHex } from "../../src/protocols/hex.ts";
import type { PacketEvent, TopologySpec } from "../../src/netsim/types.ts";

export const LEARNER_ADDRESS = "10.0.0.2";
export const NAME_SERVER_ADDRESS = "10.0.0.53";
export const ALICE_NAME = "alice.packetlab.test";
export const WWW_NAME = "www.packetlab.test";
export const ALICE_PORT = 1000;
export const HTTP_PORT = 80;
/** How often the link to Alice loses a packet in the "lossy-link" exercise. */
export const LOSS = 0.1;
export const SEGMENT_FILE = "segment.bin";
export const LETTER_FILE = "letter.txt";

export function hostAddress(topology: TopologySpec, host: string): string {
  const found = topology.hosts.find((h) => h.name === host);
  if (!found) throw new Error(`the topology has no host "${host}"`);
  return found.address;
}

/** One TCP segment of the trace, decoded. */
export interface TracedSegment {
  event: PacketEvent;
  source: string;
  destination: string;
  tcp: TcpHeader;
  payload: Uint8Array;
  checksum: string;
}

export function tcpSegments(events: readonly PacketEvent[]): TracedSegment[] {
  const out: TracedSegment[] = [];
  for (const event of events) {
    const ip = decodeIpv4(fromHex(event.hex));
    if (!ip.header || ip.header.protocol !== 6 || ip.header.fragmentOffset !== 0) continue;
    const decoded = decodeTcp(ip.payload, {
      source: ip.header.source,
      destination: ip.header.destination,
    });
    if (!decoded.header) continue;
    out.push({
      event,
      source: ip.header.source,
      destination: ip.header.destination,
      tcp: decoded.header,
      payload: decoded.payload,
      checksum: decoded.checksumStatus,
    });
  }
  return out;
}

const FLAG_NAMES: [number, string][] = [
  [0x080, "CWR"],
  [0x040, "ECE"],
  [0x020, "URG"],
  [0x010, "ACK"],
  [0x008, "PSH"],
  [0x004, "RST"],
  [0x002, "SYN"],
  [0x001, "FIN"],
];

/** "SYN ACK": the set flags, in header order. */
export function flagText(flags: number): string {
  return (
    FLAG_NAMES.filter(([bit]) => flags & bit)
      .map(([, name]) => name)
      .join(" ") || "none"
  );
}
