import { deserialize, serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import type { PacketEvent } from "../../src/netsim/types.ts";
import { FIELD_PATHS, hasFieldPath } from "../../src/protocols/field-path.ts";
import { decodePackets, encodePackets, packetsJson } from "../../src/runner/packet-wire.ts";

// Two packets in the shapes the network emits: delivered (with arrivedUs) and dropped on the
// link (without), with nested layers and a summary beyond Latin-1.
const packets: PacketEvent[] = [
  {
    seq: 1,
    sentUs: 0,
    arrivedUs: 2000,
    from: "learner",
    to: "ns",
    length: 28,
    hex: "4500001c0001000040117cc90a0000020a000035",
    layers: [
      {
        protocol: "ipv4",
        title: "Internet Protocol Version 4",
        byteOffset: 0,
        byteLength: 20,
        fields: [{ name: "ttl", title: "Time to Live", value: 64, bitOffset: 64, bitLength: 8 }],
      },
    ],
    summary: "10.0.0.2 → 10.0.0.53",
    topProtocol: "ipv4",
    fate: { status: "delivered" },
  } as PacketEvent,
  {
    seq: 2,
    sentUs: 2500,
    from: "learner",
    to: "router",
    length: 20,
    hex: "45000014",
    layers: [],
    summary: "10.0.0.2 → 10.0.0.9",
    topProtocol: "ipv4",
    fate: { status: "dropped", reason: "ttl-expired", detail: "TTL reached 0 at the router" },
  } as PacketEvent,
];

/** As the packets cross from a worker: encoded, structured-cloned, decoded. */
const received = () => decodePackets(deserialize(serialize(encodePackets(packets))) as never);

describe("packets crossing from a worker", () => {
  it("arrive equal to what the worker had, layers included", () => {
    const decoded = received();
    expect(decoded).toEqual(packets);
    expect(structuredClone(decoded)).toEqual(packets);
    expect(decoded[0]!.layers[0]!.fields[0]!.value).toBe(64);
  });

  it("serialise to the same JSON text, keys in the same order", () => {
    expect(JSON.stringify(received())).toBe(JSON.stringify(packets));
  });

  it("give back the worker's text for any slice, and plain packets are serialised", () => {
    const decoded = received();
    expect(packetsJson(decoded)).toBe(JSON.stringify(packets));
    expect(packetsJson(decoded.slice(0, 1))).toBe(JSON.stringify(packets.slice(0, 1)));
    expect(packetsJson(decoded.slice(0, 0))).toBe("[]");
    expect(packetsJson(packets)).toBe(JSON.stringify(packets));
    expect(packetsJson([decoded[0]!, packets[1]!])).toBe(JSON.stringify(packets));
  });

  it("answer whether they have a field from the worker's index, without parsing their layers", () => {
    const wire = deserialize(serialize(encodePackets(packets))) as ReturnType<typeof encodePackets>;
    // Text that cannot be parsed: reading a packet's layers would throw.
    const decoded = decodePackets({ ...wire, json: wire.json.map(() => "not JSON") });
    expect(hasFieldPath(decoded[0]!, "ipv4.ttl")).toBe(true);
    expect(hasFieldPath(decoded[0]!, "ipv4.version")).toBe(false);
    expect(hasFieldPath(decoded[1]!, "ipv4")).toBe(false);
    expect(() => decoded[0]!.layers).toThrow(SyntaxError);
    // The index is no part of the packet as the API shows it.
    expect(Object.keys(decoded[0]!)).not.toContain(FIELD_PATHS);
    expect({ ...received()[0]! }).toEqual(packets[0]);
    expect(FIELD_PATHS in { ...received()[0]! }).toBe(false);
  });

  it("are read-only, so their text cannot go stale", () => {
    const [first] = received();
    expect(() => ((first as { hex: string }).hex = "00")).toThrow(TypeError);
    expect(() => ((first!.fate as { status: string }).status = "dropped")).toThrow(TypeError);
    expect(() => (first!.layers[0]!.fields.length = 0)).toThrow(TypeError);
    expect(packetsJson([first!])).toBe(JSON.stringify(packets.slice(0, 1)));
  });
});
