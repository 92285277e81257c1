// What a peer program gets from the host it runs on: a port to listen on and a way to answer.
import type { ReceivedDatagram, SocketAddress, VirtualMicros } from "../types.ts";

export interface PeerContext {
  readonly hostName: string;
  readonly hostAddress: string;
  now(): VirtualMicros;
  /** Binds `port` on the peer's host; `handler` runs as each datagram arrives. */
  listen(port: number, handler: (datagram: ReceivedDatagram) => void): void;
  /** Sends from the peer's port. Never throws for a bad destination (limits still throw). */
  send(payload: Uint8Array, to: SocketAddress): void;
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
