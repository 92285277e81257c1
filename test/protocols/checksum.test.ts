import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { foldSum, internetChecksum, sumWords } from "../../src/protocols/checksum.ts";

describe("internetChecksum", () => {
  it("matches the worked example of RFC 1071 §3", () => {
    // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to 0xddf2 once carries are folded.
    const bytes = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
    expect(foldSum(sumWords(bytes))).toBe(0xddf2);
    expect(internetChecksum(bytes)).toBe(0x220d);
  });

  it("gives 0xb861 for the classic IPv4 header with its checksum zeroed", () => {
    const header = Uint8Array.from(Buffer.from("450000730000400040110000c0a80001c0a800c7", "hex"));
    expect(internetChecksum(header)).toBe(0xb861);
  });

  it("pads an odd trailing byte with zero", () => {
    expect(internetChecksum(Uint8Array.of(0x12))).toBe(~0x1200 & 0xffff);
  });

  it("is zero over data that includes its own checksum", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (data) => {
        const even = data.length % 2 === 0 ? data : Uint8Array.from([...data, 0]);
        const withRoom = new Uint8Array(even.length + 2);
        withRoom.set(even);
        const checksum = internetChecksum(withRoom);
        withRoom[even.length] = checksum >>> 8;
        withRoom[even.length + 1] = checksum & 0xff;
        expect(internetChecksum(withRoom)).toBe(0);
      }),
    );
  });

  it("chains a partial sum like summing the concatenation", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        const evenA = a.length % 2 === 0 ? a : a.subarray(1);
        const joined = new Uint8Array(evenA.length + b.length);
        joined.set(evenA);
        joined.set(b, evenA.length);
        expect(internetChecksum(b, sumWords(evenA))).toBe(internetChecksum(joined));
      }),
    );
  });
});
