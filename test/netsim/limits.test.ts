import { describe, expect, it } from "vitest";
import {
  DEFAULT_NETWORK_LIMITS,
  defaultTopology,
  NetworkError,
  type Network,
} from "../../src/netsim/index.ts";
import { encodeIpv4, encodeUdp } from "../../src/protocols/index.ts";
import { bytes, open } from "./helpers.ts";

const ALICE = { address: "10.0.0.7", port: 1000 };

function thrown(run: () => unknown): NetworkError {
  try {
    run();
  } catch (error) {
    if (error instanceof NetworkError) return error;
    throw error;
  }
  throw new Error("expected a NetworkError");
}

/** After a limit, every call refuses with the same error, and nothing more is recorded. */
function expectStopped(network: Network, code: string): void {
  expect(network.limitReached?.code).toBe(code);
  const events = network.events.length;
  expect(thrown(() => network.settle()).code).toBe(code);
  expect(thrown(() => network.learner.bindUdp({ address: "0.0.0.0", port: 0 })).code).toBe(code);
  expect(thrown(() => network.learner.sendRaw(new Uint8Array(20))).code).toBe(code);
  expect(network.events.length).toBe(events);
}

describe("limits", () => {
  it("has the documented defaults", () => {
    expect(DEFAULT_NETWORK_LIMITS).toMatchObject({
      maxPackets: 10_000,
      maxBytes: 10 * 1024 * 1024,
      maxSockets: 64,
      maxVirtualTimeUs: 60_000_000,
    });
  });

  it("stops a program that sends forever at the packet limit", () => {
    const network = open(defaultTopology());
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    let sent = 0;
    const error = thrown(() => {
      for (;;) {
        socket.sendTo(bytes("spam"), ALICE);
        sent++;
      }
    });
    expect(error.code).toBe("PACKET_LIMIT");
    expect(sent).toBe(DEFAULT_NETWORK_LIMITS.maxPackets);
    expectStopped(network, "PACKET_LIMIT");
    // Nothing was received, so every datagram was still on the wire when the run stopped: the
    // trace shows them all, in the order sent, instead of an empty list.
    expect(network.events).toHaveLength(DEFAULT_NETWORK_LIMITS.maxPackets);
    expect(network.events.map((event) => event.seq)).toEqual(
      network.events.map((_, index) => index + 1),
    );
    expect(network.events[0]!.fate).toMatchObject({
      status: "dropped",
      reason: "run-stopped",
      detail: expect.stringContaining("limit of 10000 packets"),
    });
  });

  it("counts a host's packets to itself, so a peer answering itself cannot loop forever", () => {
    // A raw datagram spoofed from Alice's port 1000 to Alice's port 1000: she answers it, to
    // herself, over loopback, again and again.
    const network = open(defaultTopology(), { limits: { maxPackets: 50 } });
    const payload = bytes("echo?");
    const udp = encodeUdp({ sourcePort: 1000, destinationPort: 1000 }, payload, {
      source: ALICE.address,
      destination: ALICE.address,
    });
    const packet = encodeIpv4(
      { source: ALICE.address, destination: ALICE.address, protocol: 17 },
      udp,
    );
    network.learner.sendRaw(packet);
    expect(thrown(() => network.settle()).code).toBe("PACKET_LIMIT");
    expect(network.limitReached?.code).toBe("PACKET_LIMIT");
  });

  it("counts every hop and every reply, and throws from the call that exceeded it", () => {
    const network = open(defaultTopology(), { limits: { maxPackets: 3 } });
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    socket.sendTo(bytes("one"), ALICE);
    expect(socket.recvFrom(null).status).toBe("received");
    socket.sendTo(bytes("two"), ALICE);
    // Alice's second reply would be the fourth packet: the learner's recvFrom runs it.
    expect(thrown(() => socket.recvFrom(null)).code).toBe("PACKET_LIMIT");
    expect(network.events).toHaveLength(3);
    expectStopped(network, "PACKET_LIMIT");
  });

  it("stops at the byte limit", () => {
    const network = open(defaultTopology(), { limits: { maxBytes: 5000 } });
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    const error = thrown(() => {
      for (let i = 0; i < 100; i++)
        socket.sendTo(new Uint8Array(1000), { address: "10.0.0.7", port: 9 });
    });
    expect(error.code).toBe("BYTE_LIMIT");
    expectStopped(network, "BYTE_LIMIT");
  });

  it("stops at the socket limit", () => {
    const network = open(defaultTopology(), { limits: { maxSockets: 2 } });
    network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    const second = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    second.close();
    network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    expect(thrown(() => network.learner.bindUdp({ address: "0.0.0.0", port: 0 })).code).toBe(
      "SOCKET_LIMIT",
    );
    expectStopped(network, "SOCKET_LIMIT");
  });

  it("stops at the virtual time limit, even while waiting with timeouts in a loop", () => {
    const network = open(defaultTopology(), { limits: { maxVirtualTimeUs: 5_000_000 } });
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    let waits = 0;
    const error = thrown(() => {
      for (;;) {
        socket.recvFrom(1_000_000);
        waits++;
      }
    });
    expect(error.code).toBe("VIRTUAL_TIME_LIMIT");
    expect(waits).toBe(5);
    expectStopped(network, "VIRTUAL_TIME_LIMIT");
  });

  it("caps the bytes held for reassembly and drops the rest with a reason", () => {
    const topology = defaultTopology();
    topology.links[1]!.mtu = 576;
    const network = open(topology, { limits: { maxReassemblyBytes: 4000 } });
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    socket.sendTo(new Uint8Array(10_000), ALICE);
    network.settle();
    const capped = network.events.filter(
      (e) => e.fate.status === "dropped" && e.fate.reason === "reassembly-limit",
    );
    expect(capped.length).toBeGreaterThan(0);
    expect((network.peerStates().alice as { inbox: unknown[] }).inbox).toEqual([]);
    expect(network.limitReached).toBeNull();
  });
});
