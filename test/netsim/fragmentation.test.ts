import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fromHex } from "../../src/protocols/hex.ts";
import { decodeIpv4, encodeIpv4 } from "../../src/protocols/ipv4.ts";
import { encodeUdp } from "../../src/protocols/udp.ts";
import { REASSEMBLY_TIMEOUT_US, type TopologySpec } from "../../src/netsim/index.ts";
import { fragmentPacket } from "../../src/netsim/fragment.ts";
import { detailOf, dropsOf, open } from "./helpers.ts";

const LEARNER = "10.0.0.2";
const RECEIVER = "10.0.9.9";

function fileTopology(link: Partial<TopologySpec["links"][number]> = {}): TopologySpec {
  return {
    hosts: [
      { name: "learner", address: LEARNER },
      { name: "photos", address: RECEIVER },
    ],
    links: [{ a: "learner", b: "photos", latencyUs: 1000, mtu: 576, ...link }],
    records: [],
    peers: [
      { kind: "file-receiver", host: "photos", port: 4000, expectedBytes: 10_000, mode: "whole" },
    ],
    learnerHost: "learner",
  };
}

function photo(length = 10_000): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
}

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

interface ReceiverState {
  complete: boolean;
  assembledBytes: number;
  sha256: string | null;
  wholeDatagrams: { length: number; sha256: string }[];
}

describe("fragmentation (RFC 791 §3.2)", () => {
  it("splits into 8-byte-aligned fragments that fit the MTU, with MF and offsets", () => {
    const payload = photo(1500);
    const packet = encodeIpv4(
      { source: LEARNER, destination: RECEIVER, identification: 0x4242 },
      payload,
    );
    const fragments = fragmentPacket(decodeIpv4(packet).header!, payload, 576).map(decodeIpv4);
    expect(fragments.map((f) => f.header?.fragmentOffset)).toEqual([0, 69, 138]);
    expect(fragments.map((f) => f.header?.moreFragments)).toEqual([true, true, false]);
    expect(fragments.map((f) => f.payload.length)).toEqual([552, 552, 396]);
    expect(fragments.every((f) => f.checksumValid && f.header?.identification === 0x4242)).toBe(
      true,
    );
  });

  it("carries a 10 KB datagram over an MTU-576 link and reassembles it at the receiver", () => {
    const network = open(fileTopology());
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    const file = photo();
    socket.sendTo(file, { address: RECEIVER, port: 4000 });
    const reply = socket.recvFrom(null);
    expect(reply.status).toBe("received");
    const state = network.peerStates().photos as ReceiverState;
    expect(state).toMatchObject({ complete: true, assembledBytes: 10_000, sha256: sha256(file) });
    const fragments = network.events.filter((e) => e.from === "learner");
    // 10,008 UDP bytes in 552-byte pieces: 18 full fragments and one of 72.
    expect(fragments).toHaveLength(19);
    expect(fragments.every((e) => e.length <= 576 && e.fate.status === "delivered")).toBe(true);
    const ids = new Set(fragments.map((e) => decodeIpv4(fromHex(e.hex)).header?.identification));
    expect(ids.size).toBe(1);
  });

  it("drops an incomplete datagram after the reassembly timeout and says which bytes are missing", () => {
    const network = open(fileTopology());
    const addresses = { source: LEARNER, destination: RECEIVER };
    const udp = encodeUdp({ sourcePort: 40000, destinationPort: 4000 }, photo(), addresses);
    const whole = encodeIpv4({ ...addresses, identification: 7 }, udp);
    const fragments = fragmentPacket(decodeIpv4(whole).header!, udp, 576);
    fragments.forEach((fragment, i) => i !== 5 && network.learner.sendRaw(fragment));
    network.settle();
    const timedOut = dropsOf(network, "reassembly-timeout");
    expect(timedOut).toHaveLength(18);
    expect(detailOf(timedOut[0])).toMatch(
      /9456 of 10008 bytes arrived within 30 s; missing bytes 2760–3311/,
    );
    expect(network.nowUs).toBeGreaterThanOrEqual(REASSEMBLY_TIMEOUT_US);
    expect((network.peerStates().photos as ReceiverState).complete).toBe(false);
    // ICMP time exceeded, code 1 (fragment reassembly), goes back to the sender.
    const icmp = network.events.find((e) => e.from === "photos");
    expect(decodeIpv4(fromHex(icmp!.hex)).payload.subarray(0, 2)).toEqual(Uint8Array.of(11, 1));
  });

  it("reassembles fragments that arrive out of order, duplicated and overlapping", () => {
    const network = open(fileTopology());
    const addresses = { source: LEARNER, destination: RECEIVER };
    const file = photo();
    const udp = encodeUdp({ sourcePort: 40000, destinationPort: 4000 }, file, addresses);
    const header = decodeIpv4(encodeIpv4({ ...addresses, identification: 9 }, udp)).header!;
    const small = fragmentPacket(header, udp, 300);
    const large = fragmentPacket(header, udp, 1000);
    // Large pieces overlap the small ones at other boundaries; send backwards, twice over.
    for (const fragment of [...large.slice(1).reverse(), ...small.reverse(), large[0]!]) {
      network.learner.sendRaw(fragment);
    }
    network.settle();
    const state = network.peerStates().photos as ReceiverState;
    expect(state.wholeDatagrams).toEqual([
      { length: 10_000, sha256: sha256(file), atUs: 1000, from: "10.0.0.2:40000" },
    ]);
  });

  it("still reassembles when the link reorders and duplicates fragments", () => {
    const network = open(fileTopology({ reorder: 0.5, duplicate: 0.3 }));
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    const file = photo();
    socket.sendTo(file, { address: RECEIVER, port: 4000 });
    network.settle();
    // All fragments leave at t=0; their events are final in arrival order once reassembled.
    const arrived = network.events.filter((e) => e.from === "learner");
    const offsets = arrived.map((e) => decodeIpv4(fromHex(e.hex)).header!.fragmentOffset);
    expect(arrived.length).toBeGreaterThan(19);
    expect(offsets.some((offset, i) => i > 0 && offset <= offsets[i - 1]!)).toBe(true);
    const state = network.peerStates().photos as ReceiverState;
    expect(state.wholeDatagrams.map((d) => d.sha256)).toEqual([sha256(file)]);
  });
});
