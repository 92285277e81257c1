// The simulated TCP (RFC 9293) end to end: the learner's calls against the peers, with the
// link model's loss, duplication and reordering, checked through the packet trace.
import { describe, expect, it } from "vitest";
import { decodeIpv4 } from "../../src/protocols/ipv4.ts";
import { decodeTcp, encodeTcp, TCP_FLAG, type TcpHeader } from "../../src/protocols/tcp.ts";
import { encodeIpv4, IP_PROTOCOL } from "../../src/protocols/ipv4.ts";
import { fromHex } from "../../src/protocols/hex.ts";
import type { Network, PacketEvent, TopologySpec } from "../../src/netsim/index.ts";
import { bytes, open, text } from "./helpers.ts";

const ALICE = "10.0.1.7";
const WWW = "10.0.1.80";

function topology(
  link: { loss?: number; duplicate?: number; reorder?: number } = {},
): TopologySpec {
  return {
    hosts: [
      { name: "learner", address: "10.0.0.2" },
      { name: "alice", address: ALICE },
      { name: "www", address: WWW },
    ],
    links: [
      { a: "learner", b: "alice", latencyUs: 5000, ...link },
      { a: "learner", b: "www", latencyUs: 2000 },
    ],
    records: [],
    peers: [
      { kind: "alice", host: "alice", tcpPort: 1000 },
      { kind: "web-server", host: "www", page: "<p>page 42</p>" },
    ],
    learnerHost: "learner",
  };
}

function segments(network: Network): { event: PacketEvent; tcp: TcpHeader; payload: Uint8Array }[] {
  return network.events.flatMap((event) => {
    const ip = decodeIpv4(fromHex(event.hex));
    if (ip.header?.protocol !== 6) return [];
    const decoded = decodeTcp(ip.payload);
    return decoded.header ? [{ event, tcp: decoded.header, payload: decoded.payload }] : [];
  });
}

function readAll(stream: ReturnType<Network["learner"]["connectTcp"]>): string {
  let received = "";
  for (;;) {
    const result = stream.read(65_536, null);
    if (result.status !== "data") return received;
    received += text(result.bytes);
  }
}

describe("TCP in the simulated network", () => {
  it("opens with a three-way handshake whose numbers follow RFC 9293 §3.5", () => {
    const network = open(topology());
    const stream = network.learner.connectTcp({ address: ALICE, port: 1000 }, null);
    expect(stream.state).toBe("ESTABLISHED");
    network.settle();
    const [syn, synAck, ack] = segments(network);
    expect(syn!.tcp.flags).toBe(TCP_FLAG.SYN);
    expect(syn!.tcp.options).toContainEqual({ kind: "mss", value: 1460 });
    expect(synAck!.tcp.flags).toBe(TCP_FLAG.SYN | TCP_FLAG.ACK);
    expect(synAck!.tcp.acknowledgmentNumber).toBe((syn!.tcp.sequenceNumber + 1) >>> 0);
    expect(ack!.tcp.flags).toBe(TCP_FLAG.ACK);
    expect(ack!.tcp.sequenceNumber).toBe((syn!.tcp.sequenceNumber + 1) >>> 0);
    expect(ack!.tcp.acknowledgmentNumber).toBe((synAck!.tcp.sequenceNumber + 1) >>> 0);
    // Every segment went through the dissector as TCP.
    expect(syn!.event.topProtocol).toBe("tcp");
  });

  it("carries a conversation with Alice and closes with FIN both ways", () => {
    const network = open(topology());
    const stream = network.learner.connectTcp({ address: ALICE, port: 1000 }, null);
    expect(stream.write(bytes("Hello, Alice"))).toBe(12);
    const reply = stream.read(1000, null);
    expect(reply.status === "data" && text(reply.bytes)).toBe(
      "Hi, this is Alice. I got your message: Hello, Alice",
    );
    stream.shutdown("write");
    expect(stream.read(1000, null)).toEqual({ status: "eof" });
    network.settle();
    const fins = segments(network).filter((s) => s.tcp.flags & TCP_FLAG.FIN);
    expect(fins).toHaveLength(2);
    expect(stream.state).toBe("CLOSED");
  });

  it("answers a SYN to a closed port with RST, and connect fails as refused", () => {
    const network = open(topology());
    expect(() => network.learner.connectTcp({ address: WWW, port: 81 }, null)).toThrow(
      expect.objectContaining({ code: "CONNECTION_REFUSED" }),
    );
    const [syn, rst] = segments(network);
    expect(rst!.tcp.flags).toBe(TCP_FLAG.RST | TCP_FLAG.ACK);
    expect(rst!.tcp.acknowledgmentNumber).toBe((syn!.tcp.sequenceNumber + 1) >>> 0);
    expect(syn!.event.fate).toMatchObject({ status: "dropped", reason: "port-unreachable" });
  });

  it("serves the page over HTTP/1.0 and HTTP/1.1", () => {
    const network = open(topology());
    const old = network.learner.connectTcp({ address: WWW, port: 80 }, null);
    old.write(bytes("GET / HTTP/1.0\r\n\r\n"));
    const response = readAll(old);
    expect(response).toMatch(/^HTTP\/1\.0 200 OK\r\n/);
    expect(response.endsWith("\r\n\r\n<p>page 42</p>")).toBe(true);
    const kept = network.learner.connectTcp({ address: WWW, port: 80 }, null);
    kept.write(
      bytes(
        "GET /nope HTTP/1.1\r\nHost: www\r\n\r\nGET / HTTP/1.1\r\nHost: www\r\nConnection: close\r\n\r\n",
      ),
    );
    const both = readAll(kept);
    expect(both).toMatch(/^HTTP\/1\.1 404 Not Found/);
    expect(both).toContain("HTTP/1.1 200 OK");
    const requests = (network.peerStates().www as { requests: { status: number }[] }).requests;
    expect(requests.map((r) => r.status)).toEqual([200, 404, 200]);
  });

  it("delivers every byte in order over a link that loses, duplicates and reorders", () => {
    const network = open(topology({ loss: 0.1, duplicate: 0.05, reorder: 0.2 }), { seed: 3 });
    const stream = network.learner.connectTcp({ address: ALICE, port: 1000 }, null);
    const message = "0123456789".repeat(3000);
    let sent = 0;
    const data = bytes(message);
    while (sent < data.length) sent += stream.write(data.subarray(sent));
    stream.shutdown("write");
    const echoed = readAll(stream);
    const inbox = (network.peerStates().alice as { inbox: { text: string }[] }).inbox;
    expect(inbox.map((m) => m.text).join("")).toBe(message);
    expect(echoed.length).toBeGreaterThan(message.length);
    const lost = network.events.filter(
      (e) => e.fate.status === "dropped" && e.fate.reason === "lost",
    );
    expect(lost.length).toBeGreaterThan(0);
    // Retransmissions: some sequence number went out twice from the learner.
    const seen = new Set<number>();
    let again = 0;
    for (const s of segments(network)) {
      if (s.event.from !== "learner" || s.payload.length === 0) continue;
      if (seen.has(s.tcp.sequenceNumber)) again++;
      seen.add(s.tcp.sequenceNumber);
    }
    expect(again).toBeGreaterThan(0);
  });

  it("replays identically for a seed, and differently for another", () => {
    const run = (seed: number) => {
      const network = open(topology({ loss: 0.1, reorder: 0.1 }), { seed });
      const stream = network.learner.connectTcp({ address: ALICE, port: 1000 }, null);
      stream.write(bytes("x".repeat(20_000)));
      stream.shutdown("write");
      readAll(stream);
      return network.events.map((e) => `${e.sentUs} ${e.hex} ${e.fate.status}`);
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it("stops a sender at the receiver's window until the receiver reads (flow control)", () => {
    const network = open(topology());
    const listener = network.learner.listenTcp({ address: "0.0.0.0", port: 7000 });
    const alice = network.learner.connectTcp({ address: ALICE, port: 1000 }, null);
    alice.write(bytes("y".repeat(100_000)));
    network.settle();
    // Alice echoes 100 kB+ back; the learner reads nothing, so her sender stalls at 65,535.
    const fromAlice = segments(network).filter((s) => s.event.from === "alice");
    const echoed = fromAlice.reduce((sum, s) => sum + s.payload.length, 0);
    const toAlice = segments(network).filter(
      (s) => s.event.from === "learner" && s.tcp.window === 0,
    );
    expect(toAlice.length).toBeGreaterThan(0);
    // Alice stopped at the learner's 65,535-byte receive buffer, short of all she had to say.
    expect(echoed).toBeLessThanOrEqual(65_535);
    let received = 0;
    for (;;) {
      const r = alice.read(65_536, 2_000_000);
      if (r.status !== "data") break;
      received += r.bytes.length;
      if (received >= 100_000) break;
    }
    expect(received).toBeGreaterThanOrEqual(100_000);
    listener.close();
  });

  it("lets a peer connect to the learner's listener", () => {
    const spec = topology();
    spec.peers.push({ kind: "tcp-caller", host: "alice", port: 4000, message: "ping" });
    const network = open(spec);
    const listener = network.learner.listenTcp({ address: "0.0.0.0", port: 4000 });
    const accepted = listener.accept(null);
    expect(accepted.status).toBe("accepted");
    if (accepted.status !== "accepted") return;
    const stream = accepted.stream;
    expect(stream.remote.address).toBe(ALICE);
    const got = stream.read(100, null);
    expect(got.status === "data" && text(got.bytes)).toBe("ping");
    stream.write(bytes("pong"));
    stream.close();
    network.settle();
    expect(network.peerStates()["alice:4000"]).toMatchObject({ connected: true, reply: "pong" });
  });

  it("gives up after four retransmissions, inside the run's virtual time", () => {
    const network = open(topology({ loss: 1 }));
    expect(() => network.learner.connectTcp({ address: ALICE, port: 1000 }, null)).toThrow(
      expect.objectContaining({ code: "TIMED_OUT" }),
    );
    expect(segments(network).filter((s) => s.tcp.flags === TCP_FLAG.SYN)).toHaveLength(5);
    expect(network.nowUs).toBe(31_000_000);
    expect(network.limitReached).toBeNull();
  });

  it("bounds what a flood of hand-made SYNs can hold open at a listener", () => {
    const network = open(topology());
    for (let port = 30000; port < 30040; port++) {
      const addresses = { source: "10.0.0.2", destination: ALICE };
      const syn = encodeTcp(
        { sourcePort: port, destinationPort: 1000, syn: true },
        new Uint8Array(0),
        addresses,
      );
      network.learner.sendRaw(encodeIpv4({ ...addresses, protocol: IP_PROTOCOL.TCP }, syn));
    }
    network.settle();
    const full = network.events.filter(
      (e) => e.fate.status === "dropped" && e.fate.reason === "receive-queue-full",
    );
    expect(full).toHaveLength(40 - 16);
    expect(network.limitReached).toBeNull();
  });

  it("counts streams and listeners against the socket limit", () => {
    const network = open(topology(), { limits: { maxSockets: 3 } });
    network.learner.listenTcp({ address: "0.0.0.0", port: 7000 });
    network.learner.connectTcp({ address: ALICE, port: 1000 }, null);
    network.learner.connectTcp({ address: ALICE, port: 1000 }, null);
    expect(() => network.learner.connectTcp({ address: ALICE, port: 1000 }, null)).toThrow(
      expect.objectContaining({ code: "SOCKET_LIMIT" }),
    );
  });
});
