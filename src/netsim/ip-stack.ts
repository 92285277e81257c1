// One host's IPv4 layer: sending (routing, MTU, fragmentation), receiving (header checks,
// reassembly, UDP demultiplexing) and, on routers, forwarding. Each drop says why in words a
// learner can follow, and the ICMP errors a real stack would send are sent (RFC 1122 §3.2.2).
import { parseIpv4Address } from "../protocols/address.ts";
import {
  encodeDestinationUnreachable,
  encodeTimeExceeded,
  ICMP_TIME_EXCEEDED_CODE,
  ICMP_UNREACHABLE_CODE,
} from "../protocols/icmp.ts";
import { decodeIpv4, encodeIpv4, IP_PROTOCOL, type Ipv4Header } from "../protocols/ipv4.ts";
import { decodeUdp, encodeUdp } from "../protocols/udp.ts";
import {
  describeIncomplete,
  expectedHeaderChecksum,
  expectedUdpChecksum,
  hex16,
} from "./drop-details.ts";
import { NetworkError } from "./errors.ts";
import { createForwarder } from "./forward.ts";
import { fragmentPacket } from "./fragment.ts";
import type { ResolvedLimits } from "./limits.ts";
import { DELIVERED, dropped, type InFlight, type PacketLog } from "./packet-log.ts";
import type { Random } from "./random.ts";
import { createReassembly, REASSEMBLY_TIMEOUT_US } from "./reassembly.ts";
import { otherEnd, type Routing } from "./routing.ts";
import type { BoundSocket, SocketTable } from "./sockets.ts";
import type { HostSpec, PacketFate, SocketAddress, VirtualMicros } from "./types.ts";
import type { Wire } from "./wire.ts";
import { createTcpLayer, type TcpLayer } from "./tcp-layer.ts";

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
  /** A cancellable schedule, for TCP's timers. */
  timer: (atUs: VirtualMicros, run: () => void) => () => void;
  /** Seeds this host's TCP initial sequence numbers and ephemeral ports. */
  tcpRandom: Random;
  wire: Wire;
  log: PacketLog;
  routing: Routing;
  limits: ResolvedLimits;
  /**
   * Gets what arrives for this host that no socket takes: ICMP, other protocols, and TCP
   * segments for ports the learner sends hand-built segments from (the learner's receivePacket).
   */
  tap?: (packet: Uint8Array) => void;
  /** Which host owns an address, if any. */
  hostNamed: (address: string) => string | undefined;
}

export interface SimHost {
  readonly name: string;
  readonly address: string;
  readonly sockets: SocketTable;
  readonly tcp: TcpLayer;
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
      // Loopback: delivered inside the host, never on a wire, so no packet event; it still
      // counts against the run's limits.
      wire.countLoopback(packet);
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
    if (header.protocol === IP_PROTOCOL.TCP) {
      settle(tcp.receive(header, payload, () => deps.tap?.(quote)));
      return;
    }
    if (header.protocol !== IP_PROTOCOL.UDP) {
      deps.tap?.(quote);
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

  const firstLink = routing.defaultLink(me);
  const tcp = createTcpLayer({
    hostName: me,
    address: spec.address,
    now: deps.now,
    timer: deps.timer,
    random: deps.tcpRandom,
    // RFC 9293 §3.7.1: the MSS is the MTU less the IPv4 and TCP headers.
    mss: (firstLink?.mtu ?? 1500) - 40,
    output(destination, segment) {
      const packet = encodeIpv4(
        {
          source: spec.address,
          destination,
          protocol: IP_PROTOCOL.TCP,
          ttl: DEFAULT_TTL,
          identification: nextIdentification(),
        },
        segment,
      );
      output(packet, decodeIpv4(packet).header);
    },
  });

  const forward = createForwarder({
    me,
    label,
    log,
    wire,
    routing,
    hostNamed: deps.hostNamed,
    sendIcmpError,
  });

  return {
    name: me,
    address: spec.address,
    sockets: deps.sockets,
    tcp,

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
      const raw = decoded.header;
      if (
        raw?.protocol === IP_PROTOCOL.TCP &&
        raw.source === spec.address &&
        decoded.payload.length >= 2
      ) {
        tcp.claimRawPort((decoded.payload[0]! << 8) | decoded.payload[1]!);
      }
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
        const expected = expectedHeaderChecksum(bytes, header);
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
