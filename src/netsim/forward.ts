// What a router does with a packet that is not for it (RFC 791 §3.2, RFC 1812 §5.2 in spirit):
// check TTL, find the next link, respect Don't Fragment, then pass it on with TTL − 1 and a
// recomputed header checksum, fragmenting if the next link is smaller.
import { internetChecksum } from "../protocols/checksum.ts";
import {
  encodeDestinationUnreachable,
  encodeTimeExceeded,
  ICMP_TIME_EXCEEDED_CODE,
  ICMP_UNREACHABLE_CODE,
} from "../protocols/icmp.ts";
import type { Ipv4Header } from "../protocols/ipv4.ts";
import { fragmentPacket } from "./fragment.ts";
import { DELIVERED, dropped, type InFlight, type PacketLog } from "./packet-log.ts";
import { otherEnd, type Routing } from "./routing.ts";
import type { Wire } from "./wire.ts";

export interface ForwarderDeps {
  /** The router's name, and "address (name)" for details. */
  me: string;
  label: string;
  log: PacketLog;
  wire: Wire;
  routing: Routing;
  hostNamed: (address: string) => string | undefined;
  sendIcmpError: (icmp: Uint8Array, original: Uint8Array) => void;
}

export function createForwarder(deps: ForwarderDeps) {
  const { me, label, log, wire, routing, sendIcmpError } = deps;

  return function forward(header: Ipv4Header, packet: InFlight): void {
    const bytes = packet.bytes;
    if (header.ttl <= 1) {
      log.finalise(
        packet,
        dropped(
          "ttl-expired",
          `TTL ran out at router ${label} (it arrived with TTL ${header.ttl})`,
        ),
      );
      sendIcmpError(encodeTimeExceeded(ICMP_TIME_EXCEEDED_CODE.TTL, bytes), bytes);
      return;
    }
    const destinationHost = deps.hostNamed(header.destination);
    const link = destinationHost === undefined ? undefined : routing.nextLink(me, destinationHost);
    if (!link) {
      const why =
        destinationHost === undefined
          ? "no host has that address"
          : `${destinationHost} cannot be reached from here`;
      log.finalise(
        packet,
        dropped("no-route", `router ${label} has no route to ${header.destination}: ${why}`),
      );
      sendIcmpError(encodeDestinationUnreachable(ICMP_UNREACHABLE_CODE.HOST, bytes), bytes);
      return;
    }
    if (bytes.length > link.mtu && header.dontFragment) {
      log.finalise(
        packet,
        dropped(
          "fragmentation-needed",
          `router ${label} cannot forward ${bytes.length} bytes over the ${link.mtu}-byte MTU towards ${otherEnd(link, me)}: Don't Fragment is set`,
        ),
      );
      sendIcmpError(
        encodeDestinationUnreachable(ICMP_UNREACHABLE_CODE.FRAGMENTATION_NEEDED, bytes, link.mtu),
        bytes,
      );
      return;
    }
    log.finalise(packet, DELIVERED);
    // Only TTL changes, so only the header checksum needs recomputing.
    const forwarded = bytes.slice();
    const headerLength = header.ihl * 4;
    forwarded[8] = header.ttl - 1;
    forwarded[10] = 0;
    forwarded[11] = 0;
    const checksum = internetChecksum(forwarded.subarray(0, headerLength));
    forwarded[10] = checksum >>> 8;
    forwarded[11] = checksum & 0xff;
    if (forwarded.length <= link.mtu) {
      wire.transmit(me, link, forwarded);
      return;
    }
    const fragments = fragmentPacket(
      { ...header, ttl: header.ttl - 1 },
      forwarded.subarray(headerLength),
      link.mtu,
    );
    for (const fragment of fragments) wire.transmit(me, link, fragment);
  };
}
