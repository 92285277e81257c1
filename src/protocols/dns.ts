// DNS messages (RFC 1035 §4): a 12-byte header and four sections of questions and records.
// Records the lesson uses (A, AAAA, CNAME, NS, PTR, TXT) are decoded; others keep raw rdata.
import { formatIpv4Bytes, requireIpv4Address, writeUint32 } from "./address.ts";
import { nameLabels, readName } from "./dns-name.ts";
import { formatIpv6Bytes, parseIpv6Address } from "./ipv6-address.ts";

export const DNS_TYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  OPT: 41,
} as const;
export const DNS_CLASS = { IN: 1, CH: 3, HS: 4, ANY: 255 } as const;
export const DNS_OPCODE = { QUERY: 0, IQUERY: 1, STATUS: 2 } as const;
export const DNS_RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

export interface DnsFlags {
  /** Query (false) or response (true). */
  qr: boolean;
  opcode: number;
  /** Authoritative Answer. */
  aa: boolean;
  /** TrunCation. */
  tc: boolean;
  /** Recursion Desired. */
  rd: boolean;
  /** Recursion Available. */
  ra: boolean;
  /** RFC 1035's 3 reserved bits (RFC 4035 later named the low two AD and CD). */
  z: number;
  rcode: number;
}

export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

export type DnsRdata =
  | { kind: "A"; address: string }
  | { kind: "AAAA"; address: string }
  | { kind: "CNAME" | "NS" | "PTR"; name: string }
  | { kind: "TXT"; strings: string[] }
  | { kind: "raw"; bytes: Uint8Array };

export interface DnsRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  data: DnsRdata;
}

export interface DnsMessage {
  id: number;
  flags: DnsFlags;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
}

/** Where each part of a decoded message sits, for the dissector's bit offsets. */
export interface DnsLayout {
  counts: { questions: number; answers: number; authorities: number; additionals: number };
  questions: { start: number; nameEnd: number; end: number }[];
  records: {
    section: DnsSection;
    start: number;
    nameEnd: number;
    rdataStart: number;
    end: number;
  }[];
}

export type DnsSection = "answers" | "authorities" | "additionals";

export interface DnsDecoded {
  /** null when the 12-byte header is not there; otherwise what could be read before any error. */
  message: DnsMessage | null;
  errors: string[];
}

export function dnsFlagsToNumber(flags: DnsFlags): number {
  return (
    (flags.qr ? 0x8000 : 0) |
    ((flags.opcode & 0xf) << 11) |
    (flags.aa ? 0x400 : 0) |
    (flags.tc ? 0x200 : 0) |
    (flags.rd ? 0x100 : 0) |
    (flags.ra ? 0x80 : 0) |
    ((flags.z & 7) << 4) |
    (flags.rcode & 0xf)
  );
}

export function dnsFlagsFromNumber(value: number): DnsFlags {
  return {
    qr: (value & 0x8000) !== 0,
    opcode: (value >>> 11) & 0xf,
    aa: (value & 0x400) !== 0,
    tc: (value & 0x200) !== 0,
    rd: (value & 0x100) !== 0,
    ra: (value & 0x80) !== 0,
    z: (value >>> 4) & 7,
    rcode: value & 0xf,
  };
}

/**
 * Encodes a message, compressing repeated name suffixes with pointers (RFC 1035 §4.1.4).
 * Throws a RangeError for names or data that cannot be encoded (a label over 63 bytes…).
 */
export function encodeDns(message: DnsMessage): Uint8Array {
  const writer = new Writer();
  writer.u16(message.id);
  writer.u16(dnsFlagsToNumber(message.flags));
  writer.u16(message.questions.length);
  writer.u16(message.answers.length);
  writer.u16(message.authorities.length);
  writer.u16(message.additionals.length);
  for (const question of message.questions) {
    writer.name(question.name);
    writer.u16(question.type);
    writer.u16(question.class);
  }
  for (const record of [...message.answers, ...message.authorities, ...message.additionals]) {
    writer.name(record.name);
    writer.u16(record.type);
    writer.u16(record.class);
    writer.u32(record.ttl);
    const lengthAt = writer.length;
    writer.u16(0);
    writeRdata(writer, record.data);
    const rdataLength = writer.length - lengthAt - 2;
    if (rdataLength > 0xffff) throw new RangeError("record data is longer than 65535 bytes");
    writer.patchU16(lengthAt, rdataLength);
  }
  return writer.bytes();
}

function writeRdata(writer: Writer, data: DnsRdata): void {
  switch (data.kind) {
    case "A":
      writer.u32(requireIpv4Address(data.address, "A record address"));
      break;
    case "AAAA": {
      const address = parseIpv6Address(data.address);
      if (!address) throw new RangeError(`AAAA record address "${data.address}" is not IPv6`);
      writer.raw(address);
      break;
    }
    case "CNAME":
    case "NS":
    case "PTR":
      writer.name(data.name);
      break;
    case "TXT":
      for (const text of data.strings) {
        const bytes = new TextEncoder().encode(text);
        if (bytes.length > 255) throw new RangeError("a TXT string is longer than 255 bytes");
        writer.u8(bytes.length);
        writer.raw(bytes);
      }
      break;
    case "raw":
      writer.raw(data.bytes);
      break;
  }
}

/** Decodes a message. Never throws: stops at the first error and returns what it read. */
export function decodeDns(bytes: Uint8Array): DnsDecoded {
  const { message, errors } = decodeDnsWithLayout(bytes);
  return { message, errors };
}

export function decodeDnsWithLayout(bytes: Uint8Array): DnsDecoded & { layout: DnsLayout } {
  const layout: DnsLayout = {
    counts: { questions: 0, answers: 0, authorities: 0, additionals: 0 },
    questions: [],
    records: [],
  };
  if (bytes.length < 12) {
    return {
      message: null,
      errors: [`a DNS header needs 12 bytes, only ${bytes.length} present`],
      layout,
    };
  }
  const counts = {
    questions: readU16(bytes, 4),
    answers: readU16(bytes, 6),
    authorities: readU16(bytes, 8),
    additionals: readU16(bytes, 10),
  };
  layout.counts = counts;
  const message: DnsMessage = {
    id: readU16(bytes, 0),
    flags: dnsFlagsFromNumber(readU16(bytes, 2)),
    questions: [],
    answers: [],
    authorities: [],
    additionals: [],
  };
  const errors: string[] = [];
  let offset = 12;
  for (let i = 0; i < counts.questions; i++) {
    const name = readName(bytes, offset);
    if (name.error) {
      errors.push(`question ${i + 1}: ${name.error}`);
      return { message, errors, layout };
    }
    if (name.end + 4 > bytes.length) {
      errors.push(`question ${i + 1} is cut off: its type and class are missing`);
      return { message, errors, layout };
    }
    message.questions.push({
      name: name.name,
      type: readU16(bytes, name.end),
      class: readU16(bytes, name.end + 2),
    });
    layout.questions.push({ start: offset, nameEnd: name.end, end: name.end + 4 });
    offset = name.end + 4;
  }
  const sections: DnsSection[] = ["answers", "authorities", "additionals"];
  for (const section of sections) {
    const singular = section.slice(0, -1).replace("authoritie", "authority");
    for (let i = 0; i < counts[section]; i++) {
      const name = readName(bytes, offset);
      if (name.error) {
        errors.push(`${singular} record ${i + 1}: ${name.error}`);
        return { message, errors, layout };
      }
      const rdataStart = name.end + 10;
      if (rdataStart > bytes.length) {
        errors.push(`${singular} record ${i + 1} is cut off in its fixed fields`);
        return { message, errors, layout };
      }
      const rdataLength = readU16(bytes, name.end + 8);
      if (rdataStart + rdataLength > bytes.length) {
        errors.push(
          `${singular} record ${i + 1}: data length ${rdataLength} exceeds the ${bytes.length - rdataStart} bytes left`,
        );
        return { message, errors, layout };
      }
      const type = readU16(bytes, name.end);
      const ttl = ((readU16(bytes, name.end + 4) << 16) | readU16(bytes, name.end + 6)) >>> 0;
      const { data, error } = readRdata(bytes, type, rdataStart, rdataLength);
      if (error) errors.push(`${singular} record ${i + 1}: ${error}`);
      message[section].push({
        name: name.name,
        type,
        class: readU16(bytes, name.end + 2),
        ttl,
        data,
      });
      layout.records.push({
        section,
        start: offset,
        nameEnd: name.end,
        rdataStart,
        end: rdataStart + rdataLength,
      });
      offset = rdataStart + rdataLength;
    }
  }
  if (offset < bytes.length) {
    errors.push(`${bytes.length - offset} bytes follow the last record`);
  }
  return { message, errors, layout };
}

function readRdata(
  bytes: Uint8Array,
  type: number,
  start: number,
  length: number,
): { data: DnsRdata; error?: string } {
  switch (type) {
    case DNS_TYPE.A:
      if (length !== 4)
        return rawRdata(bytes, start, length, `an A record holds 4 bytes, not ${length}`);
      return { data: { kind: "A", address: formatIpv4Bytes(bytes, start) } };
    case DNS_TYPE.AAAA:
      if (length !== 16)
        return rawRdata(bytes, start, length, `an AAAA record holds 16 bytes, not ${length}`);
      return {
        data: { kind: "AAAA", address: formatIpv6Bytes(bytes.subarray(start, start + 16)) },
      };
    case DNS_TYPE.CNAME:
    case DNS_TYPE.NS:
    case DNS_TYPE.PTR: {
      // Names inside rdata may point anywhere earlier in the message, so read from the whole.
      const name = readName(bytes.subarray(0, start + length), start);
      if (name.error) return rawRdata(bytes, start, length, name.error);
      if (name.end !== start + length)
        return rawRdata(bytes, start, length, "the name does not fill the record data");
      const kind = type === DNS_TYPE.CNAME ? "CNAME" : type === DNS_TYPE.NS ? "NS" : "PTR";
      return { data: { kind, name: name.name } };
    }
    case DNS_TYPE.TXT: {
      const strings: string[] = [];
      const decoder = new TextDecoder();
      let at = start;
      while (at < start + length) {
        const size = bytes[at]!;
        if (at + 1 + size > start + length)
          return rawRdata(bytes, start, length, "a TXT string runs past the record data");
        strings.push(decoder.decode(bytes.subarray(at + 1, at + 1 + size)));
        at += 1 + size;
      }
      return { data: { kind: "TXT", strings } };
    }
    default:
      return rawRdata(bytes, start, length);
  }
}

/** Record data kept as bytes, when its type is unknown or its length is wrong for the type. */
function rawRdata(
  bytes: Uint8Array,
  start: number,
  length: number,
  error?: string,
): { data: DnsRdata; error?: string } {
  return { data: { kind: "raw", bytes: bytes.slice(start, start + length) }, error };
}

// Module-level helpers rather than closures made per call: tsx (esbuild keepNames) names every
// closure with a defineProperty call, which dominated the time of decoding a message.
function readU16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

/** A growing byte buffer that remembers where names were written, for compression. */
class Writer {
  private buffer = new Uint8Array(512);
  length = 0;
  private readonly names = new Map<string, number>();

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }
  u8(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value & 0xff;
  }
  u16(value: number): void {
    this.u8(value >>> 8);
    this.u8(value);
  }
  u32(value: number): void {
    this.reserve(4);
    writeUint32(this.buffer, this.length, value >>> 0);
    this.length += 4;
  }
  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }
  patchU16(at: number, value: number): void {
    this.buffer[at] = (value >>> 8) & 0xff;
    this.buffer[at + 1] = value & 0xff;
  }
  name(name: string): void {
    const labels = nameLabels(name);
    const decoder = new TextDecoder();
    for (let i = 0; i < labels.length; i++) {
      // Names compare case-insensitively (RFC 1035 §2.3.3), so the lookup key is lower case.
      const suffix = labels
        .slice(i)
        .map((label) => decoder.decode(label).toLowerCase())
        .join(".");
      const earlier = this.names.get(suffix);
      if (earlier !== undefined) {
        this.u16(0xc000 | earlier);
        return;
      }
      if (this.length < 0x4000) this.names.set(suffix, this.length);
      this.u8(labels[i]!.length);
      this.raw(labels[i]!);
    }
    this.u8(0);
  }
  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
