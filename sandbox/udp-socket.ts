// UdpSocket, after Rust's std::net::UdpSocket. Every call is a synchronous host call; recvFrom
// runs the simulated network forward in virtual time until a datagram, the timeout, or idleness.
import { SocketAddrV4, toSocketAddr } from "./addr.ts";
import { bytesOf } from "./bytes.ts";
import { IoError, freezeClass } from "./errors.ts";
import { callHost } from "./host.ts";
import {
  MathMax,
  MathFloor,
  NumberIsFinite,
  PromiseResolve,
  PromiseThen,
  TypeErrorCtor,
} from "./primordials.ts";
import { MAX_UDP_PAYLOAD, Op } from "./protocol.ts";

const RECV_ASYNC_TURNS = 100;
const pass = (): void => {};

/** Only bind() may construct a socket (Rust has no public constructor either). */
const BIND_TOKEN: object = {};

export class UdpSocket {
  #id: number;
  #local: SocketAddrV4;
  #readTimeoutMs: number | null = null;

  constructor(token: object, id: number, local: SocketAddrV4) {
    if (token !== BIND_TOKEN) {
      throw new TypeErrorCtor('create sockets with UdpSocket.bind("0.0.0.0:0")');
    }
    this.#id = id;
    this.#local = local;
  }

  static bind(addr: string | SocketAddrV4): UdpSocket {
    const local = toSocketAddr(addr, UdpSocket.bind);
    const reply = callHost(UdpSocket.bind, Op.bind, local.address, local.port) as [
      number,
      string,
      number,
    ];
    const id = reply[0];
    const bound = new SocketAddrV4(reply[1], reply[2]);
    return new UdpSocket(BIND_TOKEN, id, bound);
  }

  sendTo(data: Uint8Array | string, addr: string | SocketAddrV4): number {
    const payload = bytesOf(data, MAX_UDP_PAYLOAD, "a UDP payload", UdpSocket.prototype.sendTo);
    const to = toSocketAddr(addr, UdpSocket.prototype.sendTo);
    return callHost(
      UdpSocket.prototype.sendTo,
      Op.sendTo,
      this.#id,
      payload,
      to.address,
      to.port,
    ) as number;
  }

  recvFrom(): [Uint8Array, SocketAddrV4] {
    const timeoutUs =
      this.#readTimeoutMs === null ? null : MathMax(1, MathFloor(this.#readTimeoutMs * 1000));
    const reply = callHost(UdpSocket.prototype.recvFrom, Op.recvFrom, this.#id, timeoutUs) as [
      Uint8Array,
      string,
      number,
    ];
    return [reply[0], new SocketAddrV4(reply[1], reply[2])];
  }

  setReadTimeout(ms: number | null): void {
    if (ms === null || ms === undefined) {
      this.#readTimeoutMs = null;
      return;
    }
    // Rust rejects a zero Duration with InvalidInput; negative or NaN cannot be a duration.
    if (typeof ms !== "number" || !NumberIsFinite(ms) || ms <= 0) {
      throw new IoError(
        "InvalidInput",
        "setReadTimeout() takes a positive number of milliseconds, or null to wait forever",
        UdpSocket.prototype.setReadTimeout,
      );
    }
    this.#readTimeoutMs = ms;
  }

  readTimeout(): number | null {
    return this.#readTimeoutMs;
  }

  localAddr(): SocketAddrV4 {
    return this.#local;
  }

  close(): void {
    callHost(UdpSocket.prototype.close, Op.close, this.#id);
  }

  /** Runs sendTo in a later microtask, so code written before the `await` goes first. */
  sendToAsync(data: Uint8Array | string, addr: string | SocketAddrV4): Promise<number> {
    return PromiseThen(PromiseResolve(undefined), () => this.sendTo(data, addr));
  }

  /**
   * Blocks (in virtual time) only after other pending promise work has had its turn, so
   * `const p = s.recvFromAsync(); await s.sendToAsync(…); await p` sends before it waits.
   * There is no event loop to ask whether that work is done, so "its turn" is a fixed number
   * of microtask turns: plenty for a few awaits, never a wait in real time.
   */
  recvFromAsync(): Promise<[Uint8Array, SocketAddrV4]> {
    let turn: Promise<unknown> = PromiseResolve(undefined);
    for (let i = 0; i < RECV_ASYNC_TURNS; i++) turn = PromiseThen(turn, pass);
    return PromiseThen(turn, () => this.recvFrom());
  }
}
freezeClass(UdpSocket);
