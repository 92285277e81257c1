// The dissector's speed caches (address texts, hex16 texts, shared outer-header fields) must
// never hand out a value that belongs to other input, and shared objects must not be editable.
import { describe, expect, it } from "vitest";
import { formatIpv4Bytes } from "../../src/protocols/address.ts";
import { dissectPacket } from "../../src/protocols/dissect.ts";
import { hex16 } from "../../src/protocols/field.ts";
import { encodeDestinationUnreachable } from "../../src/protocols/icmp.ts";
import { encodeIpv4, IP_PROTOCOL } from "../../src/protocols/ipv4.ts";
import { encodeUdp } from "../../src/protocols/udp.ts";
import type { Field } from "../../src/protocols/types.ts";

function udpPacket(ttl: number, source = "10.0.0.2"): Uint8Array {
  const addresses = { source, destination: "10.0.0.53" };
  return encodeIpv4(
    { ...addresses, ttl },
    encodeUdp({ sourcePort: 40000, destinationPort: 1000 }, new Uint8Array([1, 2, 3]), addresses),
  );
}

function named(fields: Field[], name: string): Field {
  const found = fields.find((f) => f.name === name);
  if (!found) throw new Error(`no field ${name}`);
  return found;
}

describe("address text cache", () => {
  it("tells apart addresses that fall in the same slot", () => {
    // These have the same XOR of their bytes, so they take turns in one cache slot.
    const texts = ["10.0.0.2", "10.0.2.0", "10.0.0.2", "2.0.0.10", "10.0.2.0"];
    for (const text of texts) {
      const bytes = new Uint8Array(6);
      bytes.set(text.split(".").map(Number), 2);
      expect(formatIpv4Bytes(bytes, 2)).toBe(text);
    }
  });

  it("formats short input as before, without reading the cache", () => {
    expect(formatIpv4Bytes(new Uint8Array([10, 0, 0]), 0)).toBe("10.0.0.undefined");
  });
});

describe("hex16 texts", () => {
  it("gives each 16-bit value its own text, and only the low 16 bits of larger ones", () => {
    expect([hex16(0), hex16(0x1c46), hex16(0xffff), hex16(0x1c46)]).toEqual([
      "0x0000",
      "0x1c46",
      "0xffff",
      "0x1c46",
    ]);
    expect(hex16(0x11c46)).toBe("0x1c46");
  });
});

describe("shared outer-header fields", () => {
  it("are shared between packets only when the value is the same, and frozen", () => {
    const first = dissectPacket(udpPacket(64)).layers[0]!.fields;
    const second = dissectPacket(udpPacket(64, "10.0.0.3")).layers[0]!.fields;
    const third = dissectPacket(udpPacket(1)).layers[0]!.fields;
    expect(named(first, "ttl")).toBe(named(second, "ttl"));
    expect(named(third, "ttl").value).toBe(1);
    expect(named(first, "ttl").value).toBe(64);
    const flags = named(first, "flags");
    expect(Object.isFrozen(flags) && Object.isFrozen(flags.children)).toBe(true);
    expect(() => {
      (flags as { value: unknown }).value = 7;
    }).toThrow(TypeError);
    // Fields that vary per packet are each packet's own.
    expect(named(first, "source")).not.toBe(named(second, "source"));
    expect(Object.isFrozen(named(first, "identification"))).toBe(false);
  });

  it("are not used for an IPv4 header quoted further into the packet", () => {
    const icmp = encodeDestinationUnreachable(3, udpPacket(64));
    const packet = encodeIpv4(
      {
        source: "10.0.0.53",
        destination: "10.0.0.2",
        protocol: IP_PROTOCOL.ICMP,
      },
      icmp,
    );
    const quoted = dissectPacket(packet).layers.find((l) => l.title.includes("quoted"))!;
    const ttl = named(quoted.fields, "ttl");
    expect(ttl.bitOffset).toBe((20 + 8) * 8 + 64);
    expect(Object.isFrozen(ttl)).toBe(false);
  });
});
