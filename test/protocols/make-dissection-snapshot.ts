// Writes test/fixtures/protocols/dissection-snapshot.json.gz: packets (as hex) and the exact JSON of
// their dissection, so that speed work on the dissector can prove its output did not change
// (dissection-snapshot.test.ts). The packets are the whole tshark corpus plus a few hundred
// generated with a fixed seed; they are stored with the output, so the test does not depend on
// fast-check generating the same values in a later version.
// Run: `npx tsx test/protocols/make-dissection-snapshot.ts` — only when the output is meant to
// change, and say why in the commit.
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { dissectPacket } from "../../src/protocols/dissect.ts";
import { encodeDns, type DnsMessage, type DnsRecord } from "../../src/protocols/dns.ts";
import { toHex } from "../../src/protocols/hex.ts";
import {
  encodeDestinationUnreachable,
  encodeIcmp,
  encodeIcmpEcho,
  encodeTimeExceeded,
} from "../../src/protocols/icmp.ts";
import { encodeIpv4, IP_PROTOCOL } from "../../src/protocols/ipv4.ts";
import {
  encodeNameAnswer,
  encodeNameRequest,
  encodeUnknownNameAnswer,
} from "../../src/protocols/name-lookup.ts";
import { readPcap } from "../../src/protocols/pcap.ts";
import { encodeUdp } from "../../src/protocols/udp.ts";
import { ipv4Address, ipv4Fields } from "./arbitraries.ts";

const SEED = 20240611;
const fixtures = new URL("../fixtures/protocols/", import.meta.url);

const port = fc.oneof(fc.constantFrom(53, 1000, 49152), fc.nat({ max: 0xffff }));
const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,9}$/);
const hostName = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join("."));
const text = fc.string({ maxLength: 80 }).map((s) => new TextEncoder().encode(s));
const payload = fc.oneof(text, fc.uint8Array({ maxLength: 80 }));

const udpPacket = fc
  .record({
    ip: ipv4Fields,
    withOptions: fc.boolean(),
    sourcePort: port,
    destinationPort: port,
    data: payload,
  })
  .map(({ ip, withOptions, sourcePort, destinationPort, data }) => {
    // Random option bytes rarely parse, so half the packets have none, as most real ones.
    const options = withOptions ? ip.options : undefined;
    const fields = {
      ...ip,
      options,
      protocol: IP_PROTOCOL.UDP,
      fragmentOffset: 0,
      moreFragments: false,
    };
    return encodeIpv4(fields, encodeUdp({ sourcePort, destinationPort }, data, fields));
  });

const record: fc.Arbitrary<DnsRecord> = fc.record({
  name: hostName,
  type: fc.constant(1),
  class: fc.constant(1),
  ttl: fc.nat({ max: 86400 }),
  data: ipv4Address.map((address) => ({ kind: "A" as const, address })),
});
const dnsMessage: fc.Arbitrary<DnsMessage> = fc.record({
  id: fc.nat({ max: 0xffff }),
  flags: fc.record({
    qr: fc.boolean(),
    opcode: fc.nat({ max: 2 }),
    aa: fc.boolean(),
    tc: fc.boolean(),
    rd: fc.boolean(),
    ra: fc.boolean(),
    z: fc.constant(0),
    rcode: fc.nat({ max: 5 }),
  }),
  questions: fc.array(fc.record({ name: hostName, type: fc.constant(1), class: fc.constant(1) }), {
    minLength: 1,
    maxLength: 2,
  }),
  answers: fc.array(record, { maxLength: 3 }),
  authorities: fc.constant([]),
  additionals: fc.array(record, { maxLength: 1 }),
});

function overUdp(
  addresses: { source: string; destination: string },
  ports: [number, number],
  data: Uint8Array,
) {
  return encodeIpv4(
    addresses,
    encodeUdp({ sourcePort: ports[0], destinationPort: ports[1] }, data, addresses),
  );
}
const addresses = fc.record({ source: ipv4Address, destination: ipv4Address });
const toServer = fc.tuple(port, fc.constant(53));
const fromServer = fc.tuple(fc.constant(53), port);

const dnsPacket = fc
  .tuple(addresses, fc.oneof(toServer, fromServer), dnsMessage)
  .map(([a, ports, message]) => overUdp(a, ports as [number, number], encodeDns(message)));
const nameLookupPacket = fc.oneof(
  fc
    .tuple(addresses, toServer, hostName)
    .map(([a, p, name]) => overUdp(a, p as [number, number], encodeNameRequest(name))),
  fc
    .tuple(addresses, fromServer, ipv4Address)
    .map(([a, p, address]) => overUdp(a, p as [number, number], encodeNameAnswer(address))),
  fc
    .tuple(addresses, fromServer)
    .map(([a, p]) => overUdp(a, p as [number, number], encodeUnknownNameAnswer())),
);
const icmpPacket = fc
  .tuple(addresses, udpPacket, fc.nat({ max: 3 }), fc.nat({ max: 0xffff }), payload)
  .map(([a, original, kind, n, data]) => {
    const message =
      kind === 0
        ? encodeIcmpEcho(n % 2 ? "request" : "reply", n, n >>> 3, data)
        : kind === 1
          ? encodeDestinationUnreachable(n % 5, original, n % 2 ? 1400 : 0)
          : kind === 2
            ? encodeTimeExceeded(n % 2, original)
            : encodeIcmp({ type: n & 0xff, code: n >>> 8 }, data);
    return encodeIpv4({ ...a, protocol: IP_PROTOCOL.ICMP }, message);
  });
const fragment = fc
  .tuple(ipv4Fields, fc.constantFrom(1, 6, 17), fc.nat({ max: 400 }), payload)
  .map(([ip, protocol, offset, data]) =>
    encodeIpv4({ ...ip, protocol, fragmentOffset: offset }, data),
  );
/** A well-formed packet, then damaged: bytes changed, cut short, or both. */
const damaged = fc
  .tuple(
    fc.oneof(udpPacket, dnsPacket, nameLookupPacket, icmpPacket),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 3 }),
    fc.option(fc.nat()),
  )
  .map(([packet, changes, cut]) => {
    const copy = packet.slice();
    for (const [at, value] of changes) copy[at % copy.length] = value;
    return cut === null ? copy : copy.subarray(0, cut % (copy.length + 1));
  });

const generated: [string, fc.Arbitrary<Uint8Array>, number][] = [
  ["udp", udpPacket, 80],
  ["dns", dnsPacket, 60],
  ["name-lookup", nameLookupPacket, 40],
  ["icmp", icmpPacket, 60],
  ["fragment", fragment, 30],
  ["damaged", damaged, 100],
  ["random", fc.uint8Array({ maxLength: 120 }), 40],
];

export interface SnapshotEntry {
  /** Corpus case name, or the generator's name and index. */
  name: string;
  hex: string;
  /** JSON.stringify(dissectPacket(bytes)). */
  json: string;
}

const entries: SnapshotEntry[] = [];
const corpus = new URL("corpus/", fixtures);
const cases = JSON.parse(readFileSync(new URL("cases.json", corpus), "utf8")) as string[];
const pcap = readPcap(new Uint8Array(readFileSync(new URL("corpus.pcap", corpus))));
pcap.records.forEach((r, i) => entries.push(entry(`corpus ${cases[i]}`, r.bytes)));
for (const [name, arbitrary, count] of generated) {
  const packets = fc.sample(arbitrary, { seed: SEED, numRuns: count });
  packets.forEach((bytes, i) => entries.push(entry(`${name} ${i}`, bytes)));
}

function entry(name: string, bytes: Uint8Array): SnapshotEntry {
  return { name, hex: toHex(bytes), json: JSON.stringify(dissectPacket(bytes)) };
}

// Gzipped: 2 MB of repetitive JSON shrinks twentyfold, and nobody reads it by eye.
writeFileSync(
  new URL("dissection-snapshot.json.gz", fixtures),
  gzipSync("[\n" + entries.map((e) => JSON.stringify(e)).join(",\n") + "\n]\n", { level: 9 }),
);
console.log(`${entries.length} dissections written`);
