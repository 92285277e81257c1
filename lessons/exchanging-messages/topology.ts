// Every session gets its own Alice: her address (and the web server's) derive from the session
// seed, so an address copied from someone else's run is wrong in yours, while your own session
// replays identically.
import { defineTopology, seededAddress } from "../../src/grading/kit/index.ts";
import type { TopologySpec } from "../../src/netsim/types.ts";
import {
  ALICE_NAME,
  ALICE_REPLY,
  LEARNER_ADDRESS,
  NAME_SERVER_ADDRESS,
  NAME_SERVER_PORT,
  WEB_NAME,
} from "./network.ts";

export default defineTopology((seed) => {
  const taken = [LEARNER_ADDRESS, NAME_SERVER_ADDRESS];
  const alice = seededAddress(seed, "exchanging-messages/alice", taken);
  const web = seededAddress(seed, "exchanging-messages/www", [...taken, alice]);
  const topology: TopologySpec = {
    hosts: [
      { name: "learner", address: LEARNER_ADDRESS },
      { name: "ns", address: NAME_SERVER_ADDRESS },
      { name: "alice", address: alice },
    ],
    links: [
      { a: "learner", b: "ns", latencyUs: 2000 },
      { a: "learner", b: "alice", latencyUs: 5000 },
    ],
    records: [
      { name: ALICE_NAME, type: "A", value: alice },
      { name: WEB_NAME, type: "A", value: web },
      { name: "ns.packetlab.test", type: "A", value: NAME_SERVER_ADDRESS },
    ],
    peers: [
      { kind: "name-server", host: "ns", port: NAME_SERVER_PORT },
      { kind: "alice", host: "alice", port: 1000, reply: ALICE_REPLY },
    ],
    learnerHost: "learner",
  };
  return {
    topology,
    files: {},
    view: {
      learner: { host: "learner", address: LEARNER_ADDRESS },
      hosts: [
        { name: "learner", address: LEARNER_ADDRESS, role: "your computer" },
        { name: "ns", address: NAME_SERVER_ADDRESS, role: "name server" },
        // Alice's address is what the lesson makes you find out.
        { name: "alice", role: "Alice, your friend" },
      ],
      nameServer: { address: NAME_SERVER_ADDRESS, port: NAME_SERVER_PORT },
    },
  };
});
