// What a run did on the wire, in words that are the same for every learner of a lesson: hosts
// by name, not by their per-session address ("UDP to alice:100, UDP to ns:53"). Wrong answers
// are grouped by it, so a teacher reads "UDP to alice:100: 7 learners" instead of 7 histories.
import type { PacketEvent, TopologySpec } from "../netsim/types.ts";
import { tracePacket } from "./kit/trace.ts";

const MAX_LENGTH = 300;

/** Distinct destinations the learner's host sent to, sorted; "sent nothing" when none. */
export function summariseWire(
  packets: readonly PacketEvent[],
  topology: Pick<TopologySpec, "hosts" | "learnerHost">,
): string {
  const names = new Map(topology.hosts.map((host) => [host.address, host.name]));
  const seen = new Set<string>();
  for (const event of packets) {
    if (event.from !== topology.learnerHost) continue;
    const packet = tracePacket(event);
    if (!packet.ip || packet.ip.fragmentOffset > 0) continue;
    const host = names.get(packet.ip.destination) ?? packet.ip.destination;
    if (packet.udp) {
      const empty = packet.udpPayload.length === 0 && !packet.fragment ? " (empty)" : "";
      seen.add(`UDP to ${host}:${packet.udp.destinationPort}${empty}`);
    } else {
      seen.add(`IPv4 protocol ${packet.ip.protocol} to ${host}`);
    }
  }
  if (seen.size === 0) return "sent nothing";
  const text = [...seen].sort().join(", ");
  return text.length <= MAX_LENGTH ? text : `${text.slice(0, MAX_LENGTH - 1)}…`;
}
