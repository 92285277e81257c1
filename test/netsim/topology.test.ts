import { describe, expect, it } from "vitest";
import {
  createNetwork,
  defaultTopology,
  TopologyError,
  validateTopology,
} from "../../src/netsim/index.ts";

describe("validateTopology", () => {
  it("accepts the default topology, with any address for Alice", () => {
    expect(validateTopology(defaultTopology())).toEqual([]);
    const custom = defaultTopology("10.0.0.99");
    expect(custom.hosts.find((h) => h.name === "alice")?.address).toBe("10.0.0.99");
    expect(custom.records.find((r) => r.name === "alice")?.value).toBe("10.0.0.99");
  });

  it("lists every problem in words an author can act on", () => {
    const topology = defaultTopology();
    topology.hosts.push(
      { name: "bob", address: "10.0.0.53" },
      { name: "carol", address: "10.0.0.300" },
    );
    topology.links.push({ a: "learner", b: "dave" }, { a: "ns", b: "alice", mtu: 20 });
    topology.records.push({ name: "x", type: "A", value: "nope" });
    topology.peers.push({ kind: "alice", host: "erin" });
    topology.learnerHost = "frank";
    expect(validateTopology(topology)).toEqual([
      'address 10.0.0.53 belongs to both "ns" and "bob"',
      'host "carol" has address "10.0.0.300", not an IPv4 address',
      'link #3 (learner – dave) names unknown host "dave"',
      "link #4 (ns – alice): mtu must be a whole number from 68 to 65535",
      'record #3 (x): "nope" is not an IPv4 address',
      'peer #3 (alice) runs on unknown host "erin"',
      'learnerHost "frank" is not one of the hosts',
    ]);
  });

  it("makes createNetwork throw a typed error carrying the problems", () => {
    const topology = defaultTopology();
    topology.learnerHost = "nobody";
    let caught: unknown;
    try {
      createNetwork({ topology, seed: 1 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TopologyError);
    expect((caught as TopologyError).problems).toEqual([
      'learnerHost "nobody" is not one of the hosts',
    ]);
  });
});
