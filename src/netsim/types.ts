// The contract of the simulated network: what a topology says, what a packet event looks like,
// and what the runner's bridge may call on behalf of learner code. Everything here is plain,
// JSON-serialisable data or a narrow interface; nothing imports fastify, Prisma or isolated-vm.
import type { Layer } from "../protocols/types.ts";

/** Virtual time is counted in whole microseconds since the run began. Nothing waits for real. */
export type VirtualMicros = number;

export interface HostSpec {
  /** Unique host name within the topology: "learner", "ns", "alice", "router". */
  name: string;
  /** IPv4 address as a dotted quad. Routers have one address per link (see LinkSpec). */
  address: string;
  /** A router forwards packets that are not addressed to it (decrementing TTL). */
  router?: boolean;
}

export interface LinkSpec {
  /** Host names of the two ends. */
  a: string;
  b: string;
  /** One-way latency of the link, in virtual microseconds. Default 1000 (1 ms). */
  latencyUs?: number;
  /** Largest IPv4 packet the link carries, in bytes. Default 1500. */
  mtu?: number;
  /** Probabilities in [0, 1], drawn from the run's seed. Default 0. */
  loss?: number;
  duplicate?: number;
  reorder?: number;
}

export interface DnsRecordSpec {
  name: string;
  type: "A" | "AAAA" | "CNAME" | "TXT";
  value: string;
  ttl?: number;
}

/** Small programs that run on hosts of the topology, inside the simulation. */
export type PeerSpec =
  | { kind: "name-server"; host: string; port?: number /* 53 */ }
  | {
      kind: "alice";
      host: string;
      port?: number /* 1000 */;
      /** Alice answers each message with this text; `{message}` is replaced by what she got. */
      reply?: string;
      /** Alice also listens on this TCP port, answering each chunk she reads the same way. */
      tcpPort?: number;
    }
  | {
      /** Answers HTTP/1.0 and HTTP/1.1 GET requests over TCP (RFC 9112). */
      kind: "web-server";
      host: string;
      port?: number /* 80 */;
      /** The body of "/" (text/html); other paths get 404. */
      page?: string;
    }
  | {
      /** Connects to the learner's host on `port`, sends `message`, reads until EOF. */
      kind: "tcp-caller";
      host: string;
      port: number;
      message?: string;
      /** When the first attempt is made; refused attempts are retried every 200 ms (20 times). */
      startUs?: number;
    }
  | {
      kind: "file-receiver";
      host: string;
      port?: number;
      /** Expected size, so the receiver can tell when a transfer is complete. */
      expectedBytes?: number;
      /**
       * How the file arrives (default "either"):
       * - "whole": one large UDP datagram; the network fragments it and the receiver's IP layer
       *   reassembles it.
       * - "chunks": numbered UDP datagrams. Each payload is a 4-byte header, then data:
       *   bytes 0–1 chunk index (u16, big-endian, from 0), bytes 2–3 chunk count (u16,
       *   big-endian, the same in every chunk, at least 1), bytes 4… the chunk's data.
       *   The file is the data of chunks 0…count−1 in index order. The receiver answers each
       *   chunk with "chunk <index>/<count> received" and, once all are in, with
       *   "complete: <n> bytes, sha256 <hex>".
       * - "either": a payload whose length equals expectedBytes, or that has no valid chunk
       *   header, is a whole file; anything else is a chunk.
       */
      mode?: "whole" | "chunks" | "either";
    };

export interface TopologySpec {
  hosts: HostSpec[];
  links: LinkSpec[];
  records: DnsRecordSpec[];
  peers: PeerSpec[];
  /** The host the learner's program runs on. */
  learnerHost: string;
}

export interface NetworkLimits {
  /** Packets that may cross links in one run (each hop of each fragment counts). */
  maxPackets: number;
  /** Bytes that may cross links in one run. */
  maxBytes: number;
  /** Sockets the learner's host may have open at once. */
  maxSockets: number;
  /** Virtual time a run may last. */
  maxVirtualTimeUs: VirtualMicros;
  /** Datagrams waiting in one socket's receive queue; more are dropped ("receive-queue-full"). */
  maxSocketQueue?: number;
  /** Bytes of fragments one host holds for reassembly; more are dropped ("reassembly-limit"). */
  maxReassemblyBytes?: number;
}

/**
 * Why a packet went no further. Where each is decided:
 * - "no-route": a packet for an address no host has leaves by the sender's first link (its
 *   default route) and is dropped at that first hop; a router without a route drops it too.
 * - "fragmentation-needed": at the sender when its first link is too small (no ICMP), or at a
 *   router (ICMP type 3 code 4 back to the source).
 * - "reassembly-timeout": every fragment of a datagram still incomplete 30 s after its first
 *   fragment arrived; fragment events stay open until their datagram's fate is known.
 * - "receive-queue-full" / "reassembly-limit": NetworkLimits.maxSocketQueue /
 *   maxReassemblyBytes would be exceeded.
 * - "run-stopped": on the wire (or waiting for its datagram's other fragments) when a limit
 *   stopped the run, so the trace still shows what a runaway loop sent.
 */
export type DropReason =
  | "bad-header-checksum"
  | "bad-udp-checksum"
  | "bad-tcp-checksum"
  | "malformed"
  | "port-unreachable"
  | "ttl-expired"
  | "no-route"
  | "fragmentation-needed"
  | "reassembly-timeout"
  | "lost"
  | "not-for-this-host"
  | "receive-queue-full"
  | "reassembly-limit"
  /** The run reached a limit (packets, bytes, virtual time) while the packet was in flight. */
  | "run-stopped";

export type PacketFate =
  { status: "delivered" } | { status: "dropped"; reason: DropReason; detail: string };

/** One packet crossing one link. Plain data, ready to stream as JSON. */
export interface PacketEvent {
  /** 1, 2, 3, … in the order events are emitted within one run. */
  seq: number;
  /** When the packet was put on the link, and when it arrived (absent if lost on the link). */
  sentUs: VirtualMicros;
  arrivedUs?: VirtualMicros;
  /** Host names of the link's ends: who put it on the wire, who received it. */
  from: string;
  to: string;
  length: number;
  /** The packet's bytes in lower-case hex, no separators. */
  hex: string;
  layers: Layer[];
  summary: string;
  /** The protocol a packet list names it by (Dissection.topProtocol): never a quoted layer's. */
  topProtocol: Layer["protocol"];
  fate: PacketFate;
}

export interface SocketAddress {
  address: string;
  port: number;
}

export interface ReceivedDatagram {
  payload: Uint8Array;
  from: SocketAddress;
}

export type RecvResult =
  | { status: "received"; datagram: ReceivedDatagram }
  /** The read timeout passed in virtual time with nothing to read. */
  | { status: "timeout" }
  /** Nothing is in flight or scheduled: no datagram can ever arrive. */
  | { status: "idle" };

/** Thrown by the network for a caller's mistake or a limit; `code` is stable. */
export type NetworkErrorCode =
  | "ADDRESS_IN_USE"
  | "ADDRESS_NOT_AVAILABLE"
  | "INVALID_ADDRESS"
  | "INVALID_PORT"
  | "SOCKET_CLOSED"
  | "MESSAGE_TOO_LONG"
  | "PACKET_LIMIT"
  | "BYTE_LIMIT"
  | "SOCKET_LIMIT"
  | "VIRTUAL_TIME_LIMIT"
  | "CONNECTION_REFUSED"
  | "CONNECTION_RESET"
  | "TIMED_OUT"
  | "NOT_CONNECTED"
  | "BROKEN_PIPE";

export interface UdpSocketHandle {
  readonly id: number;
  readonly local: SocketAddress;
  /** Sends one datagram; returns the payload bytes sent. */
  sendTo(payload: Uint8Array, to: SocketAddress): number;
  /** Advances virtual time until a datagram arrives, the timeout passes, or the network is idle. */
  recvFrom(timeoutUs: VirtualMicros | null): RecvResult;
  close(): void;
}

export type TcpReadResult =
  | { status: "data"; bytes: Uint8Array }
  /** The peer sent FIN (or this side shut reading down): no more bytes will come. */
  | { status: "eof" }
  | { status: "timeout" }
  | { status: "idle" };

/** A connected TCP stream of the learner's. Errors are NetworkErrors (CONNECTION_RESET, …). */
export interface TcpStreamHandle {
  readonly id: number;
  readonly local: SocketAddress;
  readonly remote: SocketAddress;
  /** Queues bytes for sending; blocks (virtual time) while the send buffer is full. */
  write(bytes: Uint8Array): number;
  /** Up to `max` bytes; blocks until data, EOF, the timeout or idleness. */
  read(max: number, timeoutUs: VirtualMicros | null): TcpReadResult;
  shutdown(how: "read" | "write" | "both"): void;
  close(): void;
  /** RFC 9293's state name: "ESTABLISHED", "CLOSE-WAIT", … */
  readonly state: string;
}

export interface TcpListenerHandle {
  readonly id: number;
  readonly local: SocketAddress;
  accept(
    timeoutUs: VirtualMicros | null,
  ): { status: "accepted"; stream: TcpStreamHandle } | { status: "timeout" } | { status: "idle" };
  close(): void;
}

/** The learner's host as the runner's bridge sees it. */
export interface HostStack {
  readonly name: string;
  readonly address: string;
  /** Port 0 asks for an ephemeral port, assigned like an OS does (49152–65535). */
  bindUdp(local: SocketAddress): UdpSocketHandle;
  /** Puts hand-built IPv4 packet bytes on the wire, unchanged. */
  sendRaw(packet: Uint8Array): void;
  /** Opens a TCP connection (three-way handshake in virtual time); null waits as TCP does. */
  connectTcp(remote: SocketAddress, timeoutUs: VirtualMicros | null): TcpStreamHandle;
  /** A TCP listener; port 0 picks an ephemeral port. */
  listenTcp(local: SocketAddress): TcpListenerHandle;
  /**
   * The next packet that arrived for this host and that no socket took (ICMP, other protocols,
   * TCP segments to a port the learner sends hand-built segments from); the oldest are dropped
   * past 256 waiting. Blocks like recvFrom.
   */
  receivePacket(
    timeoutUs: VirtualMicros | null,
  ): { status: "received"; packet: Uint8Array } | { status: "timeout" } | { status: "idle" };
}

export interface LimitReport {
  code: NetworkErrorCode;
  message: string;
}

export interface Network {
  readonly nowUs: VirtualMicros;
  readonly events: readonly PacketEvent[];
  readonly learner: HostStack;
  /** Runs the simulation until nothing more is scheduled (bounded by the limits). */
  settle(): void;
  /** Set once a limit was exceeded; the run should stop and report it. */
  readonly limitReached: LimitReport | null;
  /** What the peers observed (Alice's inbox, the name server's queries), as plain data. */
  peerStates(): Record<string, unknown>;
}

export interface NetworkOptions {
  topology: TopologySpec;
  seed: number;
  limits?: Partial<NetworkLimits>;
  /** Called synchronously as each packet event is final (delivered or dropped). */
  onPacket?: (event: PacketEvent) => void;
}
