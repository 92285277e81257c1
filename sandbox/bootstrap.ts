// Entry of the sandbox bundle, run once in each fresh context before the learner's module.
// It takes the host callback and settings from globals, deletes those globals, hardens the
// global object, and leaves the frozen API where the "net" and "fs" facade modules pick it up
// (the runner deletes that global too before learner code runs).
import { AddrParseError, IoError } from "./errors.ts";
import { Ipv4Addr, SocketAddrV4 } from "./addr.ts";
import { decodeUtf8, encodeUtf8, fromHex, hexdump, isUint8Array, toHex } from "./bytes.ts";
import { createConsole } from "./console.ts";
import { listFiles, readFile } from "./fs.ts";
import { hardenGlobals } from "./globals.ts";
import { bindHost } from "./host.ts";
import {
  IpProtocol,
  dissect,
  ipv4Packet,
  receivePacket,
  sendPacket,
  tcpSegment,
  udpDatagram,
} from "./packets.ts";
import { TcpListener, TcpStream } from "./tcp.ts";
import { ObjectDefineProperty, ObjectFreeze, TypeErrorCtor } from "./primordials.ts";
import { API_GLOBAL, HOST_GLOBAL, SETTINGS_GLOBAL, type SandboxSettings } from "./protocol.ts";
import { UdpSocket } from "./udp-socket.ts";
import { runWasm } from "./wasi.ts";

const global = globalThis as unknown as Record<string, unknown>;
const host = global[HOST_GLOBAL];
const settings = global[SETTINGS_GLOBAL] as SandboxSettings;
delete global[HOST_GLOBAL];
delete global[SETTINGS_GLOBAL];
if (typeof host !== "function") throw new TypeErrorCtor("sandbox bootstrap: no host callback");
bindHost(host as Parameters<typeof bindHost>[0]);
hardenGlobals(global, settings.epochMs);

ObjectDefineProperty(global, "console", {
  value: createConsole(settings.maxOutputChars),
  writable: true,
  configurable: true,
});

function encodeText(text: string): Uint8Array {
  if (typeof text !== "string") throw new TypeErrorCtor("encodeText() needs a string");
  return encodeUtf8(text);
}

function decodeText(bytes: Uint8Array): string {
  if (!isUint8Array(bytes)) throw new TypeErrorCtor("decodeText() needs a Uint8Array");
  return decodeUtf8(bytes);
}

const net = ObjectFreeze({
  Ipv4Addr,
  SocketAddrV4,
  UdpSocket,
  TcpStream,
  TcpListener,
  IoError,
  AddrParseError,
  IpProtocol,
  ipv4Packet,
  udpDatagram,
  tcpSegment,
  sendPacket,
  receivePacket,
  dissect,
  toHex,
  fromHex,
  hexdump,
  encodeText,
  decodeText,
});
// Functions are objects too: freeze them so no learner can hang state on the shared API.
ObjectFreeze(encodeText);
ObjectFreeze(decodeText);
for (const fn of [
  ipv4Packet,
  udpDatagram,
  tcpSegment,
  sendPacket,
  receivePacket,
  dissect,
  toHex,
  fromHex,
  hexdump,
  readFile,
  listFiles,
]) {
  ObjectFreeze(fn);
}
ObjectFreeze(IoError.prototype);
ObjectFreeze(IoError);
ObjectFreeze(AddrParseError.prototype);
ObjectFreeze(AddrParseError);
const fs = ObjectFreeze({ readFile, listFiles });

ObjectFreeze(runWasm);
// `wasm` runs a compiled Rust program (sandbox/wasi.ts); no facade module exports it.
ObjectDefineProperty(global, API_GLOBAL, {
  value: ObjectFreeze({ net, fs, wasm: runWasm }),
  configurable: true,
});
