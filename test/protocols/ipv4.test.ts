import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decodeIpv4, encodeIpv4 } from "../../src/protocols/ipv4.ts";
import { hex, ipv4Fields } from "./arbitraries.ts";

// The header from Wikipedia's "IPv4 header checksum" article, checksum 0xb861.
const CLASSIC = "450000730000400040110000c0a80001c0a800c7".replace("0000c0a8", "b861c0a8");

describe("encodeIpv4", () => {
  it("computes ihl, total length and the RFC 1071 checksum", () => {
    const packet = encodeIpv4(
      { source: "192.168.0.1", destination: "192.168.0.199", dontFragment: true, protocol: 17 },
      new Uint8Array(0x73 - 20),
    );
    expect(Buffer.from(packet.subarray(0, 20)).toString("hex")).toBe(CLASSIC);
  });

  it("writes explicitly given values as they are, even wrong ones", () => {
    const packet = encodeIpv4(
      {
        source: "10.0.0.2",
        destination: "10.0.0.53",
        totalLength: 999,
        headerChecksum: 0x1234,
        ihl: 7,
      },
      new Uint8Array(4),
    );
    expect(packet.length).toBe(24);
    expect(packet[0]).toBe(0x47);
    expect((packet[2]! << 8) | packet[3]!).toBe(999);
    expect((packet[10]! << 8) | packet[11]!).toBe(0x1234);
  });

  it("pads options to a multiple of 4 bytes and counts them in the IHL", () => {
    const packet = encodeIpv4({
      source: "1.2.3.4",
      destination: "5.6.7.8",
      options: Uint8Array.of(1, 1, 1),
    });
    expect(packet.length).toBe(24);
    expect(packet[0]! & 0xf).toBe(6);
    expect(Array.from(packet.subarray(20))).toEqual([1, 1, 1, 0]);
    expect(decodeIpv4(packet).checksumValid).toBe(true);
  });

  it("refuses an address that is not a dotted quad, naming it", () => {
    expect(() => encodeIpv4({ source: "10.0.0", destination: "1.2.3.4" })).toThrow(/"10.0.0"/);
  });
});

describe("decodeIpv4", () => {
  it("decodes the classic header", () => {
    const packet = new Uint8Array(0x73);
    packet.set(hex(CLASSIC));
    const { header, payload, checksumValid, errors } = decodeIpv4(packet);
    expect(errors).toEqual([]);
    expect(checksumValid).toBe(true);
    expect(header).toMatchObject({
      version: 4,
      ihl: 5,
      totalLength: 115,
      dontFragment: true,
      moreFragments: false,
      reserved: false,
      fragmentOffset: 0,
      ttl: 64,
      protocol: 17,
      headerChecksum: 0xb861,
      source: "192.168.0.1",
      destination: "192.168.0.199",
    });
    expect(payload.length).toBe(95);
  });

  it("round-trips any header and payload", () => {
    fc.assert(
      fc.property(ipv4Fields, fc.uint8Array({ maxLength: 64 }), (fields, data) => {
        const decoded = decodeIpv4(encodeIpv4(fields, data));
        expect(decoded.errors).toEqual([]);
        expect(decoded.checksumValid).toBe(true);
        expect(decoded.payload).toEqual(data);
        const { options, ...rest } = fields;
        expect(decoded.header).toMatchObject(rest);
        expect(decoded.header!.options).toEqual(options);
        expect(decoded.header!.ihl).toBe(5 + options!.length / 4);
      }),
    );
  });

  it("flags a wrong checksum", () => {
    const packet = encodeIpv4({ source: "10.0.0.2", destination: "10.0.0.53", headerChecksum: 1 });
    expect(decodeIpv4(packet).checksumValid).toBe(false);
  });

  it("limits the payload by total length and ignores trailing bytes", () => {
    const packet = new Uint8Array(30);
    packet.set(encodeIpv4({ source: "1.1.1.1", destination: "2.2.2.2" }, Uint8Array.of(9, 9)));
    const { payload, errors } = decodeIpv4(packet);
    expect(errors).toEqual([]);
    expect(Array.from(payload)).toEqual([9, 9]);
  });

  it("explains a total length beyond the captured bytes", () => {
    const packet = encodeIpv4(
      { source: "1.1.1.1", destination: "2.2.2.2", totalLength: 60 },
      new Uint8Array(8),
    );
    const { header, payload, errors } = decodeIpv4(packet);
    expect(errors).toEqual(["total length 60 exceeds the 28 bytes captured"]);
    expect(header!.totalLength).toBe(60);
    expect(payload.length).toBe(8);
  });

  it("explains an IHL below 5 and a wrong version", () => {
    const packet = encodeIpv4({ source: "1.1.1.1", destination: "2.2.2.2", ihl: 4, version: 6 });
    const { errors, checksumValid } = decodeIpv4(packet);
    expect(errors).toContain("IHL 4 is below the minimum of 5 (20 bytes)");
    expect(errors).toContain("version 6 is not 4: this is not an IPv4 header");
    expect(checksumValid).toBe(false);
  });

  it("never throws on a packet cut at any length", () => {
    const packet = encodeIpv4(
      { source: "1.1.1.1", destination: "2.2.2.2", options: Uint8Array.of(1, 1, 1, 0) },
      new Uint8Array(10),
    );
    for (let n = 0; n <= packet.length; n++) {
      const decoded = decodeIpv4(packet.subarray(0, n));
      expect(decoded.errors.length > 0).toBe(n < packet.length);
      expect(decoded.header === null).toBe(n < 20);
    }
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => void decodeIpv4(bytes)));
  });
});
