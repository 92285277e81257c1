import { describe, expect, it } from "vitest";
import {
  decodeIcmp,
  encodeDestinationUnreachable,
  encodeIcmpEcho,
  encodeTimeExceeded,
  ICMP_TYPE,
} from "../../src/protocols/icmp.ts";
import { decodeIpv4, encodeIpv4 } from "../../src/protocols/ipv4.ts";
import { encodeUdp } from "../../src/protocols/udp.ts";
import { hex } from "./arbitraries.ts";

// scapy: IP(src="10.0.0.2", dst="10.0.0.1", id=1)/ICMP(type=8, id=0x4242, seq=7)/b"ping"
const SCAPY_ECHO = "4500002000010000400166da0a0000020a0000010800d6e54242000770696e67";
// scapy: ICMP(type=3, code=3) quoting IP/UDP(sport=1234, dport=9)/b"hello" (header + 8 bytes)
const SCAPY_UNREACHABLE =
  "4500003800010000400166c20a0000010a000002030354f0000000004500002100010000401166c90a0000020a00000104d20009000da324";

describe("ICMP", () => {
  it("encodes an echo request like scapy", () => {
    const echo = encodeIcmpEcho("request", 0x4242, 7, new TextEncoder().encode("ping"));
    expect(Buffer.from(echo).toString("hex")).toBe(SCAPY_ECHO.slice(40));
    const decoded = decodeIcmp(echo);
    expect(decoded.checksumValid).toBe(true);
    expect(decoded.header).toMatchObject({
      type: 8,
      code: 0,
      identifier: 0x4242,
      sequenceNumber: 7,
    });
  });

  it("quotes the original IP header and 8 bytes in port unreachable, like scapy", () => {
    const addresses = { source: "10.0.0.2", destination: "10.0.0.1" };
    const original = encodeIpv4(
      { ...addresses, identification: 1 },
      encodeUdp(
        { sourcePort: 1234, destinationPort: 9 },
        new TextEncoder().encode("hello"),
        addresses,
      ),
    );
    const message = encodeDestinationUnreachable(3, original);
    expect(message.length).toBe(8 + 28);
    expect(Buffer.from(message).toString("hex")).toBe(SCAPY_UNREACHABLE.slice(40));
    const ip = decodeIpv4(hex(SCAPY_UNREACHABLE));
    const decoded = decodeIcmp(ip.payload);
    expect(decoded.header).toMatchObject({ type: ICMP_TYPE.DESTINATION_UNREACHABLE, code: 3 });
    expect(decoded.checksumValid).toBe(true);
    expect(decodeIpv4(decoded.payload).header!.destination).toBe("10.0.0.1");
  });

  it("carries the next-hop MTU in fragmentation needed (RFC 1191)", () => {
    const original = encodeIpv4(
      { source: "1.1.1.1", destination: "2.2.2.2", dontFragment: true },
      new Uint8Array(1000),
    );
    const decoded = decodeIcmp(encodeDestinationUnreachable(4, original, 576));
    expect(decoded.header).toMatchObject({ type: 3, code: 4, nextHopMtu: 576 });
    expect(decoded.payload.length).toBe(28);
  });

  it("encodes time exceeded", () => {
    const original = encodeIpv4(
      { source: "1.1.1.1", destination: "2.2.2.2", ttl: 1 },
      new Uint8Array(30),
    );
    const decoded = decodeIcmp(encodeTimeExceeded(0, original));
    expect(decoded.header).toMatchObject({ type: 11, code: 0, restOfHeader: 0 });
    expect(decoded.checksumValid).toBe(true);
  });

  it("never throws on a message cut at any length", () => {
    const echo = encodeIcmpEcho("reply", 1, 2, Uint8Array.of(1, 2, 3, 4, 5, 6));
    for (let n = 0; n <= echo.length; n++) {
      const decoded = decodeIcmp(echo.subarray(0, n));
      expect(decoded.header === null).toBe(n < 8);
      expect(decoded.checksumValid).toBe(n === echo.length);
    }
  });
});
