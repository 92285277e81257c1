// The learner-facing API, as a frontend editor sees it (served by the lessons API for completion).
// It mirrors Rust's std::net, which the lesson teaches, in JavaScript's idiom:
//   Rust                                   packetlab
//   UdpSocket::bind("0.0.0.0:0")?          UdpSocket.bind("0.0.0.0:0")
//   socket.send_to(&buf, addr)?            socket.sendTo(bytes, addr)
//   let (n, src) = socket.recv_from(&mut buf)?   const [data, src] = socket.recvFrom()
//   socket.set_read_timeout(Some(d))?      socket.setReadTimeout(ms)
//   TcpStream::connect("10.0.0.7:80")?     TcpStream.connect("10.0.0.7:80")
//   stream.write_all(b"GET / …")?          stream.writeAll("GET / …")
//   let n = stream.read(&mut buf)?         const bytes = stream.read()   (empty: end of stream)
//   stream.shutdown(Shutdown::Write)?      stream.shutdown("write")
//   TcpListener::bind("0.0.0.0:80")?       TcpListener.bind("0.0.0.0:80")
//   let (stream, addr) = listener.accept()?   const [stream, addr] = listener.accept()
// Blocking calls block in the simulated network's virtual time: nothing really waits.

declare module "net" {
  /** An IPv4 address, printed and parsed as a dotted quad ("10.0.0.2"). */
  export class Ipv4Addr {
    constructor(a: number, b: number, c: number, d: number);
    /** Throws AddrParseError for anything but four decimal octets. */
    static parse(text: string): Ipv4Addr;
    /** Reads 4 bytes (network order), e.g. a name server's answer. */
    static fromBytes(bytes: Uint8Array): Ipv4Addr;
    static readonly UNSPECIFIED: Ipv4Addr;
    static readonly LOCALHOST: Ipv4Addr;
    octets(): [number, number, number, number];
    equals(other: Ipv4Addr): boolean;
    toString(): string;
  }

  /** An IPv4 address and a port, printed and parsed like "10.0.0.53:53". */
  export class SocketAddrV4 {
    constructor(ip: Ipv4Addr | string, port: number);
    static parse(text: string): SocketAddrV4;
    ip(): Ipv4Addr;
    port(): number;
    toString(): string;
  }

  /** Anything that names a socket address: a SocketAddrV4 or text like "10.0.0.53:53". */
  export type ToSocketAddr = SocketAddrV4 | string;

  /** The kind of an I/O failure, named as Rust's std::io::ErrorKind names it. */
  export type ErrorKind =
    | "AddrInUse"
    | "AddrNotAvailable"
    | "InvalidInput"
    | "InvalidData"
    | "TimedOut"
    | "WouldBlock"
    | "NotConnected"
    | "ConnectionRefused"
    | "ConnectionReset"
    | "BrokenPipe";

  export class IoError extends Error {
    readonly kind: ErrorKind;
  }
  export class AddrParseError extends Error {}

  export class UdpSocket {
    /** Binds a socket; port 0 picks a free ephemeral port. */
    static bind(addr: ToSocketAddr): UdpSocket;
    /** Sends one datagram (a string is sent as its UTF-8 bytes); returns bytes sent. */
    sendTo(data: Uint8Array | string, addr: ToSocketAddr): number;
    /**
     * Waits for one datagram; returns its payload and its sender. With a read timeout set,
     * throws IoError (kind "WouldBlock") when it passes, like Rust on Unix.
     */
    recvFrom(): [Uint8Array, SocketAddrV4];
    /** null (the default) waits forever; otherwise milliseconds of virtual time. */
    setReadTimeout(ms: number | null): void;
    readTimeout(): number | null;
    localAddr(): SocketAddrV4;
    close(): void;
    /** The same calls for those who prefer `await`. */
    sendToAsync(data: Uint8Array | string, addr: ToSocketAddr): Promise<number>;
    recvFromAsync(): Promise<[Uint8Array, SocketAddrV4]>;
  }

  /** A TCP connection (RFC 9293): a reliable, ordered stream of bytes in both directions. */
  export class TcpStream {
    /**
     * Opens a connection (SYN, SYN-ACK, ACK). Throws IoError "ConnectionRefused" when the other
     * side answers RST (nothing listens there), "TimedOut" when nothing answers at all.
     */
    static connect(addr: ToSocketAddr): TcpStream;
    /** Like connect, giving up after `ms` milliseconds of virtual time. */
    static connectTimeout(addr: ToSocketAddr, ms: number): TcpStream;
    /** Queues bytes (a string as UTF-8); returns how many were taken, at least 1. */
    write(data: Uint8Array | string): number;
    /** Writes every byte. */
    writeAll(data: Uint8Array | string): void;
    /**
     * Waits for bytes; returns up to `maxBytes` (default 65536). An empty array means end of
     * stream: the peer sent FIN. With a read timeout set, throws IoError "WouldBlock" when it
     * passes. Throws "ConnectionReset" if the peer sent RST.
     */
    read(maxBytes?: number): Uint8Array;
    /** Reads until end of stream. */
    readToEnd(): Uint8Array;
    /** readToEnd() decoded as UTF-8. */
    readToString(): string;
    /** "write": send FIN after the queued data; "read": discard what comes; or "both". */
    shutdown(how: "read" | "write" | "both"): void;
    /** null (the default) waits forever; otherwise milliseconds of virtual time. */
    setReadTimeout(ms: number | null): void;
    readTimeout(): number | null;
    peerAddr(): SocketAddrV4;
    localAddr(): SocketAddrV4;
    /** FIN after the queued data; RST instead if received data was left unread. */
    close(): void;
  }

  /** Waits for connections on a port. */
  export class TcpListener {
    /** Port 0 picks a free ephemeral port. */
    static bind(addr: ToSocketAddr): TcpListener;
    /** Waits for the next connection (its handshake done); returns it and who connected. */
    accept(): [TcpStream, SocketAddrV4];
    localAddr(): SocketAddrV4;
    close(): void;
  }

  /** IP protocol numbers (RFC 790 / IANA). */
  export const IpProtocol: { readonly ICMP: 1; readonly TCP: 6; readonly UDP: 17 };

  /** IPv4 header fields (RFC 791 §3.1). Leave a field out to get its usual value. */
  export interface Ipv4HeaderFields {
    source: Ipv4Addr | string;
    destination: Ipv4Addr | string;
    protocol?: number; // default 17 (UDP)
    ttl?: number; // default 64
    dscp?: number; // default 0
    ecn?: number; // default 0
    identification?: number; // default 0
    dontFragment?: boolean; // default false
    moreFragments?: boolean; // default false
    fragmentOffset?: number; // in 8-byte units, default 0
    /** Computed from the payload unless set: set it to send a deliberately wrong one. */
    totalLength?: number;
    /** Computed (RFC 1071) unless set: set it to send a deliberately wrong one. */
    headerChecksum?: number;
    /** Raw option bytes, padded to a multiple of 4; IHL follows from them unless set. */
    options?: Uint8Array;
    ihl?: number;
    version?: number; // default 4
  }

  /** UDP header fields (RFC 768). */
  export interface UdpHeaderFields {
    sourcePort: number;
    destinationPort: number;
    /** Header + payload bytes, computed unless set. */
    length?: number;
    /** Computed over the IPv4 pseudo-header unless set; 0 means "no checksum". */
    checksum?: number;
  }

  /** A TCP option (RFC 9293 §3.2, RFC 7323, RFC 2018). */
  export type TcpOption =
    | { kind: "eol" }
    | { kind: "nop" }
    | { kind: "mss"; value: number }
    | { kind: "windowScale"; shift: number }
    | { kind: "sackPermitted" }
    | { kind: "sack"; blocks: [left: number, right: number][] }
    | { kind: "timestamps"; value: number; echoReply: number };

  /** TCP header fields (RFC 9293 §3.1). Leave a field out to get its usual value. */
  export interface TcpHeaderFields {
    sourcePort: number;
    destinationPort: number;
    sequenceNumber?: number; // default 0
    acknowledgmentNumber?: number; // default 0 (meaningful only with ack: true)
    /** Header length in 32-bit words; follows from the options unless set. */
    dataOffset?: number;
    reserved?: number; // 3 bits, default 0
    // The control bits, default false.
    cwr?: boolean;
    ece?: boolean;
    urg?: boolean;
    ack?: boolean;
    psh?: boolean;
    rst?: boolean;
    syn?: boolean;
    fin?: boolean;
    ae?: boolean;
    window?: number; // default 65535
    /** Computed over the IPv4 pseudo-header unless set: set it to send a deliberately wrong one. */
    checksum?: number;
    urgentPointer?: number; // default 0
    /** Options as a list, or raw bytes; padded with zeros (EOL) to a multiple of 4. */
    options?: TcpOption[] | Uint8Array;
  }

  /** Builds the bytes of an IPv4 packet around a payload. */
  export function ipv4Packet(header: Ipv4HeaderFields, payload?: Uint8Array | string): Uint8Array;
  /** Builds the bytes of a UDP datagram; the addresses feed the pseudo-header checksum. */
  export function udpDatagram(
    header: UdpHeaderFields,
    payload: Uint8Array | string,
    addresses: { source: Ipv4Addr | string; destination: Ipv4Addr | string },
  ): Uint8Array;
  /** Builds the bytes of a TCP segment; the addresses feed the pseudo-header checksum. */
  export function tcpSegment(
    header: TcpHeaderFields,
    payload: Uint8Array | string | undefined,
    addresses: { source: Ipv4Addr | string; destination: Ipv4Addr | string },
  ): Uint8Array;
  /**
   * Puts hand-built IPv4 packet bytes on the wire, as they are. After a hand-built TCP segment
   * from a port, your host no longer answers segments to that port with RST (so a handshake by
   * hand can finish): read them with receivePacket().
   */
  export function sendPacket(packet: Uint8Array): void;
  /**
   * The next IPv4 packet that arrives for your host and that none of your sockets takes: TCP
   * segments to a port you sent hand-built segments from, ICMP messages, other protocols. Waits
   * up to `timeoutMs` of virtual time (IoError "WouldBlock" after it), or while something can
   * still arrive.
   */
  export function receivePacket(timeoutMs?: number | null): Uint8Array;

  /** A decoded header field, as the packet browser shows it. */
  export interface Field {
    name: string;
    title: string;
    value: number | string | boolean;
    display?: string;
    bitOffset: number;
    bitLength: number;
    children?: Field[];
  }
  export interface Layer {
    protocol: string;
    title: string;
    byteOffset: number;
    byteLength: number;
    fields: Field[];
    summary: string;
    checksum?: "valid" | "invalid" | "none" | "unverified";
    errors: string[];
  }
  /** Decodes packet bytes into layers and fields, exactly as the packet browser does. */
  export function dissect(packet: Uint8Array): Layer[];

  /** "45000021…": bytes as lower-case hex. */
  export function toHex(bytes: Uint8Array): string;
  /** Accepts spaces, colons and line breaks between bytes. */
  export function fromHex(text: string): Uint8Array;
  /** Offset, hex and ASCII columns, 16 bytes a line. */
  export function hexdump(bytes: Uint8Array): string;
  /** UTF-8 text ⇄ bytes. */
  export function encodeText(text: string): Uint8Array;
  export function decodeText(bytes: Uint8Array): string;
}

/** Read-only files the exercise provides (the photo of the fragmentation lesson). */
declare module "fs" {
  /** Throws an IoError (kind "NotFound") for a name the exercise does not provide. */
  export function readFile(name: string): Uint8Array;
  /** The names of the files the exercise provides. */
  export function listFiles(): string[];
}
