// One host's TCP: ports, listeners, the connection table, and demultiplexing arriving segments
// (RFC 9293 §3.10.7.1: a segment for no connection and no listener gets a RST).
import { decodeTcp, encodeTcp, TCP_FLAG } from "../protocols/tcp.ts";
import type { Ipv4Header } from "../protocols/ipv4.ts";
import { NetworkError } from "./errors.ts";
import { DELIVERED, dropped } from "./packet-log.ts";
import type { Random } from "./random.ts";
import { EPHEMERAL_FIRST, EPHEMERAL_LAST } from "./sockets.ts";
import { ACK, RST, SYN, TcpConnection, type Segment } from "./tcp-connection.ts";
import type { PacketFate, SocketAddress, VirtualMicros } from "./types.ts";

/** Connections a listener holds established but not yet accepted (its backlog). */
export const LISTEN_BACKLOG = 16;

export interface TcpListener {
  readonly local: SocketAddress;
  readonly backlog: TcpConnection[];
  closed: boolean;
  /** Peers take connections as they are established instead of queueing them. */
  onAccept?: (connection: TcpConnection) => void;
  /** Runs when a connection joins the backlog. */
  onChange?: () => void;
}

export interface TcpLayer {
  listen(local: SocketAddress, onAccept?: (connection: TcpConnection) => void): TcpListener;
  closeListener(listener: TcpListener): void;
  connect(remote: SocketAddress, localPort?: number): TcpConnection;
  /**
   * A segment for this host, IPv4 header checked; returns the packet's fate. `raw` runs when
   * the segment is for a port the learner claimed for hand-built segments.
   */
  receive(header: Ipv4Header, segment: Uint8Array, raw?: () => void): PacketFate;
  readonly connectionCount: number;
  /**
   * Marks a port the learner sends hand-built segments from: segments to it that no socket
   * wants are left to the learner's receivePacket() instead of answered with RST (as a raw-socket
   * tool on a real host has the kernel's RSTs filtered out).
   */
  claimRawPort(port: number): void;
}

export interface TcpLayerDeps {
  hostName: string;
  address: string;
  now(): VirtualMicros;
  timer(atUs: VirtualMicros, run: () => void): () => void;
  random: Random;
  /** The MSS this host announces: its first link's MTU less 40. */
  mss: number;
  /** Sends a TCP segment to `destination` inside an IPv4 packet. */
  output(destination: string, segment: Uint8Array): void;
}

export function createTcpLayer(deps: TcpLayerDeps): TcpLayer {
  const listeners = new Map<number, TcpListener>();
  const rawPorts = new Set<number>();
  const connections = new Map<string, TcpConnection>();
  const usedPorts = new Map<number, number>();
  let cursor = deps.random.nextInt(EPHEMERAL_LAST - EPHEMERAL_FIRST + 1);
  const label = `${deps.address} (${deps.hostName})`;

  const key = (localPort: number, remote: SocketAddress) =>
    `${localPort}|${remote.address}|${remote.port}`;

  const usePort = (port: number) => usedPorts.set(port, (usedPorts.get(port) ?? 0) + 1);
  const releasePort = (port: number) => {
    const count = (usedPorts.get(port) ?? 1) - 1;
    if (count <= 0) usedPorts.delete(port);
    else usedPorts.set(port, count);
  };

  const ephemeralPort = (): number => {
    const count = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
    for (let tried = 0; tried < count; tried++) {
      const port = EPHEMERAL_FIRST + ((cursor + tried) % count);
      if (!usedPorts.has(port) && !listeners.has(port)) {
        cursor = (cursor + tried + 1) % count;
        return port;
      }
    }
    throw new NetworkError(
      "ADDRESS_IN_USE",
      `every ephemeral TCP port on ${deps.hostName} is in use`,
    );
  };

  // RFC 6528 derives the ISN from a clock and a secret hash; a seeded draw keeps runs replayable.
  const initialSequenceNumber = (): number => deps.random.nextInt(0x1_0000_0000) >>> 0;

  const sendSegment = (local: number, remote: SocketAddress, segment: Segment): void => {
    const bytes = encodeTcp(
      {
        sourcePort: local,
        destinationPort: remote.port,
        sequenceNumber: segment.seq,
        acknowledgmentNumber: segment.ack,
        fin: (segment.flags & TCP_FLAG.FIN) !== 0,
        syn: (segment.flags & TCP_FLAG.SYN) !== 0,
        rst: (segment.flags & TCP_FLAG.RST) !== 0,
        psh: (segment.flags & TCP_FLAG.PSH) !== 0,
        ack: (segment.flags & TCP_FLAG.ACK) !== 0,
        window: segment.window,
        ...(segment.mss === undefined
          ? {}
          : { options: [{ kind: "mss" as const, value: segment.mss }] }),
      },
      segment.payload,
      { source: deps.address, destination: remote.address },
    );
    deps.output(remote.address, bytes);
  };

  const open = (
    localPort: number,
    remote: SocketAddress,
    syn: Segment | undefined,
    onEstablished?: (connection: TcpConnection) => void,
  ): TcpConnection => {
    const id = key(localPort, remote);
    let connection: TcpConnection | null = null;
    usePort(localPort);
    let gone = false;
    connection = new TcpConnection(
      {
        now: deps.now,
        timer: deps.timer,
        mss: deps.mss,
        send: (segment) => sendSegment(localPort, remote, segment),
        onGone: () => {
          if (gone) return;
          gone = true;
          if (connections.get(id) === connection) connections.delete(id);
          releasePort(localPort);
        },
        onEstablished: () => onEstablished?.(connection!),
      },
      { address: deps.address, port: localPort },
      { ...remote },
      initialSequenceNumber(),
      syn,
    );
    if (!gone) connections.set(id, connection);
    return connection;
  };

  return {
    listen(local, onAccept) {
      const port = local.port === 0 ? ephemeralPort() : local.port;
      if (listeners.has(port) || usedPorts.has(port)) {
        throw new NetworkError(
          "ADDRESS_IN_USE",
          `TCP port ${port} on ${deps.hostName} is already in use`,
        );
      }
      const listener: TcpListener = {
        local: { address: local.address, port },
        backlog: [],
        closed: false,
        ...(onAccept ? { onAccept } : {}),
      };
      listeners.set(port, listener);
      return listener;
    },
    closeListener(listener) {
      if (listener.closed) return;
      listener.closed = true;
      if (listeners.get(listener.local.port) === listener) listeners.delete(listener.local.port);
      // Connections nobody accepted are reset (RFC 9293 §3.10.4 on a listening socket's close).
      for (const connection of listener.backlog.splice(0)) connection.abort();
    },
    connect(remote, localPort = 0) {
      const port = localPort === 0 ? ephemeralPort() : localPort;
      if (connections.has(key(port, remote))) {
        throw new NetworkError(
          "ADDRESS_IN_USE",
          `a connection from port ${port} to ${remote.address}:${remote.port} exists`,
        );
      }
      return open(port, remote, undefined);
    },
    receive(header, bytes, raw) {
      const decoded = decodeTcp(bytes, { source: header.source, destination: header.destination });
      const tcp = decoded.header;
      if (!tcp || tcp.dataOffset < 5 || tcp.dataOffset * 4 > bytes.length) {
        return dropped("malformed", `the TCP segment is malformed: ${decoded.errors.join("; ")}`);
      }
      if (decoded.checksumStatus === "invalid") {
        return dropped(
          "bad-tcp-checksum",
          `TCP checksum 0x${tcp.checksum.toString(16).padStart(4, "0")} does not match the segment`,
        );
      }
      const mss = tcp.options.find((o) => o.kind === "mss");
      const segment: Segment = {
        seq: tcp.sequenceNumber,
        ack: tcp.acknowledgmentNumber,
        flags: tcp.flags & 0xff,
        window: tcp.window,
        payload: decoded.payload.slice(),
        ...(mss?.kind === "mss" ? { mss: mss.value } : {}),
      };
      const remote = { address: header.source, port: tcp.sourcePort };
      const connection = connections.get(key(tcp.destinationPort, remote));
      if (connection) {
        connection.receive(segment);
        return DELIVERED;
      }
      const listener = listeners.get(tcp.destinationPort);
      const flags = segment.flags;
      if (listener && !listener.closed) {
        if (flags & RST) return DELIVERED;
        if (flags & ACK) {
          sendSegment(tcp.destinationPort, remote, {
            seq: segment.ack,
            ack: 0,
            flags: RST,
            window: 0,
            payload: EMPTY,
          });
          return DELIVERED;
        }
        if (!(flags & SYN)) return DELIVERED;
        const pending = [...connections.values()].filter(
          (c) => c.local.port === listener.local.port && c.connecting,
        ).length;
        if (listener.backlog.length + pending >= LISTEN_BACKLOG) {
          return dropped(
            "receive-queue-full",
            `the TCP listener on port ${listener.local.port} of ${label} has ${LISTEN_BACKLOG} connections waiting`,
          );
        }
        open(tcp.destinationPort, remote, segment, (accepted) => {
          if (listener.closed) {
            accepted.abort();
            return;
          }
          if (listener.onAccept) listener.onAccept(accepted);
          else {
            listener.backlog.push(accepted);
            listener.onChange?.();
          }
        });
        return DELIVERED;
      }
      if (rawPorts.has(tcp.destinationPort)) {
        raw?.();
        return DELIVERED;
      }
      // RFC 9293 §3.10.7.1: CLOSED. A RST is never answered.
      if (!(flags & RST)) {
        const length =
          segment.payload.length + (flags & SYN ? 1 : 0) + (flags & TCP_FLAG.FIN ? 1 : 0);
        sendSegment(
          tcp.destinationPort,
          remote,
          flags & ACK
            ? { seq: segment.ack, ack: 0, flags: RST, window: 0, payload: EMPTY }
            : {
                seq: 0,
                ack: (segment.seq + length) >>> 0,
                flags: RST | ACK,
                window: 0,
                payload: EMPTY,
              },
        );
      }
      return dropped(
        "port-unreachable",
        `nothing listens on TCP port ${tcp.destinationPort} of ${label}${flags & RST ? "" : "; it answered with a RST"}`,
      );
    },
    get connectionCount() {
      return connections.size;
    },
    claimRawPort(port) {
      if (rawPorts.size < 1024) rawPorts.add(port);
    },
  };
}

const EMPTY = new Uint8Array(0);
