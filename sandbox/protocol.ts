// The wire between the runner (host) and the sandbox bootstrap (inside the isolate). Both sides
// import these names, so an operation cannot be spelled differently on either side.

/** Globals the host sets before the bootstrap runs; the bootstrap captures and deletes them. */
export const HOST_GLOBAL = "__packetlabHost";
export const SETTINGS_GLOBAL = "__packetlabSettings";
/** Where the bootstrap leaves the API for the "net" and "fs" facade modules, deleted right after. */
export const API_GLOBAL = "__packetlabApi";

/** Host operations. Arguments and results are plain data (numbers, strings, Uint8Array, arrays). */
export const Op = {
  output: 1,
  now: 2,
  bind: 3,
  sendTo: 4,
  recvFrom: 5,
  close: 6,
  sendRaw: 7,
  ipv4Packet: 8,
  udpDatagram: 9,
  dissect: 10,
  readFile: 11,
  listFiles: 12,
  tcpConnect: 13,
  tcpWrite: 14,
  tcpRead: 15,
  tcpShutdown: 16,
  tcpClose: 17,
  tcpListen: 18,
  tcpAccept: 19,
  tcpSegment: 20,
  receivePacket: 21,
} as const;
export type OpCode = (typeof Op)[keyof typeof Op];

/**
 * Every host reply is a tuple whose first element says what happened. Tuples (not objects with
 * optional keys) so that every element the sandbox reads is an own property: a learner who adds
 * getters to Object.prototype cannot change what the sandbox sees.
 */
export const Reply = {
  /** [OK, value] */
  ok: 0,
  /** [FAIL, ErrorKind, message]: becomes an IoError for the learner. */
  fail: 1,
  /** [STOP]: the run is over (a limit, or waiting forever); the host is disposing the isolate. */
  stop: 2,
} as const;

export type HostReply = [0, unknown] | [1, string, string] | [2, null];

/** What the sandbox needs to know up front (plain data). */
export interface SandboxSettings {
  /** Largest single console write forwarded, in characters (the output cap bounds the rest). */
  maxOutputChars: number;
  /** Epoch in ms that virtual time 0 maps to, for Date. */
  epochMs: number;
}

/** RFC 768 over RFC 791: 65,535 − 20 (IPv4 header) − 8 (UDP header). */
export const MAX_UDP_PAYLOAD = 65_507;
/** Bytes one TcpStream write() call may hand over (the stream takes what its buffer holds). */
export const MAX_TCP_WRITE = 1024 * 1024;
/** RFC 791: Total Length is 16 bits. */
export const MAX_IPV4_PACKET = 65_535;

/** The exports of the learner's modules, as sandbox/net.d.ts declares them. */
export const MODULE_EXPORTS = {
  net: [
    "Ipv4Addr",
    "SocketAddrV4",
    "UdpSocket",
    "TcpStream",
    "TcpListener",
    "IoError",
    "AddrParseError",
    "IpProtocol",
    "ipv4Packet",
    "udpDatagram",
    "tcpSegment",
    "sendPacket",
    "receivePacket",
    "dissect",
    "toHex",
    "fromHex",
    "hexdump",
    "encodeText",
    "decodeText",
  ],
  fs: ["readFile", "listFiles"],
} as const;
