import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fromHex, hexdump, toHex } from "../../src/protocols/hex.ts";

describe("hex", () => {
  it("round-trips bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        expect(fromHex(toHex(bytes))).toEqual(bytes);
      }),
    );
  });

  it("tolerates separators, line breaks and 0x prefixes", () => {
    expect(toHex(fromHex("0x45 00:00\n1C-ff"))).toBe("4500001cff");
    expect(toHex(fromHex("0x4500 0x001c"))).toBe("4500001c");
  });

  it("names a bad character and an odd length", () => {
    expect(() => fromHex("45 0g")).toThrow(/"g" at position 5/);
    expect(() => fromHex("450")).toThrow(/odd number of hex digits \(3\)/);
  });

  it("dumps offset, hex and ASCII, 16 bytes a line", () => {
    const bytes = new TextEncoder().encode("Hello, packetlab world!");
    const lines = hexdump(bytes).split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      "0000  48 65 6c 6c 6f 2c 20 70  61 63 6b 65 74 6c 61 62  Hello, packetlab",
    );
    expect(lines[1]!.startsWith("0010  20 77 6f 72 6c 64 21")).toBe(true);
    expect(lines[1]!.endsWith(" world!")).toBe(true);
  });
});
