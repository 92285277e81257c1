// The dissector's output is a contract with the packet browser: speed work must not change a
// single byte of its JSON. The snapshot was written from the dissector as it was before that
// work (make-dissection-snapshot.ts): the whole tshark corpus and a few hundred seeded packets.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { dissectPacket } from "../../src/protocols/dissect.ts";
import { fromHex, toHex } from "../../src/protocols/hex.ts";
import { readPcap } from "../../src/protocols/pcap.ts";

interface SnapshotEntry {
  name: string;
  hex: string;
  json: string;
}

const fixtures = new URL("../fixtures/protocols/", import.meta.url);
const entries = JSON.parse(
  gunzipSync(readFileSync(new URL("dissection-snapshot.json.gz", fixtures))).toString("utf8"),
) as SnapshotEntry[];

describe("dissection snapshot", () => {
  it("covers every packet of the tshark corpus", () => {
    const pcap = readPcap(new Uint8Array(readFileSync(new URL("corpus/corpus.pcap", fixtures))));
    const corpus = entries.filter((e) => e.name.startsWith("corpus ")).map((e) => e.hex);
    expect(corpus).toEqual(pcap.records.map((r) => toHex(r.bytes)));
    expect(entries.length).toBeGreaterThan(300);
  });

  it("dissects every snapshot packet to the same JSON as before", () => {
    const changed: string[] = [];
    for (const entry of entries) {
      const json = JSON.stringify(dissectPacket(fromHex(entry.hex)));
      if (json !== entry.json) changed.push(`${entry.name}: ${firstDifference(entry.json, json)}`);
    }
    expect(changed).toEqual([]);
  });
});

/** Where two JSON texts part, with some context, so a failure says what changed. */
function firstDifference(expected: string, actual: string): string {
  let i = 0;
  while (i < expected.length && expected[i] === actual[i]) i++;
  const from = Math.max(0, i - 60);
  return `expected …${expected.slice(from, i + 60)}… got …${actual.slice(from, i + 60)}…`;
}
