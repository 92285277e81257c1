// The run's packet record: one PacketEvent per packet per link traversal, numbered in the order
// each becomes final. A packet is "in flight" from the moment it is put on a link until its
// fate is known; fragments wait for their datagram's fate (reassembled and delivered, or timed
// out), so their events are final only then.
import { hexOf } from "./hex.ts";
import type { Dissection } from "../protocols/types.ts";
import type { PacketEvent, PacketFate, VirtualMicros } from "./types.ts";

export interface InFlight {
  sentUs: VirtualMicros;
  arrivedUs?: VirtualMicros;
  from: string;
  to: string;
  bytes: Uint8Array;
  final: boolean;
}

export interface PacketLog {
  readonly events: PacketEvent[];
  /** Notes a packet put on a link, whose fate is decided later. */
  track(packet: InFlight): void;
  finalise(packet: InFlight, fate: PacketFate): void;
  /** Gives every packet still in flight this fate, in the order they were sent. */
  finaliseInFlight(fate: PacketFate): void;
}

export function createPacketLog(
  dissect: (bytes: Uint8Array) => Dissection,
  onPacket: ((event: PacketEvent) => void) | undefined,
): PacketLog {
  const events: PacketEvent[] = [];
  // Insertion order is send order, which is the order a trace should show them in.
  const inFlight = new Set<InFlight>();
  const log: PacketLog = {
    events,
    track(packet) {
      inFlight.add(packet);
    },
    finaliseInFlight(fate) {
      for (const packet of [...inFlight]) log.finalise(packet, fate);
    },
    finalise(packet, fate) {
      if (packet.final) return;
      packet.final = true;
      inFlight.delete(packet);
      const dissection = dissect(packet.bytes);
      const event: PacketEvent = {
        seq: events.length + 1,
        sentUs: packet.sentUs,
        ...(packet.arrivedUs === undefined ? {} : { arrivedUs: packet.arrivedUs }),
        from: packet.from,
        to: packet.to,
        length: packet.bytes.length,
        hex: hexOf(packet.bytes),
        layers: dissection.layers,
        summary: dissection.summary,
        topProtocol: dissection.topProtocol,
        fate,
      };
      events.push(event);
      onPacket?.(event);
    },
  };
  return log;
}

export const DELIVERED: PacketFate = Object.freeze({ status: "delivered" });

export function dropped(
  reason: Extract<PacketFate, { status: "dropped" }>["reason"],
  detail: string,
): PacketFate {
  return { status: "dropped", reason, detail };
}
