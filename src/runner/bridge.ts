// The host side of the sandbox's host calls: validates what the isolate sent (again: the sandbox
// checked first), calls the network, and answers with plain-data tuples (sandbox/protocol.ts).
// It never throws into the isolate: a host exception could carry host paths in its message.
import type { HostReply } from "../../sandbox/protocol.ts";
import { MAX_IPV4_PACKET, MAX_TCP_WRITE, MAX_UDP_PAYLOAD, Op } from "../../sandbox/protocol.ts";
import type {
  LimitReport,
  Network,
  NetworkErrorCode,
  TcpListenerHandle,
  TcpStreamHandle,
  UdpSocketHandle,
} from "../netsim/types.ts";
import type { ProtocolKit } from "./protocol-kit.ts";
import type { OutputLine } from "./types.ts";

/** Why a run ended early; the executor turns it into an outcome and a message. */
export type StopReason =
  | { kind: "output-limit" }
  | { kind: "network-limit"; report: LimitReport }
  | { kind: "waited-forever"; local: string }
  /** The program ended its evaluation still waiting on a promise nothing can settle. */
  | { kind: "never-settles"; line?: number }
  | { kind: "cpu-limit" }
  | { kind: "wall-limit" }
  | { kind: "cancelled" }
  | { kind: "internal"; error: unknown };

export interface BridgeOptions {
  network: Network;
  files: Record<string, Uint8Array>;
  protocols: () => ProtocolKit | null;
  outputBytes: number;
  onOutput: (line: OutputLine) => void;
  /** Ends the run now (disposes the isolate); the bridge then answers STOP. */
  stop: (reason: StopReason) => void;
}

const LIMIT_CODES = new Set<NetworkErrorCode>([
  "PACKET_LIMIT",
  "BYTE_LIMIT",
  "SOCKET_LIMIT",
  "VIRTUAL_TIME_LIMIT",
]);

/** NetworkErrorCode → Rust io::ErrorKind, as sandbox/net.d.ts names them. */
const KINDS: Partial<Record<NetworkErrorCode, string>> = {
  ADDRESS_IN_USE: "AddrInUse",
  ADDRESS_NOT_AVAILABLE: "AddrNotAvailable",
  INVALID_ADDRESS: "InvalidInput",
  INVALID_PORT: "InvalidInput",
  MESSAGE_TOO_LONG: "InvalidInput",
  SOCKET_CLOSED: "NotConnected",
  CONNECTION_REFUSED: "ConnectionRefused",
  CONNECTION_RESET: "ConnectionReset",
  TIMED_OUT: "TimedOut",
  NOT_CONNECTED: "NotConnected",
  BROKEN_PIPE: "BrokenPipe",
};

class Stopped extends Error {}
class Refused extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

const ok = (value: unknown): HostReply => [0, value];

export function createBridge(options: BridgeOptions) {
  const { network, files } = options;
  const sockets = new Map<number, UdpSocketHandle>();
  const streams = new Map<number, TcpStreamHandle>();
  const listeners = new Map<number, TcpListenerHandle>();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let outputUsed = 0;
  let outputTruncated = false;
  const output: OutputLine[] = [];
  let stopped = false;

  function halt(reason: StopReason): HostReply {
    if (!stopped) {
      stopped = true;
      options.stop(reason);
    }
    return [2, null];
  }

  function stop(reason: StopReason): never {
    halt(reason);
    throw new Stopped();
  }

  function checkLimits(): void {
    const report = network.limitReached;
    if (report) stop({ kind: "network-limit", report });
  }

  function socket(id: unknown): UdpSocketHandle {
    const handle = typeof id === "number" ? sockets.get(id) : undefined;
    if (!handle) throw new Refused("NotConnected", "this socket is closed");
    return handle;
  }

  function bytes(value: unknown, max: number, what: string): Uint8Array {
    if (!(value instanceof Uint8Array)) throw new Refused("InvalidInput", `${what} must be bytes`);
    if (value.length > max) throw new Refused("InvalidInput", `${what} is over ${max} bytes`);
    return value;
  }

  function address(value: unknown, port: unknown) {
    if (typeof value !== "string" || typeof port !== "number") {
      throw new Refused("InvalidInput", "invalid socket address");
    }
    return { address: value, port };
  }

  function write(stream: unknown, text: unknown): void {
    if (outputTruncated || typeof text !== "string") return;
    const encoded = encoder.encode(text);
    // Each line counts with its newline, as it would on a terminal.
    const room = options.outputBytes - outputUsed;
    let kept = text;
    if (encoded.length + 1 > room) {
      outputTruncated = true;
      if (room <= 1) stop({ kind: "output-limit" });
      // Cut on a character boundary: a partial UTF-8 sequence decodes to U+FFFD, dropped here.
      kept = decoder.decode(encoded.subarray(0, room - 1)).replace(/\uFFFD$/, "");
    }
    outputUsed += encoder.encode(kept).length + 1;
    const line: OutputLine = {
      stream: stream === 1 ? "stderr" : "stdout",
      text: kept,
      atUs: network.nowUs,
    };
    output.push(line);
    options.onOutput(line);
    if (outputTruncated) stop({ kind: "output-limit" });
  }

  function receive(id: unknown, timeoutUs: unknown): unknown {
    const handle = socket(id);
    const timeout = typeof timeoutUs === "number" && timeoutUs > 0 ? timeoutUs : null;
    const result = handle.recvFrom(timeout);
    checkLimits();
    if (result.status === "received") {
      const { payload, from } = result.datagram;
      return [payload, from.address, from.port];
    }
    if (result.status === "idle" && timeout === null) {
      stop({ kind: "waited-forever", local: `${handle.local.address}:${handle.local.port}` });
    }
    // Rust on Unix reports an expired read timeout as WouldBlock (EAGAIN).
    throw new Refused(
      "WouldBlock",
      `recvFrom() timed out: no datagram arrived within ${(timeout ?? 0) / 1000} ms`,
    );
  }

  function stream(id: unknown): TcpStreamHandle {
    const handle = typeof id === "number" ? streams.get(id) : undefined;
    if (!handle) throw new Refused("NotConnected", "this TCP stream is closed");
    return handle;
  }

  function timeoutOf(value: unknown): number | null {
    return typeof value === "number" && value > 0 ? value : null;
  }

  function streamReply(handle: TcpStreamHandle): unknown[] {
    streams.set(handle.id, handle);
    return [
      handle.id,
      handle.local.address,
      handle.local.port,
      handle.remote.address,
      handle.remote.port,
    ];
  }

  function tcpRead(id: unknown, max: unknown, timeoutUs: unknown): Uint8Array {
    const handle = stream(id);
    const timeout = timeoutOf(timeoutUs);
    const size = typeof max === "number" && max >= 1 ? Math.min(max, 65_536) : 65_536;
    const result = handle.read(size, timeout);
    checkLimits();
    if (result.status === "data") return result.bytes;
    if (result.status === "eof") return new Uint8Array(0);
    if (result.status === "idle" && timeout === null) {
      stop({ kind: "waited-forever", local: `${handle.local.address}:${handle.local.port}` });
    }
    throw new Refused(
      "WouldBlock",
      `read() timed out: nothing arrived within ${(timeout ?? 0) / 1000} ms`,
    );
  }

  function tcpAccept(id: unknown, timeoutUs: unknown): unknown {
    const handle = typeof id === "number" ? listeners.get(id) : undefined;
    if (!handle) throw new Refused("NotConnected", "this TCP listener is closed");
    const timeout = timeoutOf(timeoutUs);
    const result = handle.accept(timeout);
    checkLimits();
    if (result.status === "accepted") return streamReply(result.stream);
    if (result.status === "idle" && timeout === null) {
      stop({ kind: "waited-forever", local: `${handle.local.address}:${handle.local.port}` });
    }
    throw new Refused("WouldBlock", "accept() timed out: nobody connected");
  }

  function receivePacket(timeoutUs: unknown): Uint8Array {
    const timeout = timeoutOf(timeoutUs);
    const result = network.learner.receivePacket(timeout);
    checkLimits();
    if (result.status === "received") return result.packet;
    if (result.status === "idle" && timeout === null) {
      stop({ kind: "waited-forever", local: network.learner.address });
    }
    throw new Refused(
      "WouldBlock",
      `receivePacket() timed out: no packet arrived within ${(timeout ?? 0) / 1000} ms`,
    );
  }

  function dispatch(op: unknown, a: unknown, b: unknown, c: unknown, d: unknown): unknown {
    switch (op) {
      case Op.output:
        write(a, b);
        return null;
      case Op.now:
        return network.nowUs;
      case Op.bind: {
        const handle = network.learner.bindUdp(address(a, b));
        sockets.set(handle.id, handle);
        return [handle.id, handle.local.address, handle.local.port];
      }
      case Op.sendTo: {
        const sent = socket(a).sendTo(bytes(b, MAX_UDP_PAYLOAD, "a UDP payload"), address(c, d));
        checkLimits();
        return sent;
      }
      case Op.recvFrom:
        return receive(a, b);
      case Op.close: {
        const handle = socket(a);
        sockets.delete(handle.id);
        handle.close();
        return null;
      }
      case Op.sendRaw:
        network.learner.sendRaw(bytes(a, MAX_IPV4_PACKET, "a packet"));
        checkLimits();
        return null;
      case Op.ipv4Packet:
        return refuseOnThrow(() =>
          kit().encodeIpv4(plain(a), bytes(b, MAX_IPV4_PACKET, "the payload")),
        );
      case Op.udpDatagram:
        return refuseOnThrow(() =>
          kit().encodeUdp(plain(a), bytes(b, MAX_UDP_PAYLOAD, "the payload"), {
            source: String(c),
            destination: String(d),
          }),
        );
      case Op.dissect:
        return refuseOnThrow(() => kit().dissect(bytes(a, MAX_IPV4_PACKET, "a packet")));
      case Op.tcpConnect: {
        const handle = network.learner.connectTcp(address(a, b), timeoutOf(c));
        checkLimits();
        return streamReply(handle);
      }
      case Op.tcpWrite: {
        const sent = stream(a).write(bytes(b, MAX_TCP_WRITE, "the data"));
        checkLimits();
        return sent;
      }
      case Op.tcpRead:
        return tcpRead(a, b, c);
      case Op.tcpShutdown: {
        if (b !== "read" && b !== "write" && b !== "both") {
          throw new Refused("InvalidInput", 'shutdown() takes "read", "write" or "both"');
        }
        stream(a).shutdown(b);
        checkLimits();
        return null;
      }
      case Op.tcpClose: {
        const id = typeof a === "number" ? a : -1;
        const open = streams.get(id);
        const listening = listeners.get(id);
        streams.delete(id);
        listeners.delete(id);
        open?.close();
        listening?.close();
        checkLimits();
        return null;
      }
      case Op.tcpListen: {
        const handle = network.learner.listenTcp(address(a, b));
        listeners.set(handle.id, handle);
        return [handle.id, handle.local.address, handle.local.port];
      }
      case Op.tcpAccept:
        return tcpAccept(a, b);
      case Op.tcpSegment:
        return refuseOnThrow(() =>
          kit().encodeTcp(plain(a), bytes(b, MAX_IPV4_PACKET, "the payload"), {
            source: String(c),
            destination: String(d),
          }),
        );
      case Op.receivePacket:
        return receivePacket(a);
      case Op.readFile:
        return typeof a === "string" && Object.hasOwn(files, a) ? files[a] : null;
      case Op.listFiles:
        return Object.keys(files);
      default:
        throw new Error(`unknown host operation ${String(op)}`);
    }
  }

  function kit(): ProtocolKit {
    const protocols = options.protocols();
    if (!protocols) throw new Error("protocols not loaded");
    return protocols;
  }

  /** The function the isolate calls (wrapped in an ivm.Callback by the executor). */
  function call(op: unknown, a: unknown, b: unknown, c: unknown, d: unknown): HostReply {
    if (stopped) return [2, null];
    try {
      return ok(dispatch(op, a, b, c, d));
    } catch (error) {
      if (error instanceof Stopped) return [2, null];
      if (error instanceof Refused) return [1, error.kind, error.message];
      const code = (error as { code?: unknown }).code;
      if (typeof code === "string" && LIMIT_CODES.has(code as NetworkErrorCode)) {
        const message = error instanceof Error ? error.message : code;
        return halt({
          kind: "network-limit",
          report: network.limitReached ?? { code: code as NetworkErrorCode, message },
        });
      }
      const kind = typeof code === "string" ? KINDS[code as NetworkErrorCode] : undefined;
      if (kind) return [1, kind, error instanceof Error ? error.message : kind];
      return halt({ kind: "internal", error });
    }
  }

  return {
    call,
    output,
    get outputTruncated() {
      return outputTruncated;
    },
  };
}

export type Bridge = ReturnType<typeof createBridge>;

/** The encoders throw plain Errors for a learner's bad field; their messages are for people. */
function refuseOnThrow<T>(encode: () => T): T {
  try {
    return encode();
  } catch (error) {
    if (error instanceof Refused) throw error;
    throw new Refused("InvalidInput", error instanceof Error ? error.message : String(error));
  }
}

function plain(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null) throw new Refused("InvalidInput", "bad header");
  return value as Record<string, unknown>;
}
