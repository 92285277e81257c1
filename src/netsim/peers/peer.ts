// What a peer program gets from the host it runs on: a port to listen on and a way to answer.
import type { TcpConnection } from "../tcp-connection.ts";
import type { ReceivedDatagram, SocketAddress, VirtualMicros } from "../types.ts";

export interface PeerContext {
  readonly hostName: string;
  readonly hostAddress: string;
  now(): VirtualMicros;
  /** Binds `port` on the peer's host; `handler` runs as each datagram arrives. */
  listen(port: number, handler: (datagram: ReceivedDatagram) => void): void;
  /** Sends from the peer's port. Never throws for a bad destination (limits still throw). */
  send(payload: Uint8Array, to: SocketAddress): void;
  /** Listens on a TCP port; `accepted` runs as each connection is established. */
  listenTcp(port: number, accepted: (connection: TcpConnection) => void): void;
  /** Opens a TCP connection from an ephemeral port. */
  connectTcp(remote: SocketAddress): TcpConnection;
  /** Runs `run` at `atUs` (default: now, after what is running has finished). */
  later(run: () => void, atUs?: VirtualMicros): void;
}

/**
 * Calls `react` (after the event that caused it) whenever the connection has something new:
 * bytes, EOF, or an error. Reacting later, not inside the segment's processing, keeps a peer's
 * answer from interleaving with the ACK the segment itself causes.
 */
export function onTcpChange(
  context: PeerContext,
  connection: TcpConnection,
  react: () => void,
): void {
  let pending = false;
  connection.onChange = () => {
    if (pending) return;
    pending = true;
    context.later(() => {
      pending = false;
      react();
    });
  };
}

export interface Peer {
  /** Plain, JSON-ready data for graders: what the peer saw and answered. */
  state(): unknown;
}

export function formatSocketAddress(address: SocketAddress): string {
  return `${address.address}:${address.port}`;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

export function payloadText(payload: Uint8Array): string {
  return utf8.decode(payload);
}
