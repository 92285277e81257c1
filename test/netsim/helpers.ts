// Shared pieces of the netsim tests: text ⇄ bytes, small topologies, and event lookups.
import { createNetwork } from "../../src/netsim/index.ts";
import type { Network, NetworkOptions, PacketEvent, TopologySpec } from "../../src/netsim/index.ts";

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (data: Uint8Array): string => new TextDecoder().decode(data);

/** learner — r1 — r2 — alice, with a name server next to the learner. */
export function routedTopology(overrides: { mtu?: number } = {}): TopologySpec {
  return {
    hosts: [
      { name: "learner", address: "10.0.0.2" },
      { name: "ns", address: "10.0.0.53" },
      { name: "r1", address: "10.0.1.1", router: true },
      { name: "r2", address: "10.0.2.1", router: true },
      { name: "alice", address: "10.0.3.7" },
    ],
    links: [
      { a: "learner", b: "r1", latencyUs: 500 },
      { a: "learner", b: "ns", latencyUs: 1000 },
      { a: "r1", b: "r2", latencyUs: 2000, ...(overrides.mtu ? { mtu: overrides.mtu } : {}) },
      { a: "r2", b: "alice", latencyUs: 500 },
    ],
    records: [{ name: "alice", type: "A", value: "10.0.3.7" }],
    peers: [
      { kind: "name-server", host: "ns" },
      { kind: "alice", host: "alice" },
    ],
    learnerHost: "learner",
  };
}

export function open(topology: TopologySpec, extra: Partial<NetworkOptions> = {}): Network {
  return createNetwork({ topology, seed: 7, ...extra });
}

export function dropsOf(network: Network, reason: string): PacketEvent[] {
  return network.events.filter((e) => e.fate.status === "dropped" && e.fate.reason === reason);
}

export function detailOf(event: PacketEvent | undefined): string {
  return event?.fate.status === "dropped" ? event.fate.detail : "";
}
