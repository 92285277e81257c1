// IPv4 headers (RFC 791 §3.1) as flat records, and their bytes. The decoder is the fast path the
// simulated network runs on every packet, so it builds no Field objects (see dissect.ts for those).
import { formatIpv4Bytes, requireIpv4Address, writeUint32 } from "./address.ts";
import { foldSum, sumWords } from "./checksum.ts";

export const IP_PROTOCOL = { ICMP: 1, TCP: 6, UDP: 17 } as const;

/** What a sender chooses; leave a field out to get its usual value (mirrors sandbox Ipv4HeaderFields). */
export interface Ipv4Fields {
  source: string;
  destination: string;
  protocol?: number; // default 17 (UDP)
  ttl?: number; // default 64
  dscp?: number;
  ecn?: number;
  identification?: number;
  /** The first flag bit, which RFC 791 says must be zero ("evil bit" of RFC 3514). */
  reserved?: boolean;
  dontFragment?: boolean;
  moreFragments?: boolean;
  /** In 8-byte units, as on the wire. */
  fragmentOffset?: number;
  /** Computed unless given; a given value is written as is, even if wrong. */
  totalLength?: number;
  /** Computed (RFC 1071) unless given; a given value is written as is, even if wrong. */
  headerChecksum?: number;
  /** Raw option bytes; padded with zeros (End of Option List) to a multiple of 4. */
  options?: Uint8Array;
  /** Follows from the options unless given. */
  ihl?: number;
  version?: number; // default 4
}

/** A decoded header: every field as found on the wire. */
export interface Ipv4Header {
  version: number;
  ihl: number;
  dscp: number;
  ecn: number;
  totalLength: number;
  identification: number;
  reserved: boolean;
  dontFragment: boolean;
  moreFragments: boolean;
  /** In 8-byte units, as on the wire. */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  headerChecksum: number;
  source: string;
  destination: string;
  options: Uint8Array;
}

export interface Ipv4Decoded {
  /** null when fewer than 20 bytes were given. */
  header: Ipv4Header | null;
  /** The bytes after the header, limited by totalLength and by what was captured. */
  payload: Uint8Array;
  checksumValid: boolean;
  errors: string[];
}

const EMPTY = new Uint8Array(0);

/** Builds an IPv4 packet: header (with computed ihl, totalLength and checksum) + payload. */
export function encodeIpv4(fields: Ipv4Fields, payload: Uint8Array = EMPTY): Uint8Array {
  const source = requireIpv4Address(fields.source, "source address");
  const destination = requireIpv4Address(fields.destination, "destination address");
  const rawOptions = fields.options ?? EMPTY;
  const optionsLength = (rawOptions.length + 3) & ~3;
  const headerLength = 20 + optionsLength;
  const packet = new Uint8Array(headerLength + payload.length);
  const ihl = fields.ihl ?? headerLength / 4;
  const totalLength = fields.totalLength ?? packet.length;
  const flags =
    (fields.reserved ? 4 : 0) | (fields.dontFragment ? 2 : 0) | (fields.moreFragments ? 1 : 0);
  const fragmentOffset = fields.fragmentOffset ?? 0;
  packet[0] = (((fields.version ?? 4) & 0xf) << 4) | (ihl & 0xf);
  packet[1] = (((fields.dscp ?? 0) & 0x3f) << 2) | ((fields.ecn ?? 0) & 3);
  packet[2] = (totalLength >>> 8) & 0xff;
  packet[3] = totalLength & 0xff;
  const identification = fields.identification ?? 0;
  packet[4] = (identification >>> 8) & 0xff;
  packet[5] = identification & 0xff;
  packet[6] = (flags << 5) | ((fragmentOffset >>> 8) & 0x1f);
  packet[7] = fragmentOffset & 0xff;
  packet[8] = (fields.ttl ?? 64) & 0xff;
  packet[9] = (fields.protocol ?? IP_PROTOCOL.UDP) & 0xff;
  writeUint32(packet, 12, source);
  writeUint32(packet, 16, destination);
  packet.set(rawOptions, 20);
  const checksum = fields.headerChecksum ?? ~foldSum(sumWords(packet, 0, 0, headerLength)) & 0xffff;
  packet[10] = (checksum >>> 8) & 0xff;
  packet[11] = checksum & 0xff;
  packet.set(payload, headerLength);
  return packet;
}

/**
 * Decodes an IPv4 header. Never throws: whatever is wrong goes to `errors`, in words a learner
 * understands, and the header is still returned whenever its fixed 20 bytes are there.
 */
export function decodeIpv4(bytes: Uint8Array): Ipv4Decoded {
  const length = bytes.length;
  if (length < 20) {
    return {
      header: null,
      payload: EMPTY,
      checksumValid: false,
      errors: [`an IPv4 header needs at least 20 bytes, only ${length} captured`],
    };
  }
  const errors: string[] = [];
  const version = bytes[0]! >>> 4;
  const ihl = bytes[0]! & 0xf;
  const totalLength = (bytes[2]! << 8) | bytes[3]!;
  const flagsAndOffset = (bytes[6]! << 8) | bytes[7]!;
  // RFC 791: IHL counts 32-bit words; below 5 the fixed fields do not fit.
  const claimedHeaderLength = ihl * 4;
  let headerLength = claimedHeaderLength;
  if (version !== 4) errors.push(`version ${version} is not 4: this is not an IPv4 header`);
  if (ihl < 5) {
    errors.push(`IHL ${ihl} is below the minimum of 5 (20 bytes)`);
    headerLength = 20;
  } else if (claimedHeaderLength > length) {
    errors.push(`IHL ${ihl} (${claimedHeaderLength} bytes) exceeds the ${length} bytes captured`);
    headerLength = length;
  }
  let end = length;
  if (totalLength > length) {
    errors.push(`total length ${totalLength} exceeds the ${length} bytes captured`);
  } else if (totalLength < headerLength) {
    errors.push(`total length ${totalLength} is shorter than the ${headerLength}-byte header`);
  } else {
    end = totalLength;
  }
  const checksumValid =
    ihl >= 5 &&
    claimedHeaderLength <= length &&
    foldSum(sumWords(bytes, 0, 0, headerLength)) === 0xffff;
  const header: Ipv4Header = {
    version,
    ihl,
    dscp: bytes[1]! >>> 2,
    ecn: bytes[1]! & 3,
    totalLength,
    identification: (bytes[4]! << 8) | bytes[5]!,
    reserved: (flagsAndOffset & 0x8000) !== 0,
    dontFragment: (flagsAndOffset & 0x4000) !== 0,
    moreFragments: (flagsAndOffset & 0x2000) !== 0,
    fragmentOffset: flagsAndOffset & 0x1fff,
    ttl: bytes[8]!,
    protocol: bytes[9]!,
    headerChecksum: (bytes[10]! << 8) | bytes[11]!,
    source: formatIpv4Bytes(bytes, 12),
    destination: formatIpv4Bytes(bytes, 16),
    // Most headers have no options; a shared empty array spares creating a view (slow in V8).
    options: headerLength === 20 ? EMPTY : bytes.subarray(20, headerLength),
  };
  const payload = end > headerLength ? bytes.subarray(headerLength, end) : EMPTY;
  return { header, payload, checksumValid, errors };
}
