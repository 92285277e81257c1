import { describe, expect, it } from "vitest";
import { createNetwork, type TopologySpec } from "../../src/netsim/index.ts";
import { bytes, routedTopology } from "./helpers.ts";

function lossyTopology(): TopologySpec {
  const topology = routedTopology({ mtu: 576 });
  for (const link of topology.links)
    Object.assign(link, { loss: 0.1, duplicate: 0.1, reorder: 0.3 });
  return topology;
}

/** A small program: look Alice up, then send her a few messages, some of them large. */
function runProgram(seed: number) {
  const network = createNetwork({ topology: lossyTopology(), seed });
  const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
  socket.sendTo(bytes("alice"), { address: "10.0.0.53", port: 53 });
  socket.recvFrom(100_000);
  for (let i = 0; i < 20; i++) {
    socket.sendTo(i % 5 === 0 ? new Uint8Array(3000).fill(i) : bytes(`message ${i}`), {
      address: "10.0.3.7",
      port: 1000,
    });
    socket.recvFrom(3_000);
  }
  network.settle();
  return {
    events: JSON.parse(JSON.stringify(network.events)),
    peers: network.peerStates(),
    now: network.nowUs,
  };
}

describe("determinism", () => {
  it("gives the same packets, byte for byte, at the same virtual times for the same seed", () => {
    const first = runProgram(2024);
    const second = runProgram(2024);
    expect(second).toEqual(first);
    const reasons = new Set(first.events.map((e: { fate: { reason?: string } }) => e.fate.reason));
    expect(reasons.has("lost")).toBe(true);
  });

  it("draws differently for a different seed", () => {
    expect(runProgram(1).events).not.toEqual(runProgram(2).events);
  });

  it("keeps events plain JSON, with seq in emission order", () => {
    const { events } = runProgram(5);
    expect(events.map((e: { seq: number }) => e.seq)).toEqual(
      events.map((_: unknown, i: number) => i + 1),
    );
    for (const event of events) {
      expect(event.hex).toMatch(/^([0-9a-f]{2})+$/);
      expect(event.hex.length).toBe(event.length * 2);
    }
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
  });
});
