// Every session gets its own Alice, web server, page, letter and captured segment, all derived
// from the seed: numbers copied from someone else's run are wrong in yours.
import {
  defineTopology,
  seededAddress,
  seededBytes,
  seededUint32,
} from "../../src/grading/kit/index.ts";
import type { TopologySpec } from "../../src/netsim/types.ts";
import { encodeTcp } from "../../src/protocols/tcp.ts";
import {
  ALICE_NAME,
  ALICE_PORT,
  LEARNER_ADDRESS,
  LETTER_FILE,
  LOSS,
  NAME_SERVER_ADDRESS,
  SEGMENT_FILE,
  WWW_NAME,
} from "./network.ts";

const WORDS = [
  "harbour",
  "lantern",
  "meadow",
  "comet",
  "pebble",
  "willow",
  "ember",
  "falcon",
  "quartz",
  "tundra",
  "saffron",
  "nimbus",
];

/** The word the page of this session hides: the final test's answer. */
export function secretWord(seed: number): string {
  const n = seededUint32(seed, "reliable-conversation/word");
  return `${WORDS[n % WORDS.length]}-${(n >>> 8) % 1000}`;
}

export function pageOf(seed: number): string {
  return (
    "<!doctype html>\n<html><head><title>packetlab</title></head>\n<body>\n" +
    "<h1>Welcome to www.packetlab.test</h1>\n" +
    `<p>This page came to you over TCP. Today's word is <b>${secretWord(seed)}</b>.</p>\n` +
    "</body></html>\n"
  );
}

/** The captured segment of exercise 1: Alice's SYN-ACK, with this session's numbers. */
export function capturedSegment(seed: number, alice: string) {
  const n = (salt: string) => seededUint32(seed, `reliable-conversation/segment/${salt}`);
  const fields = {
    sourcePort: ALICE_PORT,
    destinationPort: 49152 + (n("port") % 16384),
    sequenceNumber: n("seq"),
    acknowledgmentNumber: n("ack"),
    window: 1024 + (n("window") % 64000),
    mss: 536 + (n("mss") % 925),
  };
  const bytes = encodeTcp(
    {
      sourcePort: fields.sourcePort,
      destinationPort: fields.destinationPort,
      sequenceNumber: fields.sequenceNumber,
      acknowledgmentNumber: fields.acknowledgmentNumber,
      syn: true,
      ack: true,
      window: fields.window,
      options: [{ kind: "mss", value: fields.mss }],
    },
    new Uint8Array(0),
    { source: alice, destination: LEARNER_ADDRESS },
  );
  return { fields, bytes };
}

/** A letter for Alice, long enough to need a few dozen segments. */
export function letterOf(seed: number): Uint8Array {
  const noise = seededBytes(seed, "reliable-conversation/letter", 300);
  const lines: string[] = ["Dear Alice,", ""];
  for (let i = 0; i < 300; i++) {
    lines.push(`Line ${i + 1}: the ${WORDS[noise[i]! % WORDS.length]} says ${noise[i]! * 7 + i}.`);
  }
  lines.push("", "Yours, the packet lab");
  return new TextEncoder().encode(lines.join("\n") + "\n");
}

export default defineTopology((seed, exerciseId) => {
  const taken = [LEARNER_ADDRESS, NAME_SERVER_ADDRESS];
  const alice = seededAddress(seed, "reliable-conversation/alice", taken);
  const www = seededAddress(seed, "reliable-conversation/www", [...taken, alice]);
  const lossy = exerciseId === "lossy-link";
  const topology: TopologySpec = {
    hosts: [
      { name: "learner", address: LEARNER_ADDRESS },
      { name: "ns", address: NAME_SERVER_ADDRESS },
      { name: "alice", address: alice },
      { name: "www", address: www },
    ],
    links: [
      { a: "learner", b: "ns", latencyUs: 2000 },
      { a: "learner", b: "alice", latencyUs: 5000, ...(lossy ? { loss: LOSS } : {}) },
      { a: "learner", b: "www", latencyUs: 8000 },
    ],
    records: [
      { name: ALICE_NAME, type: "A", value: alice },
      { name: WWW_NAME, type: "A", value: www },
      { name: "ns.packetlab.test", type: "A", value: NAME_SERVER_ADDRESS },
    ],
    peers: [
      { kind: "name-server", host: "ns", port: 53 },
      { kind: "alice", host: "alice", port: ALICE_PORT, tcpPort: ALICE_PORT },
      { kind: "web-server", host: "www", port: 80, page: pageOf(seed) },
    ],
    learnerHost: "learner",
  };
  const files: Record<string, Uint8Array> = {};
  if (exerciseId === "read-a-tcp-header") files[SEGMENT_FILE] = capturedSegment(seed, alice).bytes;
  if (lossy) files[LETTER_FILE] = letterOf(seed);
  return {
    topology,
    files,
    view: {
      learner: { host: "learner", address: LEARNER_ADDRESS },
      hosts: [
        { name: "learner", address: LEARNER_ADDRESS, role: "your computer" },
        { name: "ns", address: NAME_SERVER_ADDRESS, role: "name server" },
        { name: "alice", role: `Alice, listening on TCP port ${ALICE_PORT}` },
        { name: "www", role: "a web server on TCP port 80" },
      ],
      nameServer: { address: NAME_SERVER_ADDRESS, port: 53 },
    },
  };
});
