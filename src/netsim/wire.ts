// Putting packets on links: latency, and the link's seeded loss, duplication and reordering.
// Every copy that is put on a link counts against the run's packet and byte limits.
import type { LimitGuard, ResolvedLimits } from "./limits.ts";
import { dropped, type InFlight, type PacketLog } from "./packet-log.ts";
import type { Random } from "./random.ts";
import { otherEnd, type RouteLink } from "./routing.ts";
import type { VirtualMicros } from "./types.ts";

export interface Wire {
  /** Puts `bytes` on `link` from `fromHost`; `arrive` runs when (and if) it reaches the far end. */
  transmit(fromHost: string, link: RouteLink, bytes: Uint8Array): void;
  /**
   * Counts a packet a host sends to itself: no wire and no event, but traffic all the same
   * (a spoofed datagram from Alice to Alice would otherwise have her answer herself forever).
   */
  countLoopback(bytes: Uint8Array): void;
  /** Records a packet that never left `fromHost` (no route, too big); it still counts. */
  refuse(
    fromHost: string,
    toHost: string,
    bytes: Uint8Array,
    fate: ReturnType<typeof dropped>,
  ): void;
  readonly packets: number;
  readonly bytes: number;
}

export function createWire(deps: {
  now: () => VirtualMicros;
  schedule: (atUs: VirtualMicros, run: () => void) => void;
  limits: ResolvedLimits;
  guard: LimitGuard;
  log: PacketLog;
  linkRandom: (link: RouteLink) => Random;
  arrive: (toHost: string, packet: InFlight) => void;
}): Wire {
  let packets = 0;
  let bytes = 0;

  const count = (length: number): void => {
    deps.guard.check();
    if (packets + 1 > deps.limits.maxPackets) {
      deps.guard.trip(
        "PACKET_LIMIT",
        `the run reached its limit of ${deps.limits.maxPackets} packets; is a loop sending without end?`,
      );
    }
    if (bytes + length > deps.limits.maxBytes) {
      deps.guard.trip(
        "BYTE_LIMIT",
        `the run reached its limit of ${deps.limits.maxBytes} bytes on the network`,
      );
    }
    packets++;
    bytes += length;
  };

  const sendCopy = (
    fromHost: string,
    link: RouteLink,
    packet: Uint8Array,
    random: Random,
    mayDuplicate: boolean,
  ): void => {
    count(packet.length);
    const toHost = otherEnd(link, fromHost);
    const now = deps.now();
    const inFlight: InFlight = {
      sentUs: now,
      from: fromHost,
      to: toHost,
      bytes: packet,
      final: false,
    };
    deps.log.track(inFlight);
    // Draw all three each time so one probability never shifts the others' sequence.
    const lost = random.next() < link.loss;
    const duplicated = random.next() < link.duplicate;
    const reorderDraw = random.next();
    const extraDraw = random.next();
    if (lost) {
      deps.log.finalise(
        inFlight,
        dropped("lost", `lost on the link ${fromHost} – ${toHost} (loss probability ${link.loss})`),
      );
      return;
    }
    // Reordering is extra delay of up to twice the latency, enough for later packets to overtake.
    const extra =
      reorderDraw < link.reorder ? 1 + Math.floor(extraDraw * 2 * Math.max(link.latencyUs, 1)) : 0;
    const arrivedUs = now + link.latencyUs + extra;
    deps.schedule(arrivedUs, () => {
      inFlight.arrivedUs = arrivedUs;
      deps.arrive(toHost, inFlight);
    });
    if (duplicated && mayDuplicate) sendCopy(fromHost, link, packet, random, false);
  };

  return {
    transmit(fromHost, link, packet) {
      sendCopy(fromHost, link, packet, deps.linkRandom(link), true);
    },
    countLoopback(packet) {
      count(packet.length);
    },
    refuse(fromHost, toHost, packet, fate) {
      count(packet.length);
      deps.log.finalise(
        { sentUs: deps.now(), from: fromHost, to: toHost, bytes: packet, final: false },
        fate,
      );
    },
    get packets() {
      return packets;
    },
    get bytes() {
      return bytes;
    },
  };
}
