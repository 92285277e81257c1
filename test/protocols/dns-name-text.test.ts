// A name read from the wire is text with RFC 1035 §5.1 escapes ("\ddd" for a byte that is not
// printable, a dot or a backslash inside a label); encoding that text gives back the same bytes,
// so a server can echo any question it could read.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nameLabels, readName } from "../../src/protocols/dns-name.ts";

const label = fc.uint8Array({ minLength: 1, maxLength: 63 });
const wireName = fc
  .array(label, { maxLength: 4 })
  .map((labels) => Uint8Array.from([...labels.flatMap((l) => [l.length, ...l]), 0]));

describe("DNS names as text", () => {
  it("nameLabels(readName(bytes).name) gives back the labels' bytes", () => {
    fc.assert(
      fc.property(wireName, (bytes) => {
        const read = readName(bytes, 0);
        expect(read.error).toBeUndefined();
        const labels = nameLabels(read.name);
        expect(Uint8Array.from([...labels.flatMap((l) => [l.length, ...l]), 0])).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads the usual text forms", () => {
    const text = (name: string) => nameLabels(name).map((l) => new TextDecoder().decode(l));
    expect(text("alice.packetlab.test.")).toEqual(["alice", "packetlab", "test"]);
    expect(text("a\\.b.c")).toEqual(["a.b", "c"]);
    expect(text("a\\\\b")).toEqual(["a\\b"]);
    expect(nameLabels("a\\000b")[0]).toEqual(Uint8Array.from([97, 0, 98]));
    expect(text("é")).toEqual(["é"]);
    expect(nameLabels("")).toEqual([]);
    expect(nameLabels(".")).toEqual([]);
    expect(() => nameLabels("a..b")).toThrow(RangeError);
    expect(() => nameLabels("a\\256")).toThrow(RangeError);
    expect(() => nameLabels("a\\")).toThrow(RangeError);
    expect(() => nameLabels("x".repeat(64))).toThrow(RangeError);
  });
});
