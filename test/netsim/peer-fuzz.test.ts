// No peer may throw, whatever a learner sends it: a peer's exception ends the run as
// internal-error, which the learner did not cause and cannot fix. Every peer gets real requests
// mutated byte by byte, truncated and extended, random payloads, and whole IPv4 packets built
// around them (sendRaw), and must answer or stay quiet.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createNetwork, defaultTopology, type TopologySpec } from "../../src/netsim/index.ts";
import { decodeDns, encodeDns, type DnsMessage } from "../../src/protocols/dns.ts";
import { encodeIpv4 } from "../../src/protocols/ipv4.ts";
import { encodeUdp } from "../../src/protocols/udp.ts";
import { bytes } from "./helpers.ts";

const NS = { address: "10.0.0.53", port: 53 };
const ALICE = { address: "10.0.0.7", port: 1000 };
const RECEIVER = { address: "10.0.0.7", port: 2000 };

function topology(): TopologySpec {
  const spec = defaultTopology("10.0.0.7");
  spec.records.push(
    { name: "www.alice", type: "CNAME", value: "alice" },
    { name: "alice", type: "TXT", value: "hello" },
    { name: "alice", type: "AAAA", value: "fd00::7" },
  );
  spec.peers.push({ kind: "file-receiver", host: "alice", port: 2000, expectedBytes: 3000 });
  return spec;
}

function dnsQuery(name: string, type: number, flags: Partial<DnsMessage["flags"]> = {}) {
  return encodeDns({
    id: 0x1234,
    flags: {
      qr: false,
      opcode: 0,
      aa: false,
      tc: false,
      rd: true,
      ra: false,
      z: 0,
      rcode: 0,
      ...flags,
    },
    questions: [{ name, type, class: 1 }],
    answers: [],
    authorities: [],
    additionals: [],
  });
}

function chunk(index: number, count: number, data: string): Uint8Array {
  const payload = new Uint8Array(4 + data.length);
  new DataView(payload.buffer).setUint16(0, index);
  new DataView(payload.buffer).setUint16(2, count);
  payload.set(bytes(data), 4);
  return payload;
}

const realRequests: { to: typeof NS; payload: Uint8Array }[] = [
  { to: NS, payload: bytes("alice") },
  { to: NS, payload: bytes("alice.packetlab.test\n") },
  { to: NS, payload: dnsQuery("alice", 1) },
  { to: NS, payload: dnsQuery("www.alice", 28) },
  { to: NS, payload: dnsQuery("alice", 16) },
  { to: NS, payload: dnsQuery("nobody.example", 255) },
  { to: NS, payload: dnsQuery("a".repeat(63) + "." + "b".repeat(63), 1) },
  { to: ALICE, payload: bytes("Hello Alice! Greetings from the packet lab.") },
  { to: ALICE, payload: new Uint8Array([0, 0xff, 0xfe, 0xd8, 0x00]) },
  { to: RECEIVER, payload: chunk(0, 2, "first half") },
  { to: RECEIVER, payload: chunk(1, 2, "second half") },
  { to: RECEIVER, payload: new Uint8Array(3000).fill(0x41) },
];

/** A real request with some of its bytes changed, cut short or extended. */
const mutated = fc
  .tuple(
    fc.constantFrom(...realRequests),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 6 }),
    fc.option(fc.nat(), { nil: undefined }),
    fc.uint8Array({ maxLength: 40 }),
  )
  .map(([request, changes, cut, tail]) => {
    const payload = Uint8Array.from(request.payload);
    for (const [at, value] of changes) if (payload.length > 0) payload[at % payload.length] = value;
    const kept = cut === undefined ? payload : payload.subarray(0, cut % (payload.length + 1));
    const extended = new Uint8Array(kept.length + tail.length);
    extended.set(kept);
    extended.set(tail, kept.length);
    return { to: request.to, payload: extended };
  });

const randomPayload = fc.record({
  to: fc.constantFrom(NS, ALICE, RECEIVER),
  payload: fc.uint8Array({ maxLength: 1472 }),
});

/** Sends the payloads in one run and lets every answer arrive; throws what a peer threw. */
function deliver(requests: { to: typeof NS; payload: Uint8Array }[]) {
  const network = createNetwork({ topology: topology(), seed: 1 });
  const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
  for (const { to, payload } of requests) socket.sendTo(payload, to);
  network.settle();
  return network;
}

describe("peers never throw", () => {
  it("on real requests, mutated", () => {
    fc.assert(
      fc.property(fc.array(mutated, { minLength: 1, maxLength: 4 }), (requests) => {
        expect(() => deliver(requests)).not.toThrow();
      }),
      { numRuns: 1500 },
    );
  });

  it("on random payloads", () => {
    fc.assert(
      fc.property(fc.array(randomPayload, { minLength: 1, maxLength: 4 }), (requests) => {
        expect(() => deliver(requests)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it("on whole IPv4 packets around mutated requests, with any header fields", () => {
    fc.assert(
      fc.property(
        mutated,
        fc.nat({ max: 65_535 }),
        fc.nat({ max: 255 }),
        fc.boolean(),
        (request, sourcePort, ttl, dontFragment) => {
          const network = createNetwork({ topology: topology(), seed: 1 });
          const udp = encodeUdp({ sourcePort, destinationPort: request.to.port }, request.payload, {
            source: "10.0.0.2",
            destination: request.to.address,
          });
          const packet = encodeIpv4(
            {
              source: "10.0.0.2",
              destination: request.to.address,
              protocol: 17,
              ttl,
              dontFragment,
            },
            udp,
          );
          expect(() => {
            network.learner.sendRaw(packet);
            network.settle();
          }).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
  });

  it("the name server answers a question whose 63-byte label holds non-printable bytes", () => {
    // Read, its name is text with "\ddd" escapes (longer than 63 characters); the answer must
    // echo the question's bytes, not the escaped text.
    const label = "\u0001" + "x".repeat(61) + "\u007f";
    const query = dnsQuery("placeholder", 1);
    const name = new Uint8Array([63, ...bytes(label), 0]);
    const payload = new Uint8Array([...query.subarray(0, 12), ...name, 0, 1, 0, 1]);
    const network = createNetwork({ topology: topology(), seed: 1 });
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    socket.sendTo(payload, NS);
    const result = socket.recvFrom(1_000_000);
    expect(result.status).toBe("received");
    if (result.status !== "received") return;
    const answer = result.datagram.payload;
    expect(decodeDns(answer).message?.flags.rcode).toBe(3); // NXDOMAIN
    expect(answer.subarray(12, 12 + name.length)).toEqual(name);
  });
});
