// No TCP peer may throw, whatever a learner sends it (peer-fuzz.test.ts does the same for the UDP
// peers): a peer's exception ends the run as internal-error, which the learner did not cause.
// Alice's TCP port and the web server get raw segments with any flags, numbers, options and
// payload, in sequences that walk their state machines, and HTTP requests mutated byte by byte
// over real connections; each run must settle without an exception.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TopologySpec } from "../../src/netsim/index.ts";
import { encodeIpv4, IP_PROTOCOL } from "../../src/protocols/ipv4.ts";
import { encodeTcp } from "../../src/protocols/tcp.ts";
import { bytes, open } from "./helpers.ts";

const LEARNER = "10.0.0.2";
const ALICE = { address: "10.0.1.7", port: 1000 };
const WWW = { address: "10.0.1.80", port: 80 };

function topology(): TopologySpec {
  return {
    hosts: [
      { name: "learner", address: LEARNER },
      { name: "alice", address: ALICE.address },
      { name: "www", address: WWW.address },
    ],
    links: [
      { a: "learner", b: "alice", latencyUs: 5000 },
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

const segment = fc.record({
  to: fc.constantFrom(ALICE, WWW),
  // A few source ports, so that later segments land on the connections earlier ones opened.
  sourcePort: fc.constantFrom(40_000, 40_001, 40_002),
  sequenceNumber: fc.oneof(fc.constant(1000), fc.constant(1001), fc.nat({ max: 0xffffffff })),
  acknowledgmentNumber: fc.nat({ max: 0xffffffff }),
  flags: fc.nat({ max: 0x1ff }),
  dataOffset: fc.option(fc.integer({ min: 0, max: 15 }), { nil: undefined }),
  window: fc.nat({ max: 65_535 }),
  badChecksum: fc.boolean(),
  options: fc.uint8Array({ maxLength: 40 }),
  payload: fc.uint8Array({ maxLength: 300 }),
});

type Segment = typeof segment extends fc.Arbitrary<infer T> ? T : never;

function rawPacket(s: Segment): Uint8Array {
  const bit = (mask: number) => (s.flags & mask) !== 0;
  const addresses = { source: LEARNER, destination: s.to.address };
  const tcp = encodeTcp(
    {
      sourcePort: s.sourcePort,
      destinationPort: s.to.port,
      sequenceNumber: s.sequenceNumber,
      acknowledgmentNumber: s.acknowledgmentNumber,
      ...(s.dataOffset === undefined ? {} : { dataOffset: s.dataOffset }),
      ae: bit(0x100),
      cwr: bit(0x80),
      ece: bit(0x40),
      urg: bit(0x20),
      ack: bit(0x10),
      psh: bit(0x08),
      rst: bit(0x04),
      syn: bit(0x02),
      fin: bit(0x01),
      window: s.window,
      ...(s.badChecksum ? { checksum: 0xbeef } : {}),
      options: s.options,
    },
    s.payload,
    addresses,
  );
  return encodeIpv4({ ...addresses, protocol: IP_PROTOCOL.TCP, ttl: 64 }, tcp);
}

const REQUESTS = ["GET / HTTP/1.1\r\nHost: www\r\n\r\n", "GET / HTTP/1.0\r\n\r\n", "Hello, Alice"];

const mutatedRequest = fc
  .tuple(
    fc.constantFrom(ALICE, WWW),
    fc.constantFrom(...REQUESTS),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 6 }),
    fc.uint8Array({ maxLength: 2000 }),
    fc.boolean(),
  )
  .map(([to, request, changes, tail, shutdown]) => {
    const head = bytes(request);
    for (const [at, value] of changes) head[at % head.length] = value;
    const payload = new Uint8Array(head.length + tail.length);
    payload.set(head);
    payload.set(tail, head.length);
    return { to, payload, shutdown };
  });

describe("TCP peers never throw", () => {
  it("drive the peers for real: a SYN is answered, an unchanged GET gets the page", () => {
    const network = open(topology());
    const syn = {
      to: ALICE,
      sourcePort: 40_000 as const,
      sequenceNumber: 1000,
      acknowledgmentNumber: 0,
    };
    network.learner.sendRaw(
      rawPacket({
        ...syn,
        flags: 0x02,
        dataOffset: undefined,
        window: 65_535,
        badChecksum: false,
        options: new Uint8Array(),
        payload: new Uint8Array(),
      }),
    );
    network.settle();
    expect(network.events.some((event) => event.summary.includes("[SYN, ACK]"))).toBe(true);

    const stream = network.learner.connectTcp(WWW, null);
    stream.write(bytes(REQUESTS[0]!));
    const answer = stream.read(65_536, 50_000);
    expect(answer.status === "data" && new TextDecoder().decode(answer.bytes)).toMatch(
      /^HTTP\/1\.1 200/,
    );
  });

  it("on sequences of raw segments with any flags, numbers, options and payload", () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (segments) => {
        const network = open(topology());
        expect(() => {
          for (const s of segments) network.learner.sendRaw(rawPacket(s));
          network.settle();
        }).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });

  it("on requests mutated byte by byte, over real connections", () => {
    fc.assert(
      fc.property(fc.array(mutatedRequest, { minLength: 1, maxLength: 3 }), (requests) => {
        const network = open(topology());
        expect(() => {
          for (const { to, payload, shutdown } of requests) {
            const stream = network.learner.connectTcp(to, null);
            stream.write(payload);
            if (shutdown) stream.shutdown("write");
            // Whatever the peer answers (a page, an error page, a reset, nothing): read it all.
            while (stream.read(65_536, 50_000).status === "data");
          }
          network.settle();
        }).not.toThrow();
      }),
      { numRuns: 150 },
    );
  });
});
