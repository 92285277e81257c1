// A packet's field path index must answer exactly as findFieldByPath does on its layers: grading
// links a check to a field when it finds the field, and finds it through the index on a packet
// from a worker. Checked on every dissection of the snapshot (the tshark corpus, ICMP errors
// quoting other packets, DNS with repeated record names, malformed packets).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { dissectPacket } from "../../src/protocols/dissect.ts";
import {
  FIELD_PATHS,
  fieldPathIndex,
  findFieldByPath,
  hasFieldPath,
} from "../../src/protocols/field-path.ts";
import { fromHex } from "../../src/protocols/hex.ts";
import type { Field, Layer } from "../../src/protocols/types.ts";

const fixtures = new URL("../fixtures/protocols/", import.meta.url);
const dissections = (
  JSON.parse(
    gunzipSync(readFileSync(new URL("dissection-snapshot.json.gz", fixtures))).toString("utf8"),
  ) as { hex: string }[]
).map((entry) => dissectPacket(fromHex(entry.hex)));

/** Every path written in the layers, quoted layers and repeated names included, and near misses. */
function pathsIn(layers: readonly Layer[]): string[] {
  const paths = new Set<string>(["", ".", "ipv4.", "udp.nothing", "nothing", "ipv4\nipv4.ttl"]);
  const walk = (prefix: string, fields: readonly Field[] | undefined) => {
    for (const field of fields ?? []) {
      paths.add(`${prefix}.${field.name}`);
      paths.add(`${prefix}.${field.name}.missing`);
      walk(`${prefix}.${field.name}`, field.children);
    }
  };
  for (const layer of layers) {
    paths.add(layer.protocol);
    walk(layer.protocol, layer.fields);
  }
  return [...paths];
}

describe("field path index", () => {
  it("finds exactly what findFieldByPath finds, in every snapshot dissection", () => {
    let asked = 0;
    const differing: string[] = [];
    for (const { layers } of dissections) {
      const indexed = { layers, [FIELD_PATHS]: fieldPathIndex(layers) };
      for (const path of pathsIn(layers)) {
        asked++;
        const expected = findFieldByPath(layers, path) !== undefined;
        if (hasFieldPath(indexed, path) !== expected) differing.push(path);
        if (hasFieldPath({ layers }, path) !== expected) differing.push(`unindexed ${path}`);
      }
    }
    expect(differing).toEqual([]);
    expect(asked).toBeGreaterThan(10_000);
  });

  it("stops at the first field of a name and skips quoted layers, as findFieldByPath does", () => {
    const field = (name: string, children?: Field[]): Field => ({
      name,
      title: name,
      value: 0,
      bitOffset: 0,
      bitLength: 0,
      ...(children ? { children } : {}),
    });
    const layer = (protocol: Layer["protocol"], fields: Field[], quoted?: boolean): Layer => ({
      protocol,
      title: protocol,
      byteOffset: 0,
      byteLength: 0,
      fields,
      summary: "",
      errors: [],
      ...(quoted ? { quoted } : {}),
    });
    const layers = [
      layer("udp", [field("sourcePort")], true),
      layer("dns", [field("answers", [field("a")]), field("answers", [field("b")]), field("x.y")]),
      layer("udp", [field("destinationPort")]),
    ];
    const index = fieldPathIndex(layers);
    expect(index).toBe("\ndns\ndns.answers\ndns.answers.a\nudp\nudp.destinationPort\n");
    for (const path of ["dns.answers.b", "dns.x.y", "udp.sourcePort"]) {
      expect(hasFieldPath({ layers, [FIELD_PATHS]: index }, path)).toBe(false);
      expect(findFieldByPath(layers, path)).toBeUndefined();
    }
  });
});
