// Hand-built packets. The sandbox only validates and copies the learner's fields into plain
// data; the host encodes them with src/protocols (the same encoders the network uses) and
// dissects with the same dissector the packet browser uses.
import { toIpv4Text } from "./addr.ts";
import { bytesOf, copyBytes } from "./bytes.ts";
import { callHost } from "./host.ts";
import { NumberIsInteger, ObjectCreate, ObjectFreeze, TypeErrorCtor } from "./primordials.ts";
import { MAX_IPV4_PACKET, MAX_UDP_PAYLOAD, Op } from "./protocol.ts";

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
