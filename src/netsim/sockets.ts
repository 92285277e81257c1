// A host's UDP port table (RFC 768 ports; the ephemeral range is IANA's, RFC 6335 §6).
import { parseIpv4Address } from "../protocols/address.ts";
import { NetworkError } from "./errors.ts";
import type { Random } from "./random.ts";
import type { ReceivedDatagram, SocketAddress } from "./types.ts";

export const EPHEMERAL_FIRST = 49152;
export const EPHEMERAL_LAST = 65535;
const EPHEMERAL_COUNT = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;

export interface BoundSocket {
  readonly id: number;
  readonly local: SocketAddress;
  readonly queue: ReceivedDatagram[];
  closed: boolean;
  /** Peers handle datagrams as they arrive instead of queueing them. */
  handler?: (datagram: ReceivedDatagram) => void;
}

export interface SocketTable {
  bind(local: SocketAddress, handler?: (datagram: ReceivedDatagram) => void): BoundSocket;
  lookup(port: number): BoundSocket | undefined;
  release(socket: BoundSocket): void;
  readonly openCount: number;
}

export function createSocketTable(
  hostName: string,
  hostAddress: string,
  random: Random,
  nextSocketId: () => number,
): SocketTable {
  const byPort = new Map<number, BoundSocket>();
  // Like Linux, the search for a free ephemeral port starts somewhere random (here: seeded) and
  // walks on from the last one handed out.
  let cursor = random.nextInt(EPHEMERAL_COUNT);

  const pickEphemeral = (): number => {
    for (let tried = 0; tried < EPHEMERAL_COUNT; tried++) {
      const port = EPHEMERAL_FIRST + ((cursor + tried) % EPHEMERAL_COUNT);
      if (!byPort.has(port)) {
        cursor = (cursor + tried + 1) % EPHEMERAL_COUNT;
        return port;
      }
    }
    throw new NetworkError("ADDRESS_IN_USE", `every ephemeral port on ${hostName} is in use`);
  };

  return {
    bind(local, handler) {
      const address = typeof local?.address === "string" ? local.address : "";
      if (parseIpv4Address(address) === null) {
        throw new NetworkError(
          "INVALID_ADDRESS",
          `"${String(local?.address)}" is not an IPv4 address`,
        );
      }
      if (address !== "0.0.0.0" && address !== hostAddress) {
        throw new NetworkError(
          "ADDRESS_NOT_AVAILABLE",
          `cannot bind to ${address}: this host (${hostName}) has the address ${hostAddress} (or use 0.0.0.0)`,
        );
      }
      const requested = local.port;
      if (!Number.isInteger(requested) || requested < 0 || requested > 65535) {
        throw new NetworkError(
          "INVALID_PORT",
          `port ${String(requested)} is not a whole number from 0 to 65535`,
        );
      }
      if (requested !== 0 && byPort.has(requested)) {
        throw new NetworkError(
          "ADDRESS_IN_USE",
          `port ${requested} on ${hostName} is already bound by another socket`,
        );
      }
      const port = requested === 0 ? pickEphemeral() : requested;
      const socket: BoundSocket = {
        id: nextSocketId(),
        local: { address, port },
        queue: [],
        closed: false,
        ...(handler ? { handler } : {}),
      };
      byPort.set(port, socket);
      return socket;
    },
    lookup: (port) => byPort.get(port),
    release(socket) {
      if (byPort.get(socket.local.port) === socket) byPort.delete(socket.local.port);
      socket.closed = true;
      socket.queue.length = 0;
    },
    get openCount() {
      return byPort.size;
    },
  };
}
