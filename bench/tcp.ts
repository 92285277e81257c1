// TCP's figures: segments the simulated network carries per second, bulk transfer in virtual
// MB per CPU second, the dissector's TCP rate beside UDP's, and lesson 3's runs per second
// through the real runner.
import { performance } from "node:perf_hooks";
import { loadLessons } from "../src/grading/index.ts";
import { createNetwork, type TopologySpec } from "../src/netsim/index.ts";
import { dissectPacket } from "../src/protocols/dissect.ts";
import { encodeIpv4, IP_PROTOCOL } from "../src/protocols/ipv4.ts";
import { encodeTcp } from "../src/protocols/tcp.ts";
import { createTcpConversations } from "../src/protocols/tcp-conversations.ts";
import { encodeUdp } from "../src/protocols/udp.ts";
import { createRunner } from "../src/runner/index.ts";

const ALICE = "10.0.1.7";

function topology(loss = 0): TopologySpec {
  return {
    hosts: [
      { name: "learner", address: "10.0.0.2" },
      { name: "alice", address: ALICE },
    ],
    links: [{ a: "learner", b: "alice", latencyUs: 5000, loss }],
    records: [],
    peers: [{ kind: "alice", host: "alice", tcpPort: 1000 }],
    learnerHost: "learner",
  };
}

const UNLIMITED = { maxPackets: 1e9, maxBytes: 1e12, maxVirtualTimeUs: 1e15 };

/** Request/answer exchanges over one connection: segments (events) per second. */
function exchanges(count: number) {
  let events = 0;
  const network = createNetwork({
    topology: topology(),
    seed: 1,
    limits: UNLIMITED,
    onPacket: () => events++,
  });
  const stream = network.learner.connectTcp({ address: ALICE, port: 1000 }, null);
  const message = new TextEncoder().encode("Hello Alice, this is a benchmark message");
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    stream.write(message);
    if (stream.read(65_536, null).status !== "data") throw new Error("no answer");
  }
  const seconds = (performance.now() - started) / 1000;
  return { segments: events, seconds };
}

/** One-way bulk transfer to Alice (who echoes it): virtual MB delivered per CPU second. */
function bulk(megabytes: number, loss: number) {
  const network = createNetwork({ topology: topology(loss), seed: 3, limits: UNLIMITED });
  const stream = network.learner.connectTcp({ address: ALICE, port: 1000 }, null);
  const chunk = new Uint8Array(64 * 1024).fill(65);
  const total = megabytes * 1024 * 1024;
  const cpu = process.cpuUsage();
  const startUs = network.nowUs;
  let sent = 0;
  let echoed = 0;
  while (sent < total) {
    sent += stream.write(chunk.subarray(0, Math.min(chunk.length, total - sent)));
    // Alice echoes everything: read it so her window (and so ours) stays open.
    for (;;) {
      const r = stream.read(65_536, 1);
      if (r.status !== "data") break;
      echoed += r.bytes.length;
    }
  }
  stream.shutdown("write");
  for (;;) {
    const r = stream.read(65_536, null);
    if (r.status !== "data") break;
    echoed += r.bytes.length;
  }
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const virtualSeconds = (network.nowUs - startUs) / 1e6;
  return { cpuSeconds, virtualSeconds, echoed, events: network.events.length };
}

function dissectRate(packet: Uint8Array, tracked: boolean, iterations: number): number {
  const conversations = createTcpConversations();
  for (let i = 0; i < 2000; i++) dissectPacket(packet, tracked ? conversations : undefined);
  const started = performance.now();
  for (let i = 0; i < iterations; i++) dissectPacket(packet, tracked ? conversations : undefined);
  return iterations / ((performance.now() - started) / 1000);
}

export async function bench(): Promise<void> {
  // Dissection first, on a quiet heap: the runs below leave much garbage behind.
  const addresses = { source: "10.0.0.2", destination: ALICE };
  const text = new TextEncoder().encode("Hello Alice, this is a benchmark msg");
  const udp = encodeIpv4(
    { ...addresses, protocol: IP_PROTOCOL.UDP },
    encodeUdp({ sourcePort: 49152, destinationPort: 1000 }, text, addresses),
  );
  const tcp = encodeIpv4(
    { ...addresses, protocol: IP_PROTOCOL.TCP },
    encodeTcp(
      {
        sourcePort: 49152,
        destinationPort: 1000,
        sequenceNumber: 1001,
        acknowledgmentNumber: 4001,
        ack: true,
        psh: true,
        options: [{ kind: "nop" }, { kind: "nop" }, { kind: "timestamps", value: 1, echoReply: 2 }],
      },
      text,
      addresses,
    ),
  );
  console.log("\ndissectPacket: packets per second");
  console.table([
    {
      packet: `IPv4+UDP, ${udp.length} bytes`,
      "packets/s": Math.round(dissectRate(udp, false, 100_000)),
    },
    {
      packet: `IPv4+TCP with timestamps, ${tcp.length} bytes (conversation tracked)`,
      "packets/s": Math.round(dissectRate(tcp, true, 100_000)),
    },
  ]);

  exchanges(200); // warm-up
  const x = exchanges(3000);
  console.log("\nTCP: request/answer over one connection (3,000 exchanges, event log on)");
  console.table([
    {
      segments: x.segments,
      "wall ms": Math.round(x.seconds * 1000),
      "segments/s": Math.round(x.segments / x.seconds),
    },
  ]);

  const rows = [0, 0.02].map((loss) => {
    const r = bulk(8, loss);
    return {
      "link loss": loss,
      "MB sent": 8,
      "virtual s": r.virtualSeconds.toFixed(2),
      "CPU s": r.cpuSeconds.toFixed(2),
      "virtual MB/s": (8 / r.virtualSeconds).toFixed(1),
      "MB per CPU s": (8 / r.cpuSeconds).toFixed(1),
      segments: r.events,
    };
  });
  console.log("\nTCP bulk transfer to Alice (who echoes it back), 8 MB");
  console.table(rows);

  const catalogue = await loadLessons("lessons");
  const lesson = catalogue.lessons().find((l) => l.detail.id === "reliable-conversation");
  if (!lesson) return;
  const runner = createRunner({ workers: 1 });
  try {
    const results = [];
    for (const exercise of lesson.exercises) {
      const id = exercise.detail.id;
      const runs = 20;
      const started = performance.now();
      for (let seed = 1; seed <= runs; seed++) {
        const instance = lesson.topology(seed, id);
        const run = await runner.run({
          code: exercise.solution.code,
          language: exercise.solution.language,
          topology: instance.topology,
          seed,
          files: instance.files,
        });
        if (run.outcome !== "ok") throw new Error(`${id}: ${run.outcome} ${run.message}`);
      }
      const seconds = (performance.now() - started) / 1000;
      results.push({ exercise: id, runs, "runs/s": (runs / seconds).toFixed(1) });
    }
    console.log("\nLesson 3 reference solutions through the runner (1 worker, 20 seeds each)");
    console.table(results);
  } finally {
    await runner.close();
  }
}
