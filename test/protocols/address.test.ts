import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatIpv4Address, parseIpv4Address } from "../../src/protocols/address.ts";

describe("IPv4 addresses", () => {
  it("parses dotted quads to unsigned numbers", () => {
    expect(parseIpv4Address("10.0.0.53")).toBe(0x0a000035);
    expect(parseIpv4Address("255.255.255.255")).toBe(0xffffffff);
    expect(parseIpv4Address("0.0.0.0")).toBe(0);
  });

  it.each([
    "",
    "10.0.0",
    "10.0.0.0.1",
    "256.0.0.1",
    "10.0.0.01",
    " 10.0.0.1",
    "10..0.1",
    "10.0.0.-1",
    "a.b.c.d",
    "10.0.0.1.",
  ])("rejects %j", (text) => {
    expect(parseIpv4Address(text)).toBeNull();
  });

  it("formats and parses back every address", () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), (n) => {
        expect(parseIpv4Address(formatIpv4Address(n))).toBe(n);
      }),
    );
  });
});
