// TCP segments (RFC 9293 §3.1): a 20-byte header, options, and a checksum over an IPv4
// pseudo-header. Options: EOL and NOP (RFC 9293 §3.2), MSS (RFC 9293 §3.7.1), window scale and
// timestamps (RFC 7323), SACK-permitted and SACK (RFC 2018).
import { parseIpv4Address, requireIpv4Address, writeUint32 } from "./address.ts";
import { foldSum, sumWords } from "./checksum.ts";
import type { ChecksumStatus } from "./types.ts";

export const TCP_FLAG = {
  FIN: 0x001,
  SYN: 0x002,
  RST: 0x004,
  PSH: 0x008,
  ACK: 0x010,
  URG: 0x020,
  ECE: 0x040,
  CWR: 0x080,
  /** Accurate ECN (RFC 9768); the last of the bits RFC 9293 calls reserved. */
  AE: 0x100,
} as const;

export const TCP_OPTION_KIND = {
  EOL: 0,
  NOP: 1,
  MSS: 2,
  WINDOW_SCALE: 3,
  SACK_PERMITTED: 4,
  SACK: 5,
  TIMESTAMPS: 8,
} as const;

export type TcpOption =
  | { kind: "eol" }
  | { kind: "nop" }
  | { kind: "mss"; value: number }
  | { kind: "windowScale"; shift: number }
  | { kind: "sackPermitted" }
  | { kind: "sack"; blocks: [left: number, right: number][] }
  | { kind: "timestamps"; value: number; echoReply: number }
  | { kind: "unknown"; type: number; data: Uint8Array };

/** What a sender chooses; leave a field out to get its usual value. */
export interface TcpFields {
  sourcePort: number;
  destinationPort: number;
  sequenceNumber?: number;
  acknowledgmentNumber?: number;
  /** Header length in 32-bit words; follows from the options unless given. */
  dataOffset?: number;
  /** The three reserved bits before AE (RFC 9293 §3.1: must be zero). */
  reserved?: number;
  ae?: boolean;
  cwr?: boolean;
  ece?: boolean;
  urg?: boolean;
  ack?: boolean;
  psh?: boolean;
  rst?: boolean;
  syn?: boolean;
  fin?: boolean;
  window?: number; // default 65535
  /** Computed over the pseudo-header unless given; a given value is written as is. */
  checksum?: number;
  urgentPointer?: number;
  /** Structured options, or raw option bytes; padded with zeros (EOL) to a multiple of 4. */
  options?: TcpOption[] | Uint8Array;
}

export interface TcpHeader {
  sourcePort: number;
  destinationPort: number;
  sequenceNumber: number;
  acknowledgmentNumber: number;
  dataOffset: number;
  reserved: number;
  /** The 9 flag bits, AE (0x100) down to FIN (0x001). */
  flags: number;
  window: number;
  checksum: number;
  urgentPointer: number;
  /** The options as they decode, up to the first malformed one. */
  options: TcpOption[];
}

export interface TcpAddresses {
  source: string;
  destination: string;
}

export interface TcpDecoded {
  /** null when fewer than 20 bytes were given. */
  header: TcpHeader | null;
  /** The bytes after the header (empty when the header does not fit). */
  payload: Uint8Array;
  checksumStatus: ChecksumStatus;
  errors: string[];
}

const EMPTY = new Uint8Array(0);
export const TCP_HEADER_BYTES = 20;

/** Unfolded sum of the IPv4 pseudo-header (RFC 9293 §3.1): addresses, zero, 6, TCP length. */
export function tcpPseudoHeaderSum(source: number, destination: number, length: number): number {
  return (
    (source >>> 16) +
    (source & 0xffff) +
    (destination >>> 16) +
    (destination & 0xffff) +
    6 +
    (length & 0xffff)
  );
}

/** Option list → bytes, not yet padded. Throws a RangeError for a value out of range. */
export function encodeTcpOptions(options: TcpOption[]): Uint8Array {
  const out: number[] = [];
  const u16 = (v: number, what: string) => {
    checkRange(v, 0xffff, what);
    out.push(v >>> 8, v & 0xff);
  };
  const u32 = (v: number, what: string) => {
    checkRange(v, 0xffffffff, what);
    out.push(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  };
  for (const option of options) {
    switch (option?.kind) {
      case "eol":
        out.push(0);
        break;
      case "nop":
        out.push(1);
        break;
      case "mss":
        out.push(2, 4);
        u16(option.value, "the MSS");
        break;
      case "windowScale":
        checkRange(option.shift, 255, "the window scale shift");
        out.push(3, 3, option.shift);
        break;
      case "sackPermitted":
        out.push(4, 2);
        break;
      case "sack": {
        const blocks = Array.isArray(option.blocks) ? option.blocks : [];
        if (blocks.length < 1 || blocks.length > 4)
          throw new RangeError("a SACK option holds 1 to 4 blocks");
        out.push(5, 2 + 8 * blocks.length);
        for (const block of blocks) {
          u32(block?.[0], "a SACK left edge");
          u32(block?.[1], "a SACK right edge");
        }
        break;
      }
      case "timestamps":
        out.push(8, 10);
        u32(option.value, "the timestamp value");
        u32(option.echoReply, "the timestamp echo reply");
        break;
      case "unknown": {
        checkRange(option.type, 255, "an option kind");
        const data = option.data instanceof Uint8Array ? option.data : EMPTY;
        if (data.length > 38) throw new RangeError("an option holds at most 38 bytes of data");
        out.push(option.type, data.length + 2, ...data);
        break;
      }
      default:
        throw new RangeError(
          `unknown TCP option kind "${String((option as { kind?: unknown } | null)?.kind)}"`,
        );
    }
  }
  if (out.length > 40) throw new RangeError(`TCP options take at most 40 bytes, not ${out.length}`);
  return Uint8Array.from(out);
}

function checkRange(value: unknown, max: number, what: string): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max)
    throw new RangeError(`${what} must be a whole number from 0 to ${max}`);
}

/** Builds a TCP segment; the addresses only feed the checksum's pseudo-header. */
export function encodeTcp(
  fields: TcpFields,
  payload: Uint8Array,
  addresses: TcpAddresses,
): Uint8Array {
  const raw =
    fields.options instanceof Uint8Array
      ? fields.options
      : fields.options
        ? encodeTcpOptions(fields.options)
        : EMPTY;
  if (raw.length > 40) throw new RangeError(`TCP options take at most 40 bytes, not ${raw.length}`);
  const headerLength = TCP_HEADER_BYTES + ((raw.length + 3) & ~3);
  const segment = new Uint8Array(headerLength + payload.length);
  const dataOffset = fields.dataOffset ?? headerLength / 4;
  const flags =
    (fields.ae ? TCP_FLAG.AE : 0) |
    (fields.cwr ? TCP_FLAG.CWR : 0) |
    (fields.ece ? TCP_FLAG.ECE : 0) |
    (fields.urg ? TCP_FLAG.URG : 0) |
    (fields.ack ? TCP_FLAG.ACK : 0) |
    (fields.psh ? TCP_FLAG.PSH : 0) |
    (fields.rst ? TCP_FLAG.RST : 0) |
    (fields.syn ? TCP_FLAG.SYN : 0) |
    (fields.fin ? TCP_FLAG.FIN : 0);
  const window = fields.window ?? 65535;
  segment[0] = (fields.sourcePort >>> 8) & 0xff;
  segment[1] = fields.sourcePort & 0xff;
  segment[2] = (fields.destinationPort >>> 8) & 0xff;
  segment[3] = fields.destinationPort & 0xff;
  writeUint32(segment, 4, (fields.sequenceNumber ?? 0) >>> 0);
  writeUint32(segment, 8, (fields.acknowledgmentNumber ?? 0) >>> 0);
  segment[12] = ((dataOffset & 0xf) << 4) | (((fields.reserved ?? 0) & 7) << 1) | (flags >>> 8);
  segment[13] = flags & 0xff;
  segment[14] = (window >>> 8) & 0xff;
  segment[15] = window & 0xff;
  const urgent = fields.urgentPointer ?? 0;
  segment[18] = (urgent >>> 8) & 0xff;
  segment[19] = urgent & 0xff;
  segment.set(raw, TCP_HEADER_BYTES);
  segment.set(payload, headerLength);
  let checksum = fields.checksum;
  if (checksum === undefined) {
    const source = requireIpv4Address(addresses.source, "source address");
    const destination = requireIpv4Address(addresses.destination, "destination address");
    checksum =
      ~foldSum(sumWords(segment, tcpPseudoHeaderSum(source, destination, segment.length))) & 0xffff;
  }
  segment[16] = (checksum >>> 8) & 0xff;
  segment[17] = checksum & 0xff;
  return segment;
}

/** Decodes a TCP header and checks the checksum when the addresses are known. Never throws. */
export function decodeTcp(bytes: Uint8Array, addresses?: TcpAddresses): TcpDecoded {
  if (!addresses) return decodeTcpWithAddresses(bytes, null, null);
  return decodeTcpWithAddresses(
    bytes,
    parseIpv4Address(addresses.source),
    parseIpv4Address(addresses.destination),
  );
}

/** decodeTcp with the addresses as uint32s (null: unknown). `bytes` is the whole segment. */
export function decodeTcpWithAddresses(
  bytes: Uint8Array,
  source: number | null,
  destination: number | null,
): TcpDecoded {
  const available = bytes.length;
  if (available < TCP_HEADER_BYTES) {
    return {
      header: null,
      payload: EMPTY,
      // What is there can still be summed (Wireshark does), though it will not match.
      checksumStatus:
        source === null || destination === null || available < 18
          ? "unverified"
          : foldSum(sumWords(bytes, tcpPseudoHeaderSum(source, destination, available))) === 0xffff
            ? "valid"
            : "invalid",
      errors: [`a TCP header needs 20 bytes, only ${available} left in the IP packet`],
    };
  }
  const errors: string[] = [];
  const dataOffset = bytes[12]! >>> 4;
  const headerLength = dataOffset * 4;
  const header: TcpHeader = {
    sourcePort: (bytes[0]! << 8) | bytes[1]!,
    destinationPort: (bytes[2]! << 8) | bytes[3]!,
    sequenceNumber: readUint32(bytes, 4),
    acknowledgmentNumber: readUint32(bytes, 8),
    dataOffset,
    reserved: (bytes[12]! >>> 1) & 7,
    flags: ((bytes[12]! & 1) << 8) | bytes[13]!,
    window: (bytes[14]! << 8) | bytes[15]!,
    checksum: (bytes[16]! << 8) | bytes[17]!,
    urgentPointer: (bytes[18]! << 8) | bytes[19]!,
    options: [],
  };
  let payload: Uint8Array = EMPTY;
  if (headerLength < TCP_HEADER_BYTES) {
    errors.push(
      `data offset ${dataOffset} is below the minimum of 5 (a 20-byte header counts 5 words)`,
    );
  } else if (headerLength > available) {
    errors.push(
      `data offset ${dataOffset} says the header has ${headerLength} bytes, only ${available} are there`,
    );
  } else {
    const parsed = parseTcpOptions(bytes.subarray(TCP_HEADER_BYTES, headerLength));
    header.options = parsed.options;
    errors.push(...parsed.errors);
    payload = bytes.subarray(headerLength);
  }
  let checksumStatus: ChecksumStatus = "unverified";
  if (source !== null && destination !== null) {
    const sum = foldSum(sumWords(bytes, tcpPseudoHeaderSum(source, destination, available)));
    checksumStatus = sum === 0xffff ? "valid" : "invalid";
  }
  return { header, payload, checksumStatus, errors };
}

export interface ParsedTcpOption {
  option: TcpOption;
  /** Byte offset within the option bytes, and the bytes it covers. */
  offset: number;
  length: number;
  /** Set when the option's length byte is wrong for its kind (the option is then "unknown"). */
  error?: string;
}

/**
 * Walks the option bytes (RFC 9293 §3.2): kinds 0 and 1 are one byte; every other option is
 * kind, length (counting both), data. EOL ends the list but the bytes after it are still
 * walked, as Wireshark does (they are padding, normally more EOLs).
 */
export function parseTcpOptionList(raw: Uint8Array): {
  parsed: ParsedTcpOption[];
  errors: string[];
} {
  const parsed: ParsedTcpOption[] = [];
  const errors: string[] = [];
  let i = 0;
  while (i < raw.length) {
    const kind = raw[i]!;
    if (kind === TCP_OPTION_KIND.EOL && raw.subarray(i).some((b) => b !== 0)) {
      // RFC 9293 §3.2: after End of Option List comes padding, which must be zero.
      parsed.push({ option: { kind: "eol" }, offset: i, length: 1 });
      errors.push("the bytes after End of Option List are padding and must be zero");
      break;
    }
    if (kind === TCP_OPTION_KIND.EOL || kind === TCP_OPTION_KIND.NOP) {
      parsed.push({ option: { kind: kind === 0 ? "eol" : "nop" }, offset: i, length: 1 });
      i++;
      continue;
    }
    if (i + 1 >= raw.length) {
      errors.push(`option kind ${kind} at the end of the header has no length byte`);
      break;
    }
    const length = raw[i + 1]!;
    if (length < 2) {
      errors.push(`option kind ${kind} has length ${length}; an option's length is at least 2`);
      break;
    }
    if (i + length > raw.length) {
      errors.push(
        `option kind ${kind} has length ${length}, past the end of the header (${raw.length - i} bytes left)`,
      );
      break;
    }
    const data = raw.subarray(i + 2, i + length);
    const entry: ParsedTcpOption = {
      option: structured(kind, data),
      offset: i,
      length,
    };
    const expected = EXPECTED_LENGTH[kind];
    const sackOk = kind === TCP_OPTION_KIND.SACK && (length - 2) % 8 === 0 && length > 2;
    if ((expected !== undefined && length !== expected) || (kind === 5 && !sackOk)) {
      entry.error =
        kind === TCP_OPTION_KIND.SACK
          ? `a SACK option's length is 2 + 8 per block, not ${length}`
          : `option kind ${kind} should have length ${expected}, not ${length}`;
      entry.option = { kind: "unknown", type: kind, data: data.slice() };
    }
    if (entry.option.kind === "windowScale" && entry.option.shift > 14) {
      entry.error = `window scale shift ${entry.option.shift} exceeds 14 (RFC 7323 §2.3); 14 is used`;
    }
    parsed.push(entry);
    i += length;
  }
  return { parsed, errors };
}

const EXPECTED_LENGTH: Record<number, number> = { 2: 4, 3: 3, 4: 2, 8: 10 };

export function parseTcpOptions(raw: Uint8Array): { options: TcpOption[]; errors: string[] } {
  const { parsed, errors } = parseTcpOptionList(raw);
  return { options: parsed.map((p) => p.option), errors };
}

function structured(kind: number, data: Uint8Array): TcpOption {
  switch (kind) {
    case TCP_OPTION_KIND.MSS:
      if (data.length === 2) return { kind: "mss", value: (data[0]! << 8) | data[1]! };
      break;
    case TCP_OPTION_KIND.WINDOW_SCALE:
      if (data.length === 1) return { kind: "windowScale", shift: data[0]! };
      break;
    case TCP_OPTION_KIND.SACK_PERMITTED:
      if (data.length === 0) return { kind: "sackPermitted" };
      break;
    case TCP_OPTION_KIND.SACK:
      if (data.length > 0 && data.length % 8 === 0) {
        const blocks: [number, number][] = [];
        for (let at = 0; at < data.length; at += 8)
          blocks.push([readUint32(data, at), readUint32(data, at + 4)]);
        return { kind: "sack", blocks };
      }
      break;
    case TCP_OPTION_KIND.TIMESTAMPS:
      if (data.length === 8)
        return { kind: "timestamps", value: readUint32(data, 0), echoReply: readUint32(data, 4) };
      break;
  }
  return { kind: "unknown", type: kind, data: data.slice() };
}

export function readUint32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0
  );
}

/** "SYN, ACK": the set flags in Wireshark's order (FIN first). */
export function tcpFlagNames(flags: number): string {
  const names: string[] = [];
  if (flags & TCP_FLAG.FIN) names.push("FIN");
  if (flags & TCP_FLAG.SYN) names.push("SYN");
  if (flags & TCP_FLAG.RST) names.push("RST");
  if (flags & TCP_FLAG.PSH) names.push("PSH");
  if (flags & TCP_FLAG.ACK) names.push("ACK");
  if (flags & TCP_FLAG.URG) names.push("URG");
  if (flags & TCP_FLAG.ECE) names.push("ECE");
  if (flags & TCP_FLAG.CWR) names.push("CWR");
  if (flags & TCP_FLAG.AE) names.push("AE");
  return names.join(", ");
}
