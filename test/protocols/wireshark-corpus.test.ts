// Field-by-field agreement with Wireshark. The corpus (scapy packets, tshark's PDML reduced to
// [name, show, pos, size]) is made by scripts/make-protocol-corpus.py and committed, so this test
// needs no tshark. Every difference that remains is listed below with its reason.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { dissectPacket } from "../../src/protocols/dissect.ts";
import { readPcap } from "../../src/protocols/pcap.ts";
import { createTcpConversations } from "../../src/protocols/tcp-conversations.ts";
import type { Dissection, Field } from "../../src/protocols/types.ts";

const dir = new URL("../fixtures/protocols/corpus/", import.meta.url);
const cases = JSON.parse(readFileSync(new URL("cases.json", dir), "utf8")) as string[];
type TsharkField = [name: string, show: string, pos: number, size: number];
const tshark = JSON.parse(
  gunzipSync(readFileSync(new URL("tshark.json.gz", dir))).toString("utf8"),
) as TsharkField[][];
const pcap = readPcap(new Uint8Array(readFileSync(new URL("corpus.pcap", dir))));
// Dissected once, in capture order, through one TCP conversation tracker, as Wireshark reads a
// capture: relative sequence numbers and window scales carry over from earlier segments.
const conversations = createTcpConversations();
const dissections = pcap.records.map((record) => dissectPacket(record.bytes, conversations));
/** tshark's Protocol column per packet: what its packet list names each packet by. */
const protocolColumn = JSON.parse(
  readFileSync(new URL("protocol-column.json", dir), "utf8"),
) as string[];

/** Differences we keep on purpose: case → Wireshark names not compared, and why. */
const KNOWN_DIFFERENCES: Record<string, { names: RegExp; reason: string }> = {
  "name-lookup-request": {
    names: /^dns\./,
    reason:
      "the lesson's name-lookup protocol on port 53 is not DNS; Wireshark knows only DNS there",
  },
  "name-lookup-answer": { names: /^dns\./, reason: "as above" },
  "dns-pointer-loop": {
    names: /^dns\.qry\./,
    reason: "Wireshark shows the question with a placeholder name; we stop at the first error",
  },
  "dns-pointer-two-loop": { names: /^dns\.qry\./, reason: "as dns-pointer-loop" },
  "dns-name-256": {
    names: /^dns\.qry\./,
    reason: "Wireshark shows '<Name too long>' and goes on; we stop at the first error",
  },
  "ip-version-5": {
    names: /^(ip|udp|data)\./,
    reason:
      "Wireshark shows a version-5 header as bare data; we show its IPv4 fields, so the learner " +
      "sees which one is wrong",
  },
  "dns-on-port-5300": {
    names: /^(dns|data)\./,
    reason:
      "we decode DNS only when a port is 53 (the lesson's name server); Wireshark also " +
      "recognises DNS on other ports by heuristics",
  },
  "dns-srv": {
    names: /^dns\.(resp\.name|srv\.(service|proto|name))$/,
    reason:
      "Wireshark splits an SRV owner name into service, protocol and name fields instead of " +
      "dns.resp.name; we keep the record's name as in every other record",
  },
  "ip-df-mf": {
    names: /^data\./,
    reason:
      "Wireshark does not show the data of a fragment's UDP datagram; we show the bytes that are there",
  },
  "ip-checksum-0000": {
    names: /^data\./,
    reason:
      "Wireshark does not hand the data of a packet with a bad header checksum on; we still show it",
  },
  "ip-checksum-ffff": { names: /^data\./, reason: "as ip-checksum-0000" },
  "udp-length-smaller": {
    names: /^data\./,
    reason:
      "Wireshark shows the bytes beyond the UDP length as data of its own; we show the datagram's " +
      "data and leave the rest to the IP total length",
  },
  "icmp-unknown-type": {
    names: /^data\./,
    reason: "Wireshark decodes an unknown ICMP type's bytes as a guess; we show them as data",
  },
  "tcp-opt-sack-length-6": {
    names: /^tcp\.options\.sack(_le|\.count)$/,
    reason:
      "Wireshark shows the first edge of a SACK option whose length fits no whole block; we show " +
      "the option's kind and length with the error, and no edges",
  },
  "tcp-offset-15-short": {
    names: /^tcp\.options$/,
    reason:
      "Wireshark shows an empty options field when the data offset points past the captured " +
      "bytes; we show no options field, only the error",
  },
  "tcp-in-icmp-unreachable": {
    names: /^tcp\.seq_raw$/,
    reason:
      "in a quoted segment Wireshark shows the sequence number only as tcp.seq; we show the raw " +
      "number as in every other segment, with the relative one (the same number here) below it",
  },
  "engine-13": {
    names: /^data\./,
    reason:
      "the data of a segment Wireshark's analysis calls a retransmission is not handed on as " +
      "data.data; Wireshark counts this one as such because a pure ACK that arrived earlier " +
      "carried a higher sequence number, which our analysis does not count",
  },
  "engine-29": {
    names: /^data\./,
    reason:
      "a fast retransmission whose data Wireshark still hands on as data.data, while we show the " +
      "data of every segment we mark as a retransmission unnamed",
  },
  "ip-trailing-bytes": {
    names: /^data\./,
    reason: "bytes after the IP total length are link-layer padding to us; Wireshark shows them",
  },
};

/**
 * Fields we always show but Wireshark leaves out of queries (it shows these flag bits only in
 * responses); a query's flags word still has them, all zero.
 */
const RESPONSE_ONLY_FLAGS = new Set([
  "dns.flags.authoritative",
  "dns.flags.recavail",
  "dns.flags.authenticated",
  "dns.flags.rcode",
]);

// Wireshark shows these as 0x-prefixed hex of a given width; the rest as decimal.
const HEX_WIDTH: Record<string, number> = {
  "ip.id": 4,
  "ip.checksum": 4,
  "udp.checksum": 4,
  "tcp.checksum": 4,
  "tcp.flags": 4,
  "icmp.checksum": 4,
  "dns.id": 4,
  "dns.flags": 4,
  "dns.qry.class": 4,
  "dns.resp.class": 4,
  "ip.flags": 2,
  "ip.opt.flag": 2,
  "dns.resp.ext_rcode": 2,
  "dns.resp.z": 4,
};
// Wireshark shows these as colon-separated bytes; compare the packet bytes the field covers.
const BYTES_FIELDS = new Set([
  "data.data",
  "icmp.unused",
  "dns.data",
  "dns.opt.data",
  "tcp.options",
  "tcp.options.eol",
  "tcp.options.nop",
  "tcp.options.mss",
  "tcp.options.wscale",
  "tcp.options.sack_perm",
  "tcp.options.sack",
  "tcp.options.timestamp",
  "tcp.options.unknown",
  "tcp.options.unknown.payload",
]);
// Wireshark shows these multi-bit fields as set (1) or not (0).
const SET_OR_NOT = new Set(["tcp.flags.res"]);
// Wireshark shows these as a bare label (an empty "show"); only their position is compared.
const LABEL_FIELDS = new Set(["dns.opt"]);
const STATUS = { invalid: "0", valid: "1", unverified: "2", none: "3" } as const;

interface Flat {
  name: string;
  show: string;
  bitOffset: number;
  bitLength: number;
}

function flatten(dissection: Dissection, packet: Uint8Array): Flat[] {
  const out: Flat[] = [];
  const visit = (field: Field) => {
    if (field.wireshark)
      out.push({
        name: field.wireshark,
        show: show(field, packet),
        bitOffset: field.bitOffset,
        bitLength: field.bitLength,
      });
    field.children?.forEach(visit);
  };
  for (const layer of dissection.layers) {
    layer.fields.forEach(visit);
    const prefix = { ipv4: "ip", udp: "udp", tcp: "tcp", icmp: "icmp" }[layer.protocol as string];
    if (prefix && layer.checksum) {
      out.push({
        name: `${prefix}.checksum.status`,
        show: STATUS[layer.checksum],
        bitOffset: -1,
        bitLength: 0,
      });
    }
  }
  return out;
}

function show(field: Field, packet: Uint8Array): string {
  const text = fullShow(field, packet);
  // make-protocol-corpus.py keeps only the start of long values (byte strings, mostly).
  return text.length > LONGEST_SHOW ? text.slice(0, LONGEST_SHOW) + "…" : text;
}

const LONGEST_SHOW = 48;

function fullShow(field: Field, packet: Uint8Array): string {
  const name = field.wireshark!;
  if (LABEL_FIELDS.has(name)) return "";
  if (BYTES_FIELDS.has(name) || name.startsWith("ip.options.")) {
    const bytes = packet.subarray(field.bitOffset / 8, (field.bitOffset + field.bitLength) / 8);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(":");
  }
  if (typeof field.value === "boolean") return field.value ? "1" : "0";
  if (SET_OR_NOT.has(name)) return field.value ? "1" : "0";
  const width = HEX_WIDTH[name];
  if (width && typeof field.value === "number")
    return "0x" + field.value.toString(16).padStart(width, "0");
  return String(field.value);
}

function group<T extends { name: string }>(list: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of list) map.set(item.name, [...(map.get(item.name) ?? []), item]);
  return map;
}

describe("agreement with Wireshark (tshark 4.0) on the committed corpus", () => {
  it("has one tshark dissection per packet", () => {
    expect(pcap.records).toHaveLength(cases.length);
    expect(tshark).toHaveLength(cases.length);
  });

  const produced = new Set<string>();
  /** Every name Wireshark shows somewhere in the corpus (others cannot be checked either way). */
  const wiresharkNames = new Set(tshark.flatMap((fields) => fields.map(([n]) => n)));
  const flats = pcap.records.map((record, i) => {
    const flat = flatten(dissections[i]!, record.bytes);
    flat.forEach((f) => produced.add(f.name));
    return flat;
  });

  cases.forEach((name, i) => {
    it(`${name}: same values and positions for every field both show`, () => {
      const ours = group(flats[i]!);
      const theirs = group(
        tshark[i]!.map(([n, s, pos, size]) => ({ name: n, show: s, pos, size })),
      );
      const known = KNOWN_DIFFERENCES[name];
      for (const [wiresharkName, values] of theirs) {
        if (!produced.has(wiresharkName) || known?.names.test(wiresharkName)) continue;
        const mine = ours.get(wiresharkName) ?? [];
        expect(
          mine.map((f) => f.show),
          `${wiresharkName} in ${name}`,
        ).toEqual(values.map((v) => v.show));
        values.forEach((theirsField, k) => {
          const field = mine[k]!;
          if (theirsField.size === 0 || field.bitOffset < 0) return;
          const where = `${wiresharkName} #${k + 1} in ${name}`;
          if (field.bitOffset % 8 === 0 && field.bitLength % 8 === 0) {
            expect([field.bitOffset / 8, field.bitLength / 8], where).toEqual([
              theirsField.pos,
              theirsField.size,
            ]);
          } else {
            // A bit field: Wireshark gives the bytes that hold it.
            expect(field.bitOffset >= theirsField.pos * 8, where).toBe(true);
            expect(
              field.bitOffset + field.bitLength <= (theirsField.pos + theirsField.size) * 8,
              where,
            ).toBe(true);
          }
        });
      }
    });

    it(`${name}: shows no field that Wireshark does not show`, () => {
      const theirs = tshark[i]!;
      // After an error Wireshark stops dissecting, while we go on showing what is there.
      if (theirs.some(([n, s]) => n === "_ws.expert" && s.includes("(Error/"))) return;
      const query = theirs.some(([n, s]) => n === "dns.flags.response" && s === "0");
      const known = KNOWN_DIFFERENCES[name];
      const counts = new Map<string, number>();
      for (const [n] of theirs) counts.set(n, (counts.get(n) ?? 0) + 1);
      const extra: string[] = [];
      for (const [wiresharkName, mine] of group(flats[i]!)) {
        if (!wiresharkNames.has(wiresharkName) || known?.names.test(wiresharkName)) continue;
        if (query && RESPONSE_ONLY_FLAGS.has(wiresharkName)) continue;
        if (mine.length > (counts.get(wiresharkName) ?? 0)) extra.push(wiresharkName);
      }
      expect(extra).toEqual([]);
    });

    it(`${name}: reports errors when Wireshark reports errors`, () => {
      const dissection = dissections[i]!;
      const ourErrors = dissection.layers.flatMap((layer) => layer.errors);
      const experts = tshark[i]!.filter(([n]) => n === "_ws.expert").map(([, s]) => s);
      const wiresharkErrors = experts.filter((s) => s.includes("(Error/"));
      if (known(name)) return;
      if (wiresharkErrors.length > 0) expect(ourErrors, wiresharkErrors.join("; ")).not.toEqual([]);
      if (ourErrors.length > 0) expect(experts.length, ourErrors.join("; ")).toBeGreaterThan(0);
    });
  });
});

describe("the protocol a packet list names a packet by (topProtocol)", () => {
  const column: Record<Dissection["topProtocol"], string> = {
    ipv4: "IPv4",
    udp: "UDP",
    tcp: "TCP",
    icmp: "ICMP",
    dns: "DNS",
    // Wireshark knows only DNS on port 53.
    "name-lookup": "DNS",
    payload: "(none)",
  };

  it("is Wireshark's Protocol column, but for the listed differences", () => {
    expect(protocolColumn).toHaveLength(cases.length);
    const disagreements: Record<string, string> = {};
    pcap.records.forEach((_, i) => {
      const ours = column[dissections[i]!.topProtocol];
      if (ours !== protocolColumn[i]) disagreements[cases[i]!] = `${ours} ≠ ${protocolColumn[i]}`;
    });
    expect(disagreements).toEqual(KNOWN_PROTOCOL_DIFFERENCES);
    // ICMP errors quote a UDP datagram: the list must still say ICMP.
    const quoting = cases.filter((_, i) =>
      dissectPacket(pcap.records[i]!.bytes).layers.some((layer) => layer.quoted),
    );
    expect(quoting.length).toBeGreaterThan(5);
    for (const name of quoting) expect(protocolColumn[cases.indexOf(name)], name).toBe("ICMP");
  });
});

/** Where our topProtocol and Wireshark's Protocol column differ, and why. */
const KNOWN_PROTOCOL_DIFFERENCES: Record<string, string> = {
  // Wireshark stops at an IPv4 header whose lengths cannot be; we decode the UDP header after it
  // (so the learner sees what they sent) and name the packet by it, as our summary does.
  "ip-ihl-below-5": "UDP ≠ IPv4",
  "ip-total-length-below-ihl": "UDP ≠ IPv4",
  // Wireshark decodes HTTP on port 80; we show the request as text under TCP.
  "tcp-http-request": "TCP ≠ HTTP",
  // Not IPv4 at all to Wireshark; we show the IPv4 fields there are, with the error.
  "ip-version-5": "IPv4 ≠ N/A",
  "ip-truncated-1": "IPv4 ≠ N/A",
  // We decode DNS only on port 53 (see KNOWN_DIFFERENCES).
  "dns-on-port-5300": "UDP ≠ DNS",
};

function known(name: string): boolean {
  return name in KNOWN_ERROR_DIFFERENCES;
}

/** Cases where we and Wireshark disagree on whether the packet is in error, and why. */
const KNOWN_ERROR_DIFFERENCES: Record<string, string> = {
  "ip-exactly-20-bytes-udp":
    "Wireshark shows nothing after a UDP packet's IP header when no byte follows it; we say the " +
    "UDP header is missing, since that is what a learner who sent it needs to hear",
  "ip-version-5": "Wireshark shows bare data, without an error; we say the version is wrong",
  "dns-pointer-two-loop": "as dns-pointer-loop",
  "dns-name-256": "Wireshark shows '<Name too long>' without an expert error; we report it",
  "icmp-quote-truncated-12":
    "Wireshark shows a quoted header cut short without an error; RFC 792 requires the whole " +
    "header and 8 bytes, so we report it",
  "name-lookup-request": "Wireshark calls the lesson's name-lookup packets malformed DNS",
  "name-lookup-answer": "as above",
  "ip-trailing-bytes":
    "Wireshark reports an exception after the UDP data; bytes beyond the IP total length are " +
    "legal (Ethernet pads short frames the same way), so we show no error",
  "dns-pointer-loop":
    "Wireshark shows a looping name as a placeholder without an expert error; we report it",
};
