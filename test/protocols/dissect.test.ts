import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dissectPacket } from "../../src/protocols/dissect.ts";
import { encodeDns } from "../../src/protocols/dns.ts";
import { encodeDestinationUnreachable } from "../../src/protocols/icmp.ts";
import { encodeIpv4 } from "../../src/protocols/ipv4.ts";
import {
  encodeNameAnswer,
  encodeNameRequest,
  encodeUnknownNameAnswer,
} from "../../src/protocols/name-lookup.ts";
import { encodeUdp } from "../../src/protocols/udp.ts";
import type { Field } from "../../src/protocols/types.ts";
import { ipv4Fields } from "./arbitraries.ts";

const learner = "10.0.0.2";
const ns = "10.0.0.53";

function udpPacket(sourcePort: number, destinationPort: number, payload: Uint8Array, extra = {}) {
  const addresses = { source: learner, destination: ns };
  return encodeIpv4(
    { ...addresses, ...extra },
    encodeUdp({ sourcePort, destinationPort }, payload, addresses),
  );
}

const find = (fields: Field[], name: string): Field | undefined => {
  for (const field of fields) {
    if (field.name === name) return field;
    const inner = field.children && find(field.children, name);
    if (inner) return inner;
  }
  return undefined;
};

describe("dissectPacket", () => {
  it("names every IPv4 and UDP field with its RFC name, bits and Wireshark name", () => {
    const { layers, summary } = dissectPacket(
      udpPacket(49152, 1000, new TextEncoder().encode("hi Alice")),
    );
    expect(layers.map((l) => l.protocol)).toEqual(["ipv4", "udp", "payload"]);
    const [ip, udp, data] = layers;
    expect(ip!.fields.map((f) => [f.name, f.bitOffset, f.bitLength])).toEqual([
      ["version", 0, 4],
      ["ihl", 4, 4],
      ["dscp", 8, 6],
      ["ecn", 14, 2],
      ["totalLength", 16, 16],
      ["identification", 32, 16],
      ["flags", 48, 3],
      ["fragmentOffset", 51, 13],
      ["ttl", 64, 8],
      ["protocol", 72, 8],
      ["headerChecksum", 80, 16],
      ["source", 96, 32],
      ["destination", 128, 32],
    ]);
    expect(find(ip!.fields, "flags")!.children!.map((f) => f.name)).toEqual([
      "reserved",
      "dontFragment",
      "moreFragments",
    ]);
    expect(find(ip!.fields, "ttl")).toMatchObject({
      title: "Time to Live",
      value: 64,
      wireshark: "ip.ttl",
    });
    expect(ip!.checksum).toBe("valid");
    expect(udp!.fields.map((f) => [f.name, f.bitOffset, f.wireshark])).toEqual([
      ["sourcePort", 160, "udp.srcport"],
      ["destinationPort", 176, "udp.dstport"],
      ["length", 192, "udp.length"],
      ["checksum", 208, "udp.checksum"],
    ]);
    expect(udp!.checksum).toBe("valid");
    expect(data!.fields[0]).toMatchObject({ value: "hi Alice", bitOffset: 224, bitLength: 64 });
    expect(summary).toBe("10.0.0.2:49152 → 10.0.0.53:1000 UDP, 8 bytes");
  });

  it("recognises the lesson's name lookup on port 53", () => {
    const request = dissectPacket(udpPacket(49152, 53, encodeNameRequest("alice.example")));
    expect(request.layers[2]).toMatchObject({
      protocol: "name-lookup",
      summary: "who is alice.example?",
    });
    const answer = dissectPacket(udpPacket(53, 49152, encodeNameAnswer("10.0.1.7")));
    expect(find(answer.layers[2]!.fields, "address")!.value).toBe("10.0.1.7");
    const unknown = dissectPacket(udpPacket(53, 49152, encodeUnknownNameAnswer()));
    expect(unknown.layers[2]!.summary).toBe("unknown name (empty answer)");
  });

  it("dissects DNS on port 53 with nested questions and records", () => {
    const message = encodeDns({
      id: 0x1234,
      flags: { qr: true, opcode: 0, aa: false, tc: false, rd: true, ra: true, z: 0, rcode: 3 },
      questions: [{ name: "bob.example", type: 1, class: 1 }],
      answers: [],
      authorities: [],
      additionals: [],
    });
    const { layers, summary } = dissectPacket(udpPacket(53, 40000, message));
    const dns = layers[2]!;
    expect(dns.protocol).toBe("dns");
    expect(find(dns.fields, "rcode")).toMatchObject({ value: 3, display: "No such name (3)" });
    expect(find(dns.fields, "question")!.children!.map((f) => f.name)).toEqual([
      "name",
      "type",
      "class",
    ]);
    expect(summary).toContain("Standard query response 0x1234 No such name A bob.example");
  });

  it("does not dissect a non-first fragment as UDP", () => {
    const packet = encodeIpv4(
      { source: learner, destination: ns, fragmentOffset: 185, moreFragments: true },
      new Uint8Array(16),
    );
    const { layers, summary } = dissectPacket(packet);
    expect(layers.map((l) => l.protocol)).toEqual(["ipv4", "payload"]);
    expect(layers[1]!.title).toBe("Fragment of a UDP datagram (bytes 1480–1495)");
    expect(summary).toBe("10.0.0.2 → 10.0.0.53 UDP fragment at byte 1480, 16 bytes, more follow");
  });

  it("shows the packet quoted by an ICMP error", () => {
    const original = udpPacket(49152, 999, new TextEncoder().encode("anyone?"));
    const icmp = encodeDestinationUnreachable(3, original);
    const packet = encodeIpv4({ source: ns, destination: learner, protocol: 1 }, icmp);
    const { layers, summary } = dissectPacket(packet);
    expect(layers.map((l) => l.protocol)).toEqual(["ipv4", "icmp", "ipv4", "udp"]);
    expect(layers.flatMap((l) => l.errors)).toEqual([]);
    expect(layers[3]!.byteOffset).toBe(48);
    expect(summary).toBe("10.0.0.53 → 10.0.0.2 ICMP Destination Unreachable (port unreachable)");
  });

  it("explains malformed headers in a learner's words", () => {
    const addresses = { source: learner, destination: ns };
    const tooLong = encodeIpv4({ ...addresses, totalLength: 60 }, new Uint8Array(8));
    expect(dissectPacket(tooLong).layers[0]!.errors).toContain(
      "total length 60 exceeds the 28 bytes captured",
    );
    const udpTooLong = encodeIpv4(
      addresses,
      encodeUdp({ sourcePort: 1, destinationPort: 2, length: 30 }, new Uint8Array(4), addresses),
    );
    expect(dissectPacket(udpTooLong).layers[1]!.errors).toEqual([
      "UDP length 30 exceeds the 12 bytes left in the IP packet",
    ]);
    const badSum = encodeIpv4({ ...addresses, headerChecksum: 0x1234 });
    const ip = dissectPacket(badSum).layers[0]!;
    expect(ip.checksum).toBe("invalid");
    expect(ip.errors[0]).toMatch(
      /^header checksum 0x1234 is wrong: the header sums to 0x[0-9a-f]{4}$/,
    );
    expect(dissectPacket(badSum).summary.endsWith("[malformed]")).toBe(true);
  });

  it("never throws on a valid packet cut at every length, and keeps the fields that fit", () => {
    const packet = udpPacket(
      53,
      40000,
      encodeDns({
        id: 1,
        flags: { qr: true, opcode: 0, aa: true, tc: false, rd: true, ra: true, z: 0, rcode: 0 },
        questions: [{ name: "alice.example", type: 1, class: 1 }],
        answers: [
          {
            name: "alice.example",
            type: 1,
            class: 1,
            ttl: 60,
            data: { kind: "A", address: "10.0.1.7" },
          },
        ],
        authorities: [],
        additionals: [],
      }),
      { options: Uint8Array.of(7, 7, 4, 0, 0, 0, 0, 0) },
    );
    for (let n = 0; n <= packet.length; n++) {
      const { layers } = dissectPacket(packet.subarray(0, n));
      const errors = layers.flatMap((l) => l.errors);
      expect(errors.length > 0, `cut at ${n}`).toBe(n < packet.length);
      for (const layer of layers) {
        for (const field of layer.fields)
          expect(field.bitOffset + field.bitLength).toBeLessThanOrEqual(n * 8);
      }
    }
  });

  it("never throws on random headers and random bytes", () => {
    // dissectPacket's safety net would hide a throw; a bug must show up here instead.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        expect(dissectPacket(bytes).summary).not.toContain("the dissector failed");
      }),
    );
    fc.assert(
      fc.property(ipv4Fields, fc.uint8Array({ maxLength: 60 }), (fields, payload) => {
        const { layers } = dissectPacket(encodeIpv4(fields, payload));
        // Generated option bytes may not parse as options; everything else must be clean.
        expect(layers[0]!.checksum).toBe("valid");
        expect(layers[0]!.errors.filter((e) => !e.startsWith("option "))).toEqual([]);
      }),
    );
  });
});
