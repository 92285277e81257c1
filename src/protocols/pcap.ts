// The classic libpcap file format (https://www.tcpdump.org/manpages/pcap-savefile.5.html), so
// runs can be opened in Wireshark and captures made elsewhere can be dissected here.

export const LINKTYPE = { ETHERNET: 1, RAW: 101, IPV4: 228 } as const;

export interface PcapRecord {
  /** Capture time in microseconds (since the epoch, or since a run began). */
  timeUs: number;
  bytes: Uint8Array;
}

export interface PcapFile {
  linkType: number;
  /** IPv4 packets, link-layer framing removed. */
  records: PcapRecord[];
  /** What was skipped or cut short, one sentence each ("record 3 is ARP, not IPv4: skipped"). */
  notes: string[];
}

/** A file that cannot be read as pcap; the message says why, in plain words. */
export class PcapError extends Error {
  override name = "PcapError";
}

const MAGIC_MICROSECONDS = 0xa1b2c3d4;
const MAGIC_NANOSECONDS = 0xa1b23c4d;
const PCAPNG_BLOCK = 0x0a0d0d0a;
const SNAPLEN = 65535;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;

/** Writes records as a little-endian, microsecond pcap with LINKTYPE_RAW (bare IPv4 packets). */
export function writePcap(records: PcapRecord[]): Uint8Array {
  let size = 24;
  for (const record of records) size += 16 + record.bytes.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC_MICROSECONDS, true);
  view.setUint16(4, 2, true); // version 2.4
  view.setUint16(6, 4, true);
  view.setUint32(16, SNAPLEN, true);
  view.setUint32(20, LINKTYPE.RAW, true);
  let at = 24;
  for (const record of records) {
    const time = Math.max(0, Math.floor(record.timeUs));
    view.setUint32(at, Math.floor(time / 1e6), true);
    view.setUint32(at + 4, time % 1e6, true);
    view.setUint32(at + 8, record.bytes.length, true);
    view.setUint32(at + 12, record.bytes.length, true);
    out.set(record.bytes, at + 16);
    at += 16 + record.bytes.length;
  }
  return out;
}

/** Reads a pcap file of either byte order and time resolution. Throws PcapError. */
export function readPcap(bytes: Uint8Array): PcapFile {
  if (bytes.length < 24) {
    throw new PcapError(
      `not a pcap file: ${bytes.length} bytes is shorter than the 24-byte pcap header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, true);
  if (magic === PCAPNG_BLOCK) {
    throw new PcapError(
      "this is a pcapng file, not classic pcap: convert it with `editcap -F pcap in.pcapng out.pcap`",
    );
  }
  let little: boolean;
  if (magic === MAGIC_MICROSECONDS || magic === MAGIC_NANOSECONDS) little = true;
  else if (
    view.getUint32(0, false) === MAGIC_MICROSECONDS ||
    view.getUint32(0, false) === MAGIC_NANOSECONDS
  )
    little = false;
  else {
    const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new PcapError(`not a pcap file: it starts with ${hex}, not the pcap magic a1 b2 c3 d4`);
  }
  const nanoseconds = view.getUint32(0, little) === MAGIC_NANOSECONDS;
  // The upper bits of the link-type word may carry FCS information (pcap-savefile(5)).
  const linkType = view.getUint32(20, little) & 0xffff;
  if (linkType !== LINKTYPE.RAW && linkType !== LINKTYPE.IPV4 && linkType !== LINKTYPE.ETHERNET) {
    throw new PcapError(
      `link type ${linkType} is not supported: only raw IP (101), IPv4 (228) and Ethernet (1)`,
    );
  }
  const records: PcapRecord[] = [];
  const notes: string[] = [];
  let at = 24;
  for (let number = 1; at < bytes.length; number++) {
    if (at + 16 > bytes.length) {
      notes.push(`record ${number} is cut off in its 16-byte header: the file ends early`);
      break;
    }
    const seconds = view.getUint32(at, little);
    const fraction = view.getUint32(at + 4, little);
    const included = view.getUint32(at + 8, little);
    const original = view.getUint32(at + 12, little);
    const start = at + 16;
    if (start + included > bytes.length) {
      notes.push(
        `record ${number} claims ${included} bytes but the file ends after ${bytes.length - start}`,
      );
      break;
    }
    at = start + included;
    if (included < original) {
      notes.push(`record ${number} was captured only in part (${included} of ${original} bytes)`);
    }
    const timeUs = seconds * 1e6 + (nanoseconds ? Math.floor(fraction / 1000) : fraction);
    const frame = bytes.subarray(start, start + included);
    const packet = linkType === LINKTYPE.ETHERNET ? stripEthernet(frame, number, notes) : frame;
    if (packet) records.push({ timeUs, bytes: packet });
  }
  return { linkType, records, notes };
}

function stripEthernet(frame: Uint8Array, number: number, notes: string[]): Uint8Array | null {
  if (frame.length < 14) {
    notes.push(`record ${number} is shorter than an Ethernet header: skipped`);
    return null;
  }
  let type = (frame[12]! << 8) | frame[13]!;
  let headerLength = 14;
  // IEEE 802.1Q tags (and an 802.1ad outer tag, "Q-in-Q") sit between the addresses and the
  // type: 4 bytes each, the real type after them.
  for (let tags = 0; tags < 2 && (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ); tags++) {
    if (frame.length < headerLength + 4) break;
    type = (frame[headerLength + 2]! << 8) | frame[headerLength + 3]!;
    headerLength += 4;
  }
  if (type !== ETHERTYPE_IPV4) {
    const name = ETHERTYPE_NAMES[type] ?? `ethertype 0x${type.toString(16).padStart(4, "0")}`;
    notes.push(`record ${number} is ${name}, not IPv4: skipped`);
    return null;
  }
  return frame.subarray(headerLength);
}

const ETHERTYPE_NAMES: Record<number, string> = { 0x0806: "ARP", 0x86dd: "IPv6", 0x88cc: "LLDP" };
