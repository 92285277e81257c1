// Hand-built packets. The sandbox only validates and copies the learner's fields into plain
// data; the host encodes them with src/protocols (the same encoders the network uses) and
// dissects with the same dissector the packet browser uses.
import { toIpv4Text } from "./addr.ts";
import { bytesOf, copyBytes } from "./bytes.ts";
import { callHost } from "./host.ts";
import { NumberIsInteger, ObjectCreate, ObjectFreeze, TypeErrorCtor } from "./primordials.ts";
import { MAX_IPV4_PACKET, MAX_UDP_PAYLOAD, Op } from "./protocol.ts";
import { ArrayIsArray, MathFloor, MathMax, NumberIsFinite } from "./primordials.ts";
import { IoError } from "./errors.ts";

export const IpProtocol = ObjectFreeze({ ICMP: 1, TCP: 6, UDP: 17 } as const);

function readObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null)
    throw new TypeErrorCtor(`${what} must be an object`);
  return value as Record<string, unknown>;
}

/** Reads one optional whole-number field once (a getter runs once), checking its range. */
function wholeNumber(
  source: Record<string, unknown>,
  name: string,
  max: number,
  target: Record<string, unknown>,
): void {
  const value = source[name];
  if (value === undefined) return;
  if (typeof value !== "number" || !NumberIsInteger(value) || value < 0 || value > max) {
    throw new TypeErrorCtor(`${name} must be a whole number from 0 to ${max}`);
  }
  target[name] = value;
}

function flag(
  source: Record<string, unknown>,
  name: string,
  target: Record<string, unknown>,
): void {
  const value = source[name];
  if (value === undefined) return;
  if (typeof value !== "boolean") throw new TypeErrorCtor(`${name} must be true or false`);
  target[name] = value;
}

export function ipv4Packet(header: unknown, payload?: Uint8Array | string): Uint8Array {
  const h = readObject(header, "the IPv4 header");
  // Null-prototype targets: a setter a learner put on Object.prototype never sees these writes.
  const fields = ObjectCreate(null) as Record<string, unknown>;
  fields.source = toIpv4Text(h.source, "source");
  fields.destination = toIpv4Text(h.destination, "destination");
  wholeNumber(h, "protocol", 255, fields);
  wholeNumber(h, "ttl", 255, fields);
  wholeNumber(h, "dscp", 63, fields);
  wholeNumber(h, "ecn", 3, fields);
  wholeNumber(h, "identification", 0xffff, fields);
  flag(h, "dontFragment", fields);
  flag(h, "moreFragments", fields);
  wholeNumber(h, "fragmentOffset", 0x1fff, fields);
  wholeNumber(h, "totalLength", 0xffff, fields);
  wholeNumber(h, "headerChecksum", 0xffff, fields);
  wholeNumber(h, "ihl", 15, fields);
  wholeNumber(h, "version", 15, fields);
  const options = h.options;
  if (options !== undefined) fields.options = copyBytes(options, 40, "options", ipv4Packet);
  const body =
    payload === undefined
      ? new Uint8Array(0)
      : bytesOf(payload, MAX_IPV4_PACKET, "the payload", ipv4Packet);
  return callHost(ipv4Packet, Op.ipv4Packet, fields, body) as Uint8Array;
}

export function udpDatagram(
  header: unknown,
  payload: Uint8Array | string,
  addresses: unknown,
): Uint8Array {
  const h = readObject(header, "the UDP header");
  const a = readObject(addresses, "addresses");
  const fields = ObjectCreate(null) as Record<string, unknown>;
  wholeNumber(h, "sourcePort", 0xffff, fields);
  wholeNumber(h, "destinationPort", 0xffff, fields);
  if (fields.sourcePort === undefined || fields.destinationPort === undefined) {
    throw new TypeErrorCtor("a UDP header needs sourcePort and destinationPort");
  }
  wholeNumber(h, "length", 0xffff, fields);
  wholeNumber(h, "checksum", 0xffff, fields);
  const source = toIpv4Text(a.source, "source");
  const destination = toIpv4Text(a.destination, "destination");
  const body = bytesOf(payload, MAX_UDP_PAYLOAD, "the payload", udpDatagram);
  return callHost(udpDatagram, Op.udpDatagram, fields, body, source, destination) as Uint8Array;
}

export function sendPacket(packet: Uint8Array): void {
  const bytes = copyBytes(packet, MAX_IPV4_PACKET, "a packet", sendPacket);
  callHost(sendPacket, Op.sendRaw, bytes);
}

export function dissect(packet: Uint8Array): unknown[] {
  const bytes = copyBytes(packet, MAX_IPV4_PACKET, "a packet", dissect);
  return callHost(dissect, Op.dissect, bytes) as unknown[];
}

const TCP_FLAGS = ["ae", "cwr", "ece", "urg", "ack", "psh", "rst", "syn", "fin"];

/** Copies one TCP option into plain data, checking its kind and numbers. */
function tcpOption(value: unknown): Record<string, unknown> {
  const o = readObject(value, "a TCP option");
  const kind = o.kind;
  const out = ObjectCreate(null) as Record<string, unknown>;
  out.kind = kind;
  switch (kind) {
    case "eol":
    case "nop":
    case "sackPermitted":
      return out;
    case "mss":
      wholeNumber(o, "value", 0xffff, out);
      if (out.value === undefined) throw new TypeErrorCtor("an mss option needs a value");
      return out;
    case "windowScale":
      wholeNumber(o, "shift", 255, out);
      if (out.shift === undefined) throw new TypeErrorCtor("a windowScale option needs a shift");
      return out;
    case "timestamps":
      wholeNumber(o, "value", 0xffffffff, out);
      wholeNumber(o, "echoReply", 0xffffffff, out);
      out.value ??= 0;
      out.echoReply ??= 0;
      return out;
    case "sack": {
      const blocks = o.blocks;
      if (!ArrayIsArray(blocks) || blocks.length < 1 || blocks.length > 4) {
        throw new TypeErrorCtor("a sack option needs 1 to 4 blocks, each [left, right]");
      }
      const copied: [number, number][] = [];
      for (let i = 0; i < blocks.length; i++) {
        const block = blocks[i] as unknown;
        if (!ArrayIsArray(block) || block.length !== 2) {
          throw new TypeErrorCtor("a SACK block is [left, right]");
        }
        const edges = ObjectCreate(null) as Record<string, unknown>;
        wholeNumber({ left: block[0], right: block[1] }, "left", 0xffffffff, edges);
        wholeNumber({ left: block[0], right: block[1] }, "right", 0xffffffff, edges);
        copied[i] = [edges.left as number, edges.right as number];
      }
      out.blocks = copied;
      return out;
    }
    default:
      throw new TypeErrorCtor(
        `unknown TCP option kind ${String(kind)}: use eol, nop, mss, windowScale, sackPermitted, sack or timestamps`,
      );
  }
}

export function tcpSegment(
  header: unknown,
  payload: Uint8Array | string | undefined,
  addresses: unknown,
): Uint8Array {
  const h = readObject(header, "the TCP header");
  const a = readObject(addresses, "addresses");
  const fields = ObjectCreate(null) as Record<string, unknown>;
  wholeNumber(h, "sourcePort", 0xffff, fields);
  wholeNumber(h, "destinationPort", 0xffff, fields);
  if (fields.sourcePort === undefined || fields.destinationPort === undefined) {
    throw new TypeErrorCtor("a TCP header needs sourcePort and destinationPort");
  }
  wholeNumber(h, "sequenceNumber", 0xffffffff, fields);
  wholeNumber(h, "acknowledgmentNumber", 0xffffffff, fields);
  wholeNumber(h, "dataOffset", 15, fields);
  wholeNumber(h, "reserved", 7, fields);
  for (let i = 0; i < TCP_FLAGS.length; i++) flag(h, TCP_FLAGS[i]!, fields);
  wholeNumber(h, "window", 0xffff, fields);
  wholeNumber(h, "checksum", 0xffff, fields);
  wholeNumber(h, "urgentPointer", 0xffff, fields);
  const options = h.options;
  if (ArrayIsArray(options)) {
    const copied: Record<string, unknown>[] = [];
    for (let i = 0; i < options.length && i <= 40; i++) copied[i] = tcpOption(options[i]);
    fields.options = copied;
  } else if (options !== undefined) {
    fields.options = copyBytes(options, 40, "options", tcpSegment);
  }
  const source = toIpv4Text(a.source, "source");
  const destination = toIpv4Text(a.destination, "destination");
  const body =
    payload === undefined
      ? new Uint8Array(0)
      : bytesOf(payload, MAX_IPV4_PACKET, "the payload", tcpSegment);
  return callHost(tcpSegment, Op.tcpSegment, fields, body, source, destination) as Uint8Array;
}

/**
 * The next IPv4 packet that arrives for this host and that no socket takes (see net.d.ts),
 * waiting up to `timeoutMs` of virtual time (default: as long as something can still arrive).
 * Throws IoError "WouldBlock" when the timeout passes.
 */
export function receivePacket(timeoutMs?: number | null): Uint8Array {
  let wait: number | null = null;
  if (timeoutMs !== undefined && timeoutMs !== null) {
    if (typeof timeoutMs !== "number" || !NumberIsFinite(timeoutMs) || timeoutMs <= 0) {
      throw new IoError(
        "InvalidInput",
        "receivePacket() takes a positive number of milliseconds",
        receivePacket,
      );
    }
    wait = MathMax(1, MathFloor(timeoutMs * 1000));
  }
  return callHost(receivePacket, Op.receivePacket, wait) as Uint8Array;
}
