// Every session gets its own Alice and its own photo, both derived from the session seed.
import { defineTopology, seededAddress } from "../../src/grading/kit/index.ts";
import type { TopologySpec } from "../../src/netsim/types.ts";
import {
  ALICE_NAME,
  ALICE_PORT,
  LEARNER_ADDRESS,
  LOSS,
  MTU,
  NAME_SERVER_ADDRESS,
} from "./network.ts";
import { makePhoto, PHOTO_NAME } from "./photo.ts";

/** How Alice takes the file in each exercise (see PeerSpec "file-receiver"). */
const MODES: Record<string, "whole" | "chunks" | "either"> = {
  "let-ip-fragment": "whole",
  "split-it-yourself": "chunks",
  "lost-fragments": "either",
};

export default defineTopology((seed, exerciseId) => {
  const alice = seededAddress(seed, "fragmentation/alice", [LEARNER_ADDRESS, NAME_SERVER_ADDRESS]);
  const photo = makePhoto(seed);
  const lossy = exerciseId === "lost-fragments";
  const topology: TopologySpec = {
    hosts: [
      { name: "learner", address: LEARNER_ADDRESS },
      { name: "ns", address: NAME_SERVER_ADDRESS },
      { name: "alice", address: alice },
    ],
    links: [
      { a: "learner", b: "ns", latencyUs: 2000 },
      { a: "learner", b: "alice", latencyUs: 5000, mtu: MTU, ...(lossy ? { loss: LOSS } : {}) },
    ],
    records: [{ name: ALICE_NAME, type: "A", value: alice }],
    peers: [
      { kind: "name-server", host: "ns" },
      {
        kind: "file-receiver",
        host: "alice",
        port: ALICE_PORT,
        expectedBytes: photo.length,
        mode: MODES[exerciseId] ?? "either",
      },
    ],
    learnerHost: "learner",
  };
  return {
    topology,
    files: { [PHOTO_NAME]: photo },
    view: {
      learner: { host: "learner", address: LEARNER_ADDRESS },
      hosts: [
        { name: "learner", address: LEARNER_ADDRESS, role: "your computer" },
        { name: "ns", address: NAME_SERVER_ADDRESS, role: "name server" },
        { name: "alice", role: `Alice, receiving files on port ${ALICE_PORT}` },
      ],
      nameServer: { address: NAME_SERVER_ADDRESS, port: 53 },
    },
  };
});
