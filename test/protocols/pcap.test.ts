import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LINKTYPE, PcapError, readPcap, writePcap } from "../../src/protocols/pcap.ts";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/protocols/corpus/${name}`, import.meta.url)));

describe("pcap", () => {
  it("reads back what it writes", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ timeUs: fc.nat({ max: 2 ** 40 }), bytes: fc.uint8Array({ maxLength: 60 }) }),
          { maxLength: 5 },
        ),
        (records) => {
          const file = readPcap(writePcap(records));
          expect(file.linkType).toBe(LINKTYPE.RAW);
          expect(file.records).toEqual(records);
          expect(file.notes).toEqual([]);
        },
      ),
    );
  });

  it("reads the corpus, and its first packets as nanosecond, big-endian and LINKTYPE_IPV4 files", () => {
    const micro = readPcap(fixture("corpus.pcap"));
    expect(micro.records.length).toBeGreaterThan(30);
    expect(micro.records[1]!.timeUs - micro.records[0]!.timeUs).toBe(1000);
    const head = micro.records.slice(0, 5);
    for (const name of ["nanosecond.pcap", "big-endian.pcap", "linktype-ipv4.pcap"]) {
      const file = readPcap(fixture(name));
      expect(
        file.records.map((r) => r.bytes),
        name,
      ).toEqual(head.map((r) => r.bytes));
      expect(file.records[1]!.timeUs - file.records[0]!.timeUs, name).toBe(1000);
      expect(file.notes, name).toEqual([]);
    }
    expect(readPcap(fixture("linktype-ipv4.pcap")).linkType).toBe(LINKTYPE.IPV4);
  });

  it("strips Ethernet headers, with one or two VLAN tags, and says what it skipped", () => {
    const file = readPcap(fixture("ethernet.pcap"));
    const corpus = readPcap(fixture("corpus.pcap")).records;
    expect(file.linkType).toBe(LINKTYPE.ETHERNET);
    expect(file.records.map((r) => r.bytes)).toEqual([0, 9, 10, 0, 9].map((i) => corpus[i]!.bytes));
    expect(file.notes).toEqual([
      "record 2 is ARP, not IPv4: skipped",
      "record 7 is ARP, not IPv4: skipped",
    ]);
  });

  it("reads big-endian files", () => {
    const little = writePcap([{ timeUs: 1_500_000, bytes: Uint8Array.of(0x45, 1, 2) }]);
    const big = little.slice();
    const swap = (at: number, size: number) => big.subarray(at, at + size).reverse();
    swap(0, 4);
    swap(4, 2);
    swap(6, 2);
    swap(16, 4);
    swap(20, 4);
    for (const at of [24, 28, 32, 36]) swap(at, 4);
    expect(readPcap(big).records).toEqual([
      { timeUs: 1_500_000, bytes: Uint8Array.of(0x45, 1, 2) },
    ]);
  });

  it("explains what is not a pcap file", () => {
    expect(() => readPcap(fixture("corpus.pcapng"))).toThrow(/pcapng file, not classic pcap/);
    expect(() => readPcap(new TextEncoder().encode("45000021 this is hex text, not pcap"))).toThrow(
      /not a pcap file: it starts with 34 35 30 30/,
    );
    expect(() => readPcap(new Uint8Array(10))).toThrow(PcapError);
  });

  it("notes a file that ends inside a record", () => {
    const bytes = writePcap([{ timeUs: 0, bytes: new Uint8Array(20) }]);
    const file = readPcap(bytes.subarray(0, bytes.length - 5));
    expect(file.records).toEqual([]);
    expect(file.notes).toEqual(["record 1 claims 20 bytes but the file ends after 15"]);
  });
});
