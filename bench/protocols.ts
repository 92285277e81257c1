// How fast packets are decoded and built, on one core. The simulated network decodes every
// packet with the fast path; the packet browser and grader use the full field dissection.
import { dissectPacket } from "../src/protocols/dissect.ts";
import { decodeIpv4, encodeIpv4 } from "../src/protocols/ipv4.ts";
import { decodeUdp, encodeUdp } from "../src/protocols/udp.ts";
import { encodeDns } from "../src/protocols/dns.ts";

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

let sink = 0;

/** Runs `fn` for about `ms` milliseconds (after a warm-up) and returns calls per second. */
function rate(fn: () => void, ms = 1000): number {
  for (let i = 0; i < 20_000; i++) fn();
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

export async function bench(): Promise<void> {
  const rows: [string, number][] = [
    [
      `dissectPacket, IPv4+UDP ${packet.length}-byte packet (all fields)`,
      rate(() => {
        sink += dissectPacket(packet).layers.length;
      }),
    ],
    [
      `decodeIpv4 + decodeUdp, same packet (fast path, checksums)`,
      rate(() => {
        const ip = decodeIpv4(packet);
        sink += decodeUdp(ip.payload, ip.header!).payload.length;
      }),
    ],
    [
      `dissectPacket, DNS answer ${dnsPacket.length} bytes`,
      rate(() => {
        sink += dissectPacket(dnsPacket).layers.length;
      }),
    ],
    [
      `encodeUdp + encodeIpv4, same packet`,
      rate(() => {
        sink += encodeIpv4(
          addresses,
          encodeUdp({ sourcePort: 49152, destinationPort: 1000 }, payload, addresses),
        ).length;
      }),
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(
    `${"operation".padEnd(width)}  ${"per second".padStart(12)}  ${"µs each".padStart(8)}`,
  );
  for (const [name, perSecond] of rows) {
    console.log(
      `${name.padEnd(width)}  ${Math.round(perSecond).toLocaleString("en-US").padStart(12)}  ${(1e6 / perSecond).toFixed(3).padStart(8)}`,
    );
  }
  if (sink === -1) console.log(sink); // keeps the results alive
}

// Allow `npx tsx bench/protocols.ts` on its own.
if (import.meta.url === `file://${process.argv[1]}`) await bench();
