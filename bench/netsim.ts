// How fast the simulated network routes datagrams, with the packet event log on (every event
// is dissected, kept, and handed to an onPacket listener, as in a real run).
import { performance } from "node:perf_hooks";
import { createNetwork, defaultTopology, type TopologySpec } from "../src/netsim/index.ts";

const ROUND_TRIPS = 10_000;

function viaRouter(): TopologySpec {
  return {
    hosts: [
      { name: "learner", address: "10.0.0.2" },
      { name: "router", address: "10.0.0.1", router: true },
      { name: "alice", address: "10.0.1.7" },
    ],
    links: [
      { a: "learner", b: "router" },
      { a: "router", b: "alice" },
    ],
    records: [],
    peers: [{ kind: "alice", host: "alice" }],
    learnerHost: "learner",
  };
}

/** Learner → Alice and her reply back, ROUND_TRIPS times; returns datagrams and events per second. */
function measure(topology: TopologySpec, aliceAddress: string, roundTrips: number) {
  let streamed = 0;
  const network = createNetwork({
    topology,
    seed: 1,
    limits: { maxPackets: 1e9, maxBytes: 1e12, maxVirtualTimeUs: 1e15 },
    onPacket: () => {
      streamed++;
    },
  });
  const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
  const message = new TextEncoder().encode("Hello Alice, this is a benchmark message");
  const started = performance.now();
  for (let i = 0; i < roundTrips; i++) {
    socket.sendTo(message, { address: aliceAddress, port: 1000 });
    if (socket.recvFrom(null).status !== "received") throw new Error("the reply did not arrive");
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    datagrams: roundTrips * 2,
    events: streamed,
    seconds,
  };
}

export async function bench(): Promise<void> {
  const scenarios = [
    { name: "learner ⇄ Alice, one link", topology: defaultTopology(), alice: "10.0.0.7" },
    { name: "learner ⇄ Alice, via a router", topology: viaRouter(), alice: "10.0.1.7" },
  ];
  const rows = scenarios.map((scenario) => {
    measure(scenario.topology, scenario.alice, 1000); // warm-up: let the JIT settle
    const result = measure(scenario.topology, scenario.alice, ROUND_TRIPS);
    return {
      scenario: scenario.name,
      datagrams: result.datagrams,
      "packet events": result.events,
      "wall ms": Math.round(result.seconds * 1000),
      "datagrams/s": Math.round(result.datagrams / result.seconds),
      "events/s": Math.round(result.events / result.seconds),
    };
  });
  console.log(
    `\nnetsim: datagrams routed per second, event log on (${ROUND_TRIPS} round trips each)`,
  );
  console.table(rows);
}
