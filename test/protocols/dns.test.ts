import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  decodeDns,
  DNS_CLASS,
  DNS_RCODE,
  DNS_TYPE,
  encodeDns,
  type DnsMessage,
  type DnsRecord,
} from "../../src/protocols/dns.ts";
import { formatIpv6Bytes, parseIpv6Address } from "../../src/protocols/ipv6-address.ts";
import { hex, ipv4Address } from "./arbitraries.ts";

// scapy: DNS(id=0xbeef, qr=1, rd=1, ra=1, aa=1, qd=DNSQR(qname="alice.example"),
//            an=DNSRR(rrname="alice.example", type="A", ttl=300, rdata="10.0.0.100"))  (no compression)
const SCAPY_RESPONSE =
  "beef8580000100010000000005616c696365076578616d706c65000001000105616c696365076578616d706c6500000100010000012c00040a000064";

const response: DnsMessage = {
  id: 0xbeef,
  flags: { qr: true, opcode: 0, aa: true, tc: false, rd: true, ra: true, z: 0, rcode: 0 },
  questions: [{ name: "alice.example", type: DNS_TYPE.A, class: DNS_CLASS.IN }],
  answers: [
    {
      name: "alice.example",
      type: DNS_TYPE.A,
      class: DNS_CLASS.IN,
      ttl: 300,
      data: { kind: "A", address: "10.0.0.100" },
    },
  ],
  authorities: [],
  additionals: [],
};

describe("decodeDns", () => {
  it("decodes scapy's uncompressed response", () => {
    expect(decodeDns(hex(SCAPY_RESPONSE))).toEqual({ message: response, errors: [] });
  });

  it("follows compression pointers", () => {
    // Same response with the answer's name as a pointer to offset 12 (RFC 1035 §4.1.4).
    const compressed = hex(SCAPY_RESPONSE.slice(0, 62) + "c00c" + SCAPY_RESPONSE.slice(62 + 30));
    expect(decodeDns(compressed)).toEqual({ message: response, errors: [] });
  });

  it("stops a pointer loop and a pointer out of bounds", () => {
    const header = "000001000001000000000000";
    const loop = decodeDns(hex(header + "c00c00010001"));
    expect(loop.errors).toEqual(["question 1: name pointers form a loop"]);
    expect(loop.message!.questions).toEqual([]);
    const outside = decodeDns(hex(header + "c0ff00010001"));
    expect(outside.errors[0]).toMatch(/pointer to byte 255 is beyond the 18-byte message/);
  });

  it("says what is missing in a short message", () => {
    expect(decodeDns(hex("beef0100")).errors).toEqual([
      "a DNS header needs 12 bytes, only 4 present",
    ]);
    const cut = decodeDns(hex(SCAPY_RESPONSE).subarray(0, 40));
    expect(cut.message!.questions).toHaveLength(1);
    expect(cut.errors[0]).toMatch(/^answer record 1:/);
  });

  it("never throws on a message cut at any length, or on random bytes", () => {
    const bytes = hex(SCAPY_RESPONSE);
    for (let n = 0; n <= bytes.length; n++) {
      const decoded = decodeDns(bytes.subarray(0, n));
      expect(decoded.errors.length > 0).toBe(n < bytes.length);
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (random) => void decodeDns(random)));
  });

  it("names NXDOMAIN 3", () => {
    expect(DNS_RCODE.NXDOMAIN).toBe(3);
  });
});

describe("encodeDns", () => {
  it("compresses a repeated name into a pointer to the question", () => {
    const bytes = encodeDns(response);
    const name = "05616c696365076578616d706c6500";
    expect(Buffer.from(bytes).toString("hex")).toBe(
      "beef85800001000100000000" + name + "00010001" + "c00c00010001" + "0000012c00040a000064",
    );
  });

  it("refuses a label over 63 bytes", () => {
    const message = {
      ...response,
      questions: [{ name: "a".repeat(64) + ".x", type: 1, class: 1 }],
    };
    expect(() => encodeDns(message)).toThrow(/longer than 63 bytes/);
  });
});

const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join("."));
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(formatIpv6Bytes);
const record: fc.Arbitrary<DnsRecord> = fc.oneof(
  fc.record({
    name,
    type: fc.constant(1),
    class: fc.constant(1),
    ttl: fc.nat(),
    data: ipv4Address.map((address) => ({ kind: "A" as const, address })),
  }),
  fc.record({
    name,
    type: fc.constant(28),
    class: fc.constant(1),
    ttl: fc.nat(),
    data: ipv6.map((address) => ({ kind: "AAAA" as const, address })),
  }),
  fc.record({
    name,
    type: fc.constant(5),
    class: fc.constant(1),
    ttl: fc.nat(),
    data: name.map((target) => ({ kind: "CNAME" as const, name: target })),
  }),
  fc.record({
    name,
    type: fc.constant(16),
    class: fc.constant(1),
    ttl: fc.nat(),
    data: fc
      .array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 3 })
      .map((strings) => ({ kind: "TXT" as const, strings })),
  }),
  fc.record({
    name,
    type: fc.constant(99),
    class: fc.constant(1),
    ttl: fc.nat(),
    data: fc.uint8Array({ maxLength: 10 }).map((bytes) => ({ kind: "raw" as const, bytes })),
  }),
);
const message: fc.Arbitrary<DnsMessage> = fc.record({
  id: fc.nat({ max: 0xffff }),
  flags: fc.record({
    qr: fc.boolean(),
    opcode: fc.nat({ max: 15 }),
    aa: fc.boolean(),
    tc: fc.boolean(),
    rd: fc.boolean(),
    ra: fc.boolean(),
    z: fc.nat({ max: 7 }),
    rcode: fc.nat({ max: 15 }),
  }),
  questions: fc.array(
    fc.record({ name, type: fc.nat({ max: 0xffff }), class: fc.nat({ max: 0xffff }) }),
    { maxLength: 3 },
  ),
  answers: fc.array(record, { maxLength: 3 }),
  authorities: fc.array(record, { maxLength: 2 }),
  additionals: fc.array(record, { maxLength: 2 }),
});

describe("DNS round trip", () => {
  it("decodes what it encodes", () => {
    fc.assert(
      fc.property(message, (original) => {
        expect(decodeDns(encodeDns(original))).toEqual({ message: original, errors: [] });
      }),
    );
  });

  it("formats and parses IPv6 addresses back", () => {
    expect(formatIpv6Bytes(parseIpv6Address("2001:db8::1")!)).toBe("2001:db8::1");
    expect(formatIpv6Bytes(parseIpv6Address("::")!)).toBe("::");
    expect(formatIpv6Bytes(parseIpv6Address("1:0:0:2:0:0:0:3")!)).toBe("1:0:0:2::3");
    expect(parseIpv6Address("1::2::3")).toBeNull();
  });
});
