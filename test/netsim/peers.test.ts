import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { defaultTopology, type TopologySpec } from "../../src/netsim/index.ts";
import { bytes, open, text } from "./helpers.ts";

const ALICE = { address: "10.0.0.7", port: 1000 };
const RECEIVER = { address: "10.0.0.7", port: 4000 };

function chunk(index: number, count: number, data: Uint8Array): Uint8Array {
  const payload = new Uint8Array(4 + data.length);
  payload.set([index >> 8, index & 0xff, count >> 8, count & 0xff]);
  payload.set(data, 4);
  return payload;
}

function receiverTopology(
  mode: "whole" | "chunks" | "either",
  expectedBytes?: number,
): TopologySpec {
  const topology = defaultTopology();
  topology.peers.push({
    kind: "file-receiver",
    host: "alice",
    port: 4000,
    mode,
    ...(expectedBytes === undefined ? {} : { expectedBytes }),
  });
  return topology;
}

describe("alice", () => {
  it("keeps each message with its sender and time, and answers with her reply", () => {
    const network = open(defaultTopology());
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 7000 });
    socket.sendTo(bytes("Hello Alice"), ALICE);
    const reply = socket.recvFrom(null);
    expect(reply.status === "received" && text(reply.datagram.payload)).toBe(
      "Hi, this is Alice. I got your message: Hello Alice",
    );
    const states = network.peerStates();
    expect(Object.keys(states)).toEqual(["ns", "alice"]);
    expect((states.alice as { inbox: unknown[] }).inbox).toEqual([
      {
        atUs: 1000,
        protocol: "udp",
        from: { address: "10.0.0.2", port: 7000 },
        fromText: "10.0.0.2:7000",
        length: 11,
        text: "Hello Alice",
        hex: "48656c6c6f20416c696365",
      },
    ]);
  });

  it("uses the topology's reply text, keeping $-patterns in the message literal", () => {
    const topology = defaultTopology();
    topology.peers[1] = { kind: "alice", host: "alice", reply: "got <{message}>" };
    const network = open(topology);
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    socket.sendTo(bytes("$& $1"), ALICE);
    const reply = socket.recvFrom(null);
    expect(reply.status === "received" && text(reply.datagram.payload)).toBe("got <$& $1>");
  });
});

describe("file receiver, chunk mode", () => {
  it("notes duplicates, out-of-order arrivals and missing chunks, then assembles the file", () => {
    const network = open(receiverTopology("chunks"));
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    const parts = [bytes("alpha-"), bytes("beta-"), bytes("gamma")];
    const replies: string[] = [];
    for (const index of [0, 2, 2]) {
      socket.sendTo(chunk(index, 3, parts[index]!), RECEIVER);
      const reply = socket.recvFrom(null);
      if (reply.status === "received") replies.push(text(reply.datagram.payload));
    }
    type State = {
      chunks: { index: number; duplicate: boolean; outOfOrder: boolean }[];
      missing: number[];
      complete: boolean;
      sha256: string | null;
    };
    const partial = network.peerStates()["alice:4000"] as State;
    expect(partial).toMatchObject({ missing: [1], complete: false, sha256: null });

    socket.sendTo(chunk(1, 3, parts[1]!), RECEIVER);
    const last = socket.recvFrom(null);
    const state = network.peerStates()["alice:4000"] as State;
    const file = bytes("alpha-beta-gamma");
    const digest = createHash("sha256").update(file).digest("hex");
    expect(state.chunks.map((c) => [c.index, c.duplicate, c.outOfOrder])).toEqual([
      [0, false, false],
      [2, false, false],
      [2, true, false],
      [1, false, true],
    ]);
    expect(state).toMatchObject({
      missing: [],
      complete: true,
      assembledBytes: file.length,
      sha256: digest,
    });
    expect(replies).toEqual(["chunk 0/3 received", "chunk 2/3 received", "chunk 2/3 received"]);
    expect(last.status === "received" && text(last.datagram.payload)).toBe(
      `complete: 16 bytes, sha256 ${digest}`,
    );
  });

  it("tells whole files from chunks by the expected size in 'either' mode", () => {
    const network = open(receiverTopology("either", 8));
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    // These 8 bytes would parse as chunk 0 of 1, but their length is the expected size.
    socket.sendTo(Uint8Array.of(0, 0, 0, 1, 9, 9, 9, 9), RECEIVER);
    network.settle();
    const state = network.peerStates()["alice:4000"] as {
      wholeDatagrams: unknown[];
      chunks: unknown[];
      complete: boolean;
    };
    expect(state.wholeDatagrams).toHaveLength(1);
    expect(state.chunks).toEqual([]);
    expect(state.complete).toBe(true);
  });
});
