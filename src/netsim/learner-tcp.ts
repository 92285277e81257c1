// The learner's TCP calls, blocking in virtual time like recvFrom: connect, read and accept run
// the simulation forward until something happens, a timeout passes, or nothing more can happen.
import { parseIpv4Address } from "../protocols/address.ts";
import { NetworkError } from "./errors.ts";
import type { SimHost } from "./ip-stack.ts";
import type { TcpConnection } from "./tcp-connection.ts";
import type { TcpListener } from "./tcp-layer.ts";
import type {
  SocketAddress,
  TcpListenerHandle,
  TcpReadResult,
  TcpStreamHandle,
  VirtualMicros,
} from "./types.ts";

export interface LearnerTcpDeps {
  host: SimHost;
  now(): VirtualMicros;
  /** Runs the agenda until done(), the deadline or idleness. */
  run(done: () => boolean, deadline: VirtualMicros): "stopped" | "deadline" | "idle";
  /** Moves the clock to the end of a wait that timed out (trips the time limit if past it). */
  waitUntil(deadline: VirtualMicros): void;
  checkLimits(): void;
  /** Counts an open socket against the learner's limit; returns its release. */
  openSocket(): () => void;
  nextId(): number;
}

const MESSAGES = {
  refused: (remote: string) =>
    new NetworkError(
      "CONNECTION_REFUSED",
      `${remote} refused the connection (it answered with RST)`,
    ),
  reset: (remote: string) =>
    new NetworkError("CONNECTION_RESET", `${remote} reset the connection (it sent a RST)`),
  "timed-out": (remote: string) =>
    new NetworkError(
      "TIMED_OUT",
      `${remote} did not answer: four retransmissions of the same segment went unacknowledged`,
    ),
} as const;

export function createLearnerTcp(deps: LearnerTcpDeps) {
  const text = (a: SocketAddress) => `${a.address}:${a.port}`;

  const checkRemote = (remote: SocketAddress): void => {
    const address = typeof remote?.address === "string" ? parseIpv4Address(remote.address) : null;
    if (address === null || address === 0) {
      throw new NetworkError(
        "INVALID_ADDRESS",
        `cannot connect to "${String(remote?.address)}": not an IPv4 host address`,
      );
    }
    if (!Number.isInteger(remote.port) || remote.port < 1 || remote.port > 65535) {
      throw new NetworkError(
        "INVALID_PORT",
        `cannot connect to port ${String(remote.port)}: ports go from 1 to 65535`,
      );
    }
  };

  const deadlineOf = (timeoutUs: VirtualMicros | null): VirtualMicros =>
    timeoutUs === null ? Infinity : deps.now() + Math.max(0, timeoutUs);

  const streamHandle = (connection: TcpConnection, release: () => void): TcpStreamHandle => {
    const id = deps.nextId();
    let closed = false;
    let readShut = false;
    const remote = text(connection.remote);
    const ensureOpen = (): void => {
      deps.checkLimits();
      if (closed) throw new NetworkError("SOCKET_CLOSED", "this TCP stream is closed");
    };
    const failure = (): NetworkError | null =>
      connection.error ? MESSAGES[connection.error](remote) : null;
    return {
      id,
      local: { ...connection.local },
      remote: { ...connection.remote },
      write(bytes) {
        ensureOpen();
        if (bytes.length === 0) return 0;
        for (;;) {
          const error = failure();
          if (error) throw error;
          if (!connection.canSend) {
            throw new NetworkError(
              "BROKEN_PIPE",
              "cannot write: this side of the stream was shut down",
            );
          }
          const taken = connection.write(bytes);
          deps.checkLimits();
          if (taken > 0) return taken;
          // The send buffer is full: wait (in virtual time) until acknowledgments free it.
          const outcome = deps.run(
            () => connection.sendSpace > 0 || connection.state === "CLOSED",
            Infinity,
          );
          if (outcome === "idle" && connection.sendSpace === 0) {
            throw new NetworkError("TIMED_OUT", "cannot write: the peer stopped acknowledging");
          }
        }
      },
      read(max, timeoutUs): TcpReadResult {
        ensureOpen();
        const readable = () =>
          connection.receiveBuffer.length > 0 ||
          connection.finReceived ||
          connection.state === "CLOSED";
        if (readShut) return { status: "eof" };
        const deadline = deadlineOf(timeoutUs);
        const outcome = deps.run(readable, deadline);
        if (connection.receiveBuffer.length > 0) {
          return { status: "data", bytes: connection.read(Math.max(1, max)) };
        }
        const error = failure();
        if (error) throw error;
        if (connection.finReceived || connection.state === "CLOSED") return { status: "eof" };
        if (timeoutUs === null) return { status: "idle" };
        deps.waitUntil(deadline);
        return outcome === "idle" ? { status: "idle" } : { status: "timeout" };
      },
      shutdown(how) {
        ensureOpen();
        if (connection.connecting || connection.state === "CLOSED") {
          const error = failure();
          if (error) throw error;
          if (connection.state === "CLOSED") {
            throw new NetworkError("NOT_CONNECTED", "the stream is no longer connected");
          }
        }
        if (how === "read" || how === "both") {
          readShut = true;
          connection.shutdownRead();
        }
        if (how === "write" || how === "both") connection.shutdownWrite();
      },
      close() {
        if (closed) return;
        closed = true;
        connection.close();
        release();
      },
      get state() {
        return connection.state;
      },
    };
  };

  return {
    connect(remote: SocketAddress, timeoutUs: VirtualMicros | null): TcpStreamHandle {
      deps.checkLimits();
      checkRemote(remote);
      const release = deps.openSocket();
      let connection: TcpConnection;
      try {
        connection = deps.host.tcp.connect({ address: remote.address, port: remote.port });
      } catch (error) {
        release();
        throw error;
      }
      const deadline = deadlineOf(timeoutUs);
      deps.run(() => !connection.connecting, deadline);
      deps.checkLimits();
      if (connection.connecting) {
        connection.abort();
        release();
        deps.waitUntil(deadline);
        throw new NetworkError("TIMED_OUT", `connecting to ${text(remote)} timed out`);
      }
      if (connection.error) {
        release();
        throw MESSAGES[connection.error](text(remote));
      }
      return streamHandle(connection, release);
    },

    listen(local: SocketAddress): TcpListenerHandle {
      deps.checkLimits();
      const address = typeof local?.address === "string" ? local.address : "";
      if (parseIpv4Address(address) === null) {
        throw new NetworkError(
          "INVALID_ADDRESS",
          `"${String(local?.address)}" is not an IPv4 address`,
        );
      }
      if (address !== "0.0.0.0" && address !== deps.host.address) {
        throw new NetworkError(
          "ADDRESS_NOT_AVAILABLE",
          `cannot bind to ${address}: this host (${deps.host.name}) has the address ${deps.host.address} (or use 0.0.0.0)`,
        );
      }
      if (!Number.isInteger(local.port) || local.port < 0 || local.port > 65535) {
        throw new NetworkError(
          "INVALID_PORT",
          `port ${String(local.port)} is not a whole number from 0 to 65535`,
        );
      }
      const release = deps.openSocket();
      let listener: TcpListener;
      try {
        listener = deps.host.tcp.listen({ address, port: local.port });
      } catch (error) {
        release();
        throw error;
      }
      let closed = false;
      return {
        id: deps.nextId(),
        local: { ...listener.local },
        accept(timeoutUs) {
          deps.checkLimits();
          if (closed) throw new NetworkError("SOCKET_CLOSED", "this TCP listener is closed");
          const deadline = deadlineOf(timeoutUs);
          const outcome = deps.run(() => listener.backlog.length > 0, deadline);
          const connection = listener.backlog.shift();
          if (connection)
            return { status: "accepted", stream: streamHandle(connection, deps.openSocket()) };
          if (timeoutUs === null) return { status: "idle" };
          deps.waitUntil(deadline);
          return outcome === "idle" ? { status: "idle" } : { status: "timeout" };
        },
        close() {
          if (closed) return;
          closed = true;
          deps.host.tcp.closeListener(listener);
          release();
        },
      };
    },
  };
}
