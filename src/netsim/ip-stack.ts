// One host's IPv4 layer: sending (routing, MTU, fragmentation), receiving (header checks,
// reassembly, UDP demultiplexing) and, on routers, forwarding. Each drop says why in words a
// learner can follow, and the ICMP errors a real stack would send are sent (RFC 1122 §3.2.2).
import { parseIpv4Address } from "../protocols/address.ts";
import { foldSum, internetChecksum, sumWords } from "../protocols/checksum.ts";
import {
  encodeDestinationUnreachable,
  encodeTimeExceeded,
  ICMP_TIME_EXCEEDED_CODE,
  ICMP_UNREACHABLE_CODE,
} from "../protocols/icmp.ts";
import { decodeIpv4, encodeIpv4, IP_PROTOCOL, type Ipv4Header } from "../protocols/ipv4.ts";
import { decodeUdp, encodeUdp, pseudoHeaderSum } from "../protocols/udp.ts";
import { NetworkError } from "./errors.ts";
import { fragmentPacket } from "./fragment.ts";
import type { ResolvedLimits } from "./limits.ts";
import { DELIVERED, dropped, type InFlight, type PacketLog } from "./packet-log.ts";
import type { Random } from "./random.ts";
import { createReassembly, REASSEMBLY_TIMEOUT_US, type PartialDatagram } from "./reassembly.ts";
import { otherEnd, type Routing } from "./routing.ts";
import type { BoundSocket, SocketTable } from "./sockets.ts";
import type { HostSpec, PacketFate, SocketAddress, VirtualMicros } from "./types.ts";
import type { Wire } from "./wire.ts";

/** RFC 768 over RFC 791: 65,535 − 20 (IPv4 header) − 8 (UDP header). */
export const MAX_UDP_PAYLOAD = 65_507;
const DEFAULT_TTL = 64;
// ICMP types that are errors: never answer one with another (RFC 1122 §3.2.2).
const ICMP_ERROR_TYPES = new Set([3, 4, 5, 11, 12]);

export interface HostDeps {
  spec: HostSpec;
  sockets: SocketTable;
  identificationRandom: Random;
  now: () => VirtualMicros;
  schedule: (atUs: VirtualMicros, run: () => void) => void;
  wire: Wire;
  log: PacketLog;
  routing: Routing;
  limits: ResolvedLimits;
  /** Which host owns an address, if any. */
  hostNamed: (address: string) => string | undefined;
}

export interface SimHost {
  readonly name: string;
  readonly address: string;
  readonly sockets: SocketTable;
  sendUdp(socket: BoundSocket, payload: Uint8Array, to: SocketAddress): void;
  sendRaw(packet: Uint8Array): void;
  receive(packet: InFlight): void;
}

export function createHost(deps: HostDeps): SimHost {
  const { spec, log, wire, routing } = deps;
  const me = spec.name;
  const label = `${spec.address} (${me})`;
  let identification = deps.identificationRandom.nextInt(0x10000);
  const nextIdentification = (): number => {
    const id = identification;
    identification = (identification + 1) & 0xffff;
    return id;
  };

  const reassembly = createReassembly({
    maxHeldBytes: deps.limits.maxReassemblyBytes,
    timeoutUs: REASSEMBLY_TIMEOUT_US,
    now: deps.now,
    schedule: deps.schedule,
    onTimeout: (datagram) => {
      const fate = dropped("reassembly-timeout", describeIncomplete(datagram));
      for (const packet of datagram.waiting) log.finalise(packet, fate);
      if (datagram.firstFragment) {
        sendIcmpError(
          encodeTimeExceeded(ICMP_TIME_EXCEEDED_CODE.REASSEMBLY, datagram.firstFragment),
          datagram.firstFragment,
        );
      }
    },
  });

  /**
   * Sends a packet this host made (or a learner's raw packet) towards its destination.
   * `fragmentable` is false for raw packets whose header is not sound: those go out as they
   * are or not at all.
   */
  const output = (packet: Uint8Array, header: Ipv4Header | null, fragmentable = true): void => {
    const destinationHost = header ? deps.hostNamed(header.destination) : undefined;
    if (destinationHost === me) {
      // Loopback: delivered inside the host, never on a wire, so no packet event.
      deps.schedule(deps.now(), () => {
        if (header) deliverLocally(header, decodeIpv4(packet).payload, undefined, packet);
      });
      return;
    }
    // Unknown or unreachable destinations go to the default route (the host's first link);
    // the next hop then drops them with a reason, as a real first-hop router would.
    const link =
      (destinationHost && routing.nextLink(me, destinationHost)) || routing.defaultLink(me);
    if (!link) {
      wire.refuse(me, me, packet, dropped("no-route", `${me} has no network link to send on`));
      return;
    }
    if (packet.length <= link.mtu) {
      wire.transmit(me, link, packet);
    } else if (!header || !fragmentable || header.dontFragment) {
      const reason = header && fragmentable ? "Don't Fragment is set" : "its header is not valid";
      wire.refuse(
        me,
        otherEnd(link, me),
        packet,
        dropped(
          "fragmentation-needed",
          `the ${packet.length}-byte packet does not fit the link's MTU of ${link.mtu} bytes and cannot be fragmented: ${reason}`,
        ),
      );
    } else {
      const payload = packet.subarray(header.ihl * 4, header.totalLength);
      for (const fragment of fragmentPacket(header, payload, link.mtu))
        wire.transmit(me, link, fragment);
    }
  };

  const sendIcmpError = (icmp: Uint8Array, original: Uint8Array): void => {
    const header = decodeIpv4(original).header;
    if (!header || header.fragmentOffset !== 0) return;
    const source = parseIpv4Address(header.source);
    if (source === null || source === 0 || source === 0xffffffff) return;
    if (
      header.protocol === IP_PROTOCOL.ICMP &&
      ICMP_ERROR_TYPES.has(original[header.ihl * 4] ?? -1)
    )
      return;
    const packet = encodeIpv4(
      {
        source: spec.address,
        destination: header.source,
        protocol: IP_PROTOCOL.ICMP,
        ttl: DEFAULT_TTL,
        identification: nextIdentification(),
      },
      icmp,
    );
    output(packet, decodeIpv4(packet).header);
  };

  /** Hands a whole datagram to its transport; `waiting` are the packet events it came in. */
  const deliverLocally = (
    header: Ipv4Header,
    payload: Uint8Array,
    waiting: InFlight[] | undefined,
    quote: Uint8Array,
  ): void => {
    const settle = (fate: PacketFate): void => {
      for (const packet of waiting ?? []) log.finalise(packet, fate);
    };
    if (header.protocol !== IP_PROTOCOL.UDP) {
      // ICMP errors and other protocols reach the host; nothing here reads them further.
      settle(DELIVERED);
      return;
    }
    const udp = decodeUdp(payload, { source: header.source, destination: header.destination });
    if (!udp.header || udp.errors.length > 0) {
      settle(dropped("malformed", `the UDP datagram is malformed: ${udp.errors.join("; ")}`));
      return;
    }
    if (udp.checksumStatus === "invalid") {
      const expected = expectedUdpChecksum(header, payload, udp.header.length, udp.header.checksum);
      settle(
        dropped(
          "bad-udp-checksum",
          `UDP checksum ${hex16(udp.header.checksum)} is wrong; expected ${hex16(expected)}`,
        ),
      );
      return;
    }
    const port = udp.header.destinationPort;
    const socket = deps.sockets.lookup(port);
    if (!socket) {
      settle(dropped("port-unreachable", `no socket is bound to UDP port ${port} on ${label}`));
      sendIcmpError(encodeDestinationUnreachable(ICMP_UNREACHABLE_CODE.PORT, quote), quote);
      return;
    }
    if (!socket.handler && socket.queue.length >= deps.limits.maxSocketQueue) {
      settle(
        dropped(
          "receive-queue-full",
          `the socket on UDP port ${port} of ${label} already holds ${socket.queue.length} unread datagrams`,
        ),
      );
      return;
    }
    settle(DELIVERED);
    const datagram = {
      payload: udp.payload.slice(),
      from: { address: header.source, port: udp.header.sourcePort },
    };
    if (socket.handler) socket.handler(datagram);
    else socket.queue.push(datagram);
  };

  const forward = (header: Ipv4Header, packet: InFlight): void => {
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
    // RFC 791 §3.2: decrement TTL and recompute the header checksum, nothing else changes.
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
    } else {
      const fragments = fragmentPacket(
        { ...header, ttl: header.ttl - 1 },
        forwarded.subarray(headerLength),
        link.mtu,
      );
      for (const fragment of fragments) wire.transmit(me, link, fragment);
    }
  };

  return {
    name: me,
    address: spec.address,
    sockets: deps.sockets,

    sendUdp(socket, payload, to) {
      const destination = typeof to?.address === "string" ? parseIpv4Address(to.address) : null;
      if (destination === null || destination === 0) {
        throw new NetworkError(
          "INVALID_ADDRESS",
          `cannot send to "${String(to?.address)}": not an IPv4 host address`,
        );
      }
      if (!Number.isInteger(to.port) || to.port < 1 || to.port > 65535) {
        throw new NetworkError(
          "INVALID_PORT",
          `cannot send to port ${String(to.port)}: ports go from 1 to 65535`,
        );
      }
      if (payload.length > MAX_UDP_PAYLOAD) {
        throw new NetworkError(
          "MESSAGE_TOO_LONG",
          `a UDP datagram carries at most ${MAX_UDP_PAYLOAD} bytes; this one has ${payload.length}`,
        );
      }
      const addresses = { source: spec.address, destination: to.address };
      const udp = encodeUdp(
        { sourcePort: socket.local.port, destinationPort: to.port },
        payload,
        addresses,
      );
      const packet = encodeIpv4(
        {
          ...addresses,
          protocol: IP_PROTOCOL.UDP,
          ttl: DEFAULT_TTL,
          identification: nextIdentification(),
        },
        udp,
      );
      output(packet, decodeIpv4(packet).header);
    },

    sendRaw(packet) {
      const bytes = packet.slice();
      const decoded = decodeIpv4(bytes);
      const sound =
        decoded.errors.length === 0 &&
        decoded.checksumValid &&
        decoded.header?.totalLength === bytes.length;
      output(bytes, decoded.header, sound);
    },

    receive(packet) {
      const bytes = packet.bytes;
      const decoded = decodeIpv4(bytes);
      const header = decoded.header;
      if (!header || header.version !== 4 || header.ihl < 5 || header.ihl * 4 > bytes.length) {
        log.finalise(
          packet,
          dropped("malformed", `not a readable IPv4 packet: ${decoded.errors.join("; ")}`),
        );
        return;
      }
      if (header.totalLength !== bytes.length) {
        log.finalise(
          packet,
          dropped(
            "malformed",
            `the header's total length ${header.totalLength} disagrees with the ${bytes.length} bytes received`,
          ),
        );
        return;
      }
      if (!decoded.checksumValid) {
        const headerSum = sumWords(bytes, 0, 0, header.ihl * 4) - header.headerChecksum;
        const expected = ~foldSum(headerSum) & 0xffff;
        log.finalise(
          packet,
          dropped(
            "bad-header-checksum",
            `header checksum ${hex16(header.headerChecksum)} is wrong; expected ${hex16(expected)}`,
          ),
        );
        return;
      }
      if (header.destination === spec.address) {
        if (header.moreFragments || header.fragmentOffset > 0) {
          const result = reassembly.add(header, decoded.payload, packet);
          if (result.kind === "rejected")
            log.finalise(packet, dropped(result.reason, result.detail));
          if (result.kind !== "complete") return;
          const quote = result.datagram.firstFragment ?? bytes;
          deliverLocally(
            { ...header, fragmentOffset: 0, moreFragments: false },
            result.payload,
            result.datagram.waiting,
            quote,
          );
          return;
        }
        deliverLocally(header, decoded.payload, [packet], bytes);
      } else if (spec.router) {
        forward(header, packet);
      } else if (deps.hostNamed(header.destination) === undefined) {
        log.finalise(
          packet,
          dropped(
            "no-route",
            `no host has the address ${header.destination}, and ${me} is not a router`,
          ),
        );
      } else {
        log.finalise(
          packet,
          dropped(
            "not-for-this-host",
            `the packet is for ${header.destination}, but this is ${label}, which does not forward packets`,
          ),
        );
      }
    },
  };
}

function expectedUdpChecksum(
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
  return checksum === 0 ? 0xffff : checksum;
}

function describeIncomplete(datagram: PartialDatagram): string {
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

function hex16(value: number): string {
  return `0x${value.toString(16).padStart(4, "0")}`;
}
