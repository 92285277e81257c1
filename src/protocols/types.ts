// The dissector's output: what a frontend needs to draw the packet browser (a table of header
// fields beside the hex bytes, with the selected field's bits highlighted). Plain data only, so
// it can be sent as JSON unchanged.

/** One header field. Offsets count bits from the first byte of the whole packet. */
export interface Field {
  /** RFC name in camelCase: version, ihl, dscp, totalLength, sourcePort, … */
  name: string;
  /** Human title as the RFC writes it: "Time to Live", "Source Port". */
  title: string;
  /** Decoded value: numbers for numeric fields, dotted quads for addresses, strings for names. */
  value: number | string | boolean;
  /** Optional human rendering: "0x1c46", "UDP (17)", "Don't Fragment". */
  display?: string;
  bitOffset: number;
  bitLength: number;
  /** Wireshark display-filter name of the same field (ip.ttl, udp.srcport), for cross-checking. */
  wireshark?: string;
  /** Sub-fields (the bits of IPv4 flags, DNS flags, the records of a DNS section). */
  children?: Field[];
}

export type ChecksumStatus = "valid" | "invalid" | "none" | "unverified";

/** One protocol layer of a dissected packet. */
export interface Layer {
  protocol: "ipv4" | "udp" | "tcp" | "icmp" | "dns" | "name-lookup" | "payload";
  /** Human title: "Internet Protocol Version 4". */
  title: string;
  /** Byte offset of the layer in the packet, and how many bytes it covers. */
  byteOffset: number;
  byteLength: number;
  fields: Field[];
  /** One-line summary, e.g. "10.0.0.2 → 10.0.0.53, TTL 64, UDP". */
  summary: string;
  checksum?: ChecksumStatus;
  /** What could not be decoded, in words a learner understands ("total length 60 exceeds 28 bytes"). */
  errors: string[];
  /**
   * True on the layers of another packet that an ICMP error quotes (its IPv4 header, UDP header
   * and what follows): they describe the packet that failed, not this one. Absent otherwise.
   */
  quoted?: boolean;
}

export interface Dissection {
  layers: Layer[];
  /** One line for a packet list: "10.0.0.2:49152 → 10.0.0.53:53 UDP, 9 bytes". */
  summary: string;
  /**
   * The protocol a packet list names the packet by, as Wireshark's Protocol column does: the
   * innermost layer of this packet that is not bare payload and not quoted. An ICMP error that
   * quotes a UDP datagram is "icmp"; a fragment after the first is "ipv4".
   */
  topProtocol: Layer["protocol"];
}
