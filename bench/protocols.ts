// How fast packets are decoded and built, on one core. The simulated network decodes every
// packet with the fast path; the packet browser and grader use the full field dissection.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { dissectPacket } from "../src/protocols/dissect.ts";
import { decodeIpv4, encodeIpv4 } from "../src/protocols/ipv4.ts";
import { decodeUdp, encodeUdp } from "../src/protocols/udp.ts";
import { encodeDns } from "../src/protocols/dns.ts";
import { encodeNameAnswer, encodeNameRequest } from "../src/protocols/name-lookup.ts";

const addresses = { source: "10.0.0.2", destination: "10.0.1.7" };
// A typical 60-byte packet: 20 bytes of IPv4, 8 of UDP, 32 of text.
const payload = new TextEncoder().encode("Hello Alice, this is the learner");
const packet = encodeIpv4(
  addresses,
  encodeUdp({ sourcePort: 49152, destinationPort: 1000 }, payload, addresses),
);
const dnsPacket = encodeIpv4(
  { source: "10.0.0.53", destination: "10.0.0.2" },
  encodeUdp(
    { sourcePort: 53, destinationPort: 40000 },
    encodeDns({
      id: 1,
      flags: { qr: true, opcode: 0, aa: true, tc: false, rd: true, ra: true, z: 0, rcode: 0 },
      questions: [{ name: "alice.example", type: 1, class: 1 }],
      answers: [
        {
          name: "alice.example",
          type: 1,
          class: 1,
          ttl: 60,
          data: { kind: "A", address: "10.0.1.7" },
        },
      ],
      authorities: [],
      additionals: [],
    }),
    { source: "10.0.0.53", destination: "10.0.0.2" },
  ),
);

// The lesson's own traffic besides Alice: a name lookup to port 53 and its answer.
const learner = { source: "10.0.0.2", destination: "10.0.0.53" };
const server = { source: "10.0.0.53", destination: "10.0.0.2" };
const nameRequest = encodeIpv4(
  learner,
  encodeUdp(
    { sourcePort: 49152, destinationPort: 53 },
    encodeNameRequest("alice.example"),
    learner,
  ),
);
const nameAnswer = encodeIpv4(
  server,
  encodeUdp({ sourcePort: 53, destinationPort: 49152 }, encodeNameAnswer("10.0.1.7"), server),
);

let sink = 0;

/** Runs `fn` for about `ms` milliseconds and returns calls per second. */
function rate(fn: () => void, ms: number): number {
  let calls = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 1000; i++) fn();
    calls += 1000;
    now = process.hrtime.bigint();
  }
  return calls / (Number(now - start) / 1e9);
}

/**
 * The machine is shared and noisy, so the operations are measured in interleaved rounds and
 * each one's median is kept: a slow patch of time then hurts all of them alike.
 */
function measure(operations: [string, () => void][], rounds = 7, ms = 250): number[] {
  for (const [, fn] of operations) for (let i = 0; i < 20_000; i++) fn(); // warm-up
  const samples = operations.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    operations.forEach(([, fn], i) => samples[i]!.push(rate(fn, ms)));
  }
  return samples.map((s) => s.sort((a, b) => a - b)[s.length >> 1]!);
}

/** A garbage collector to call: --expose-gc when given, else switched on at run time. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** Heap bytes that `count` kept results of `make` hold on to, per result. */
function retainedBytes(make: () => unknown, count = 10_000): number {
  const gc = collector();
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept: unknown[] = new Array<unknown>(count);
  for (let i = 0; i < count; i++) kept[i] = make();
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  sink += kept.length;
  return (after - before) / count;
}

export async function bench(): Promise<void> {
  const fast = `decodeIpv4 + decodeUdp, same packet (fast path, checksums)`;
  const operations: [string, () => void][] = [
    [
      `dissectPacket, IPv4+UDP ${packet.length}-byte packet (all fields)`,
      () => {
        sink += dissectPacket(packet).layers.length;
      },
    ],
    [
      fast,
      () => {
        const ip = decodeIpv4(packet);
        sink += decodeUdp(ip.payload, ip.header!).payload.length;
      },
    ],
    [
      `dissectPacket, name lookup request ${nameRequest.length} bytes`,
      () => {
        sink += dissectPacket(nameRequest).layers.length;
      },
    ],
    [
      `dissectPacket, name lookup answer ${nameAnswer.length} bytes`,
      () => {
        sink += dissectPacket(nameAnswer).layers.length;
      },
    ],
    [
      `dissectPacket, DNS answer ${dnsPacket.length} bytes`,
      () => {
        sink += dissectPacket(dnsPacket).layers.length;
      },
    ],
    [
      `encodeUdp + encodeIpv4, same packet`,
      () => {
        sink += encodeIpv4(
          addresses,
          encodeUdp({ sourcePort: 49152, destinationPort: 1000 }, payload, addresses),
        ).length;
      },
    ],
  ];
  const rates = measure(operations);
  const baseline = rates[1]!;
  const width = Math.max(...operations.map(([name]) => name.length));
  console.log(
    `${"operation (median of 7 interleaved rounds)".padEnd(width)}  ${"per second".padStart(12)}  ${"µs each".padStart(8)}  ${"÷ fast path".padStart(11)}`,
  );
  operations.forEach(([name], i) => {
    const perSecond = rates[i]!;
    console.log(
      `${name.padEnd(width)}  ${Math.round(perSecond).toLocaleString("en-US").padStart(12)}  ${(1e6 / perSecond).toFixed(3).padStart(8)}  ${(perSecond / baseline).toFixed(2).padStart(11)}`,
    );
  });
  // netsim keeps one dissection per packet event, so their size is what a long run holds.
  const udpBytes = retainedBytes(() => dissectPacket(packet));
  const dnsBytes = retainedBytes(() => dissectPacket(dnsPacket));
  console.log(
    `heap retained per kept dissection (10,000 kept): IPv4+UDP ${Math.round(udpBytes)} bytes, DNS answer ${Math.round(dnsBytes)} bytes`,
  );
  if (sink === -1) console.log(sink); // keeps the results alive
}

// Allow `node --import tsx bench/protocols.ts` on its own.
if (import.meta.url === `file://${process.argv[1]}`) await bench();
