// TcpStream and TcpListener, after Rust's std::net. Every call is a synchronous host call;
// connect, read and accept run the simulated network forward in virtual time.
import { SocketAddrV4, toSocketAddr } from "./addr.ts";
import { bytesOf, decodeUtf8 } from "./bytes.ts";
import { IoError, freezeClass } from "./errors.ts";
import { callHost } from "./host.ts";
import {
  MathFloor,
  MathMax,
  MathMin,
  NumberIsFinite,
  NumberIsInteger,
  TypeErrorCtor,
  TypedArrayLength,
  TypedArraySet,
  TypedArraySubarray,
  Uint8ArrayCtor,
} from "./primordials.ts";
import { MAX_TCP_WRITE, Op } from "./protocol.ts";

/** Only connect() and accept() may construct a stream (Rust has no public constructor either). */
const TOKEN: object = {};
const DEFAULT_READ = 65_536;
/** readToEnd() stops past this many bytes, so a peer that never closes cannot fill memory. */
const MAX_READ_TO_END = 16 * 1024 * 1024;

function timeoutUs(ms: number | null): number | null {
  return ms === null ? null : MathMax(1, MathFloor(ms * 1000));
}

function checkTimeout(ms: unknown, caller: (...args: never[]) => unknown): number | null {
  if (ms === null || ms === undefined) return null;
  // Rust rejects a zero Duration with InvalidInput; negative or NaN cannot be a duration.
  if (typeof ms !== "number" || !NumberIsFinite(ms) || ms <= 0) {
    throw new IoError(
      "InvalidInput",
      "a timeout is a positive number of milliseconds, or null to wait forever",
      caller,
    );
  }
  return ms;
}

type Reply = [number, string, number, string, number];

export class TcpStream {
  #id: number;
  #local: SocketAddrV4;
  #peer: SocketAddrV4;
  #readTimeoutMs: number | null = null;

  constructor(token: object, reply: Reply) {
    if (token !== TOKEN) {
      throw new TypeErrorCtor('open streams with TcpStream.connect("10.0.0.7:80")');
    }
    this.#id = reply[0];
    this.#local = new SocketAddrV4(reply[1], reply[2]);
    this.#peer = new SocketAddrV4(reply[3], reply[4]);
  }

  /** Opens a connection: the three-way handshake, in virtual time. */
  static connect(addr: string | SocketAddrV4): TcpStream {
    const to = toSocketAddr(addr, TcpStream.connect);
    const reply = callHost(TcpStream.connect, Op.tcpConnect, to.address, to.port, null) as Reply;
    return new TcpStream(TOKEN, reply);
  }

  /** Like connect, giving up (IoError "TimedOut") after `ms` of virtual time. */
  static connectTimeout(addr: string | SocketAddrV4, ms: number): TcpStream {
    const to = toSocketAddr(addr, TcpStream.connectTimeout);
    const limit = checkTimeout(ms, TcpStream.connectTimeout);
    const reply = callHost(
      TcpStream.connectTimeout,
      Op.tcpConnect,
      to.address,
      to.port,
      timeoutUs(limit),
    ) as Reply;
    return new TcpStream(TOKEN, reply);
  }

  /** Queues bytes for sending (a string as UTF-8); returns how many were taken (≥ 1). */
  write(data: Uint8Array | string): number {
    const bytes = bytesOf(data, MAX_TCP_WRITE, "the data", TcpStream.prototype.write);
    return callHost(TcpStream.prototype.write, Op.tcpWrite, this.#id, bytes) as number;
  }

  /** Writes every byte, calling write() as often as it takes. */
  writeAll(data: Uint8Array | string): void {
    const bytes = bytesOf(data, MAX_TCP_WRITE, "the data", TcpStream.prototype.writeAll);
    const length = TypedArrayLength(bytes);
    let sent = 0;
    while (sent < length) {
      sent += callHost(
        TcpStream.prototype.writeAll,
        Op.tcpWrite,
        this.#id,
        TypedArraySubarray(bytes, sent, length),
      ) as number;
    }
  }

  /**
   * Waits for bytes and returns up to `maxBytes` of them (default 65536); an empty array means
   * the peer closed its side (end of stream). With a read timeout set, throws IoError
   * "WouldBlock" when it passes, like Rust on Unix.
   */
  read(maxBytes: number = DEFAULT_READ): Uint8Array {
    if (typeof maxBytes !== "number" || !NumberIsInteger(maxBytes) || maxBytes < 1) {
      throw new TypeErrorCtor("read() takes a whole number of bytes, at least 1");
    }
    return callHost(
      TcpStream.prototype.read,
      Op.tcpRead,
      this.#id,
      MathMin(maxBytes, DEFAULT_READ),
      timeoutUs(this.#readTimeoutMs),
    ) as Uint8Array;
  }

  /** Reads until the peer closes its side; returns everything. */
  readToEnd(): Uint8Array {
    let all = new Uint8ArrayCtor(0);
    for (;;) {
      const chunk = callHost(
        TcpStream.prototype.readToEnd,
        Op.tcpRead,
        this.#id,
        DEFAULT_READ,
        timeoutUs(this.#readTimeoutMs),
      ) as Uint8Array;
      const length = TypedArrayLength(chunk);
      if (length === 0) return all;
      const total = TypedArrayLength(all) + length;
      if (total > MAX_READ_TO_END) {
        throw new IoError(
          "InvalidData",
          `readToEnd() stops at ${MAX_READ_TO_END} bytes`,
          TcpStream.prototype.readToEnd,
        );
      }
      const grown = new Uint8ArrayCtor(total);
      TypedArraySet(grown, all);
      TypedArraySet(grown, chunk, total - length);
      all = grown;
    }
  }

  /** readToEnd() as UTF-8 text. */
  readToString(): string {
    return decodeUtf8(this.readToEnd());
  }

  /** "write" sends FIN (the peer reads end of stream); "read" discards what comes; or "both". */
  shutdown(how: "read" | "write" | "both"): void {
    if (how !== "read" && how !== "write" && how !== "both") {
      throw new TypeErrorCtor('shutdown() takes "read", "write" or "both"');
    }
    callHost(TcpStream.prototype.shutdown, Op.tcpShutdown, this.#id, how);
  }

  setReadTimeout(ms: number | null): void {
    this.#readTimeoutMs = checkTimeout(ms, TcpStream.prototype.setReadTimeout);
  }

  readTimeout(): number | null {
    return this.#readTimeoutMs;
  }

  peerAddr(): SocketAddrV4 {
    return this.#peer;
  }

  localAddr(): SocketAddrV4 {
    return this.#local;
  }

  /** Closes the stream: FIN after the queued data (RST if unread data is left, as Unix does). */
  close(): void {
    callHost(TcpStream.prototype.close, Op.tcpClose, this.#id);
  }
}
freezeClass(TcpStream);

export class TcpListener {
  #id: number;
  #local: SocketAddrV4;

  constructor(token: object, id: number, local: SocketAddrV4) {
    if (token !== TOKEN)
      throw new TypeErrorCtor('create listeners with TcpListener.bind("0.0.0.0:80")');
    this.#id = id;
    this.#local = local;
  }

  /** Listens on a port (0 picks a free one). */
  static bind(addr: string | SocketAddrV4): TcpListener {
    const local = toSocketAddr(addr, TcpListener.bind);
    const reply = callHost(TcpListener.bind, Op.tcpListen, local.address, local.port) as [
      number,
      string,
      number,
    ];
    return new TcpListener(TOKEN, reply[0], new SocketAddrV4(reply[1], reply[2]));
  }

  /** Waits for the next connection; returns the stream and who connected. */
  accept(): [TcpStream, SocketAddrV4] {
    const reply = callHost(TcpListener.prototype.accept, Op.tcpAccept, this.#id, null) as Reply;
    const stream = new TcpStream(TOKEN, reply);
    return [stream, stream.peerAddr()];
  }

  localAddr(): SocketAddrV4 {
    return this.#local;
  }

  close(): void {
    callHost(TcpListener.prototype.close, Op.tcpClose, this.#id);
  }
}
freezeClass(TcpListener);
