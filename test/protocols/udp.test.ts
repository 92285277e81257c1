import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decodeIpv4, encodeIpv4 } from "../../src/protocols/ipv4.ts";
import { decodeUdp, encodeUdp } from "../../src/protocols/udp.ts";
import { hex, ipv4Address } from "./arbitraries.ts";

// Made with scapy: IP(src="10.0.0.2", dst="10.0.0.53", id=0x1234)/UDP(sport=49152, dport=53)/b"alice.example"
const SCAPY_NAME_REQUEST =
  "45000029123400004011545a0a0000020a000035c000003500155f07616c6963652e6578616d706c65";
// scapy, odd payload length: IP(src="192.168.0.1", dst="192.168.0.199", id=1)/UDP(sport=1000, dport=2000)/b"x"
const SCAPY_ODD = "4500001d000100004011f8b6c0a80001c0a800c703e807d00009fa0a78";
const addresses = { source: "10.0.0.2", destination: "10.0.0.53" };

describe("encodeUdp", () => {
  it("matches scapy byte for byte, checksum included", () => {
    const payload = new TextEncoder().encode("alice.example");
    const datagram = encodeUdp({ sourcePort: 49152, destinationPort: 53 }, payload, addresses);
    const packet = encodeIpv4({ ...addresses, identification: 0x1234, ttl: 64 }, datagram);
    expect(Buffer.from(packet).toString("hex")).toBe(SCAPY_NAME_REQUEST);
  });

  it("pads an odd payload for the checksum like scapy does", () => {
    const datagram = encodeUdp({ sourcePort: 1000, destinationPort: 2000 }, Uint8Array.of(0x78), {
      source: "192.168.0.1",
      destination: "192.168.0.199",
    });
    expect(Buffer.from(datagram).toString("hex")).toBe(SCAPY_ODD.slice(40));
  });

  it("sends a computed checksum of zero as 0xffff (RFC 768)", () => {
    // With a zero payload word the checksum is c = ~S; a payload word of c makes the sum
    // S + ~S = 0xffff, whose complement, the checksum, is 0.
    const probe = encodeUdp({ sourcePort: 1, destinationPort: 2 }, new Uint8Array(2), addresses);
    const payload = probe.slice(6, 8);
    const datagram = encodeUdp({ sourcePort: 1, destinationPort: 2 }, payload, addresses);
    expect((datagram[6]! << 8) | datagram[7]!).toBe(0xffff);
    expect(decodeUdp(datagram, addresses).checksumStatus).toBe("valid");
  });

  it("writes explicit length and checksum as they are", () => {
    const datagram = encodeUdp(
      { sourcePort: 1, destinationPort: 2, length: 99, checksum: 0xabcd },
      new Uint8Array(3),
      addresses,
    );
    expect(Array.from(datagram.subarray(4, 8))).toEqual([0, 99, 0xab, 0xcd]);
  });
});

describe("decodeUdp", () => {
  it("decodes scapy's datagram with a valid checksum", () => {
    const ip = decodeIpv4(hex(SCAPY_NAME_REQUEST));
    const udp = decodeUdp(ip.payload, ip.header!);
    expect(udp.errors).toEqual([]);
    expect(udp.header).toEqual({
      sourcePort: 49152,
      destinationPort: 53,
      length: 21,
      checksum: 0x5f07,
    });
    expect(udp.checksumStatus).toBe("valid");
    expect(new TextDecoder().decode(udp.payload)).toBe("alice.example");
  });

  it("tells valid, invalid, none and unverified apart", () => {
    const datagram = encodeUdp(
      { sourcePort: 5, destinationPort: 6 },
      Uint8Array.of(1, 2, 3),
      addresses,
    );
    expect(decodeUdp(datagram, addresses).checksumStatus).toBe("valid");
    expect(decodeUdp(datagram).checksumStatus).toBe("unverified");
    expect(decodeUdp(datagram, { ...addresses, source: "10.0.0.3" }).checksumStatus).toBe(
      "invalid",
    );
    const none = encodeUdp(
      { sourcePort: 5, destinationPort: 6, checksum: 0 },
      Uint8Array.of(1),
      addresses,
    );
    expect(decodeUdp(none, addresses).checksumStatus).toBe("none");
  });

  it("round-trips ports and payloads over any addresses", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffff }),
        fc.nat({ max: 0xffff }),
        fc.uint8Array({ maxLength: 100 }),
        ipv4Address,
        ipv4Address,
        (sourcePort, destinationPort, payload, source, destination) => {
          const datagram = encodeUdp({ sourcePort, destinationPort }, payload, {
            source,
            destination,
          });
          const decoded = decodeUdp(datagram, { source, destination });
          expect(decoded.errors).toEqual([]);
          expect(decoded.checksumStatus).toBe("valid");
          expect(decoded.header).toMatchObject({
            sourcePort,
            destinationPort,
            length: payload.length + 8,
          });
          expect(decoded.payload).toEqual(payload);
        },
      ),
    );
  });

  it("explains a length beyond the IP payload, and below 8", () => {
    const long = encodeUdp(
      { sourcePort: 1, destinationPort: 2, length: 30 },
      new Uint8Array(4),
      addresses,
    );
    const decoded = decodeUdp(long, addresses);
    expect(decoded.errors).toEqual(["UDP length 30 exceeds the 12 bytes left in the IP packet"]);
    expect(decoded.payload.length).toBe(4);
    expect(decoded.checksumStatus).toBe("unverified");
    const short = encodeUdp(
      { sourcePort: 1, destinationPort: 2, length: 3 },
      new Uint8Array(4),
      addresses,
    );
    expect(decodeUdp(short).errors[0]).toMatch(/UDP length 3 is below the minimum of 8/);
  });

  it("ignores bytes beyond the UDP length", () => {
    const datagram = encodeUdp({ sourcePort: 1, destinationPort: 2 }, Uint8Array.of(7), addresses);
    const padded = new Uint8Array(datagram.length + 5);
    padded.set(datagram);
    const decoded = decodeUdp(padded, addresses);
    expect(Array.from(decoded.payload)).toEqual([7]);
    expect(decoded.checksumStatus).toBe("valid");
  });

  it("never throws on a datagram cut at any length", () => {
    const datagram = encodeUdp({ sourcePort: 1, destinationPort: 2 }, new Uint8Array(5), addresses);
    for (let n = 0; n <= datagram.length; n++) {
      const decoded = decodeUdp(datagram.subarray(0, n), addresses);
      expect(decoded.header === null).toBe(n < 8);
      expect(decoded.errors.length > 0).toBe(n < datagram.length);
    }
  });
});
