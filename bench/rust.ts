// Rust: compile time (cold: a new program each time; warm: the cache), the compiler's peak
// memory, and runs/s of a cached Rust module beside the same program in JavaScript, on the same
// one-worker pool in the same process. Needs the toolchain (see README, Rust).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRustCompiler } from "../src/compile/rust.ts";
import { withCompiler } from "../src/compile/compiling-runner.ts";
import { defaultTopology } from "../src/netsim/index.ts";
import { createRunner } from "../src/runner/index.ts";
import type { Language } from "../src/runner/types.ts";
import { median } from "./median.ts";

const COLD = Number(process.env.BENCH_RUST_COLD ?? 5);
const RUN_SECONDS = Number(process.env.BENCH_RUST_SECONDS ?? 4);

const RUST = (tag: number) => `use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.send_to(b"alice", "10.0.0.53:53")?;
    let mut buf = [0u8; 1500];
    socket.recv_from(&mut buf)?;
    let alice = SocketAddrV4::new(Ipv4Addr::new(buf[0], buf[1], buf[2], buf[3]), 1000);
    socket.send_to(b"hello", alice)?;
    let (n, _) = socket.recv_from(&mut buf)?;
    println!("{} {}", String::from_utf8_lossy(&buf[..n]), ${tag});
    Ok(())
}
`;
const JS = `import { UdpSocket, Ipv4Addr, decodeText } from "net";
const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice", "10.0.0.53:53");
const [answer] = socket.recvFrom();
socket.sendTo("hello", new Ipv4Addr(...answer) + ":1000");
const [reply] = socket.recvFrom();
console.log(decodeText(reply), 0);
`;

/** Peak resident memory of any rustc process while `work` runs, sampled from /proc. */
async function peakRustcRss<T>(work: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = 0;
  const sample = () => {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        if (!/^Name:\s+rustc$/m.test(status)) continue;
        const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
        peak = Math.max(peak, rss);
      } catch {
        // gone already
      }
    }
  };
  const timer = setInterval(sample, 10);
  try {
    const value = await work();
    return { value, peakMb: peak / 1024 };
  } finally {
    clearInterval(timer);
  }
}

export async function bench(): Promise<void> {
  if (!existsSync("/usr/bin/rustc") && !process.env.RUSTC) {
    console.log("no Rust toolchain: skipped");
    return;
  }
  const compiler = createRustCompiler({
    toolchain: {
      rustc: process.env.RUSTC ?? "/usr/bin/rustc",
      linker: process.env.RUST_LINKER ?? "/usr/bin/lld-14",
      target: process.env.RUST_TARGET ?? "wasm32-wasi",
      bwrap: "/usr/bin/bwrap",
      prlimit: "/usr/bin/prlimit",
    },
    limits: { cpuSeconds: 10, memoryMb: 1024, fileMb: 64, wallMs: 20_000 },
    pool: { concurrency: 1, maxQueue: 8, maxWaitMs: 60_000 },
    maxMemoryMb: 64,
    cacheMb: 64,
  });
  const facadeStart = performance.now();
  await compiler.warm();
  const facadeMs = performance.now() - facadeStart;

  const cold: number[] = [];
  const peaks: number[] = [];
  let size = 0;
  const salt = Date.now() % 100_000;
  for (let i = 0; i < COLD; i++) {
    const start = performance.now();
    const { value, peakMb } = await peakRustcRss(() => compiler.compile(RUST(salt + i)));
    cold.push(performance.now() - start);
    peaks.push(peakMb);
    if (value.ok) size = value.wasm.length;
  }
  const warm: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    await compiler.compile(RUST(salt));
    warm.push(performance.now() - start);
  }
  console.log(
    `compile: std facade once ${facadeMs.toFixed(0)} ms; cold median ${median(cold).toFixed(0)} ms (min ${Math.min(...cold).toFixed(0)}, max ${Math.max(...cold).toFixed(0)}, n=${COLD}); warm (cache) median ${median(warm).toFixed(3)} ms; module ${(size / 1024).toFixed(0)} KB`,
  );
  console.log(
    `compiler memory: peak rustc RSS median ${median(peaks).toFixed(0)} MB (max ${Math.max(...peaks).toFixed(0)} MB, sampled every 10 ms)`,
  );

  const pool = createRunner({ workers: 1 });
  const runner = withCompiler(pool, compiler);
  try {
    const runFor = async (language: Language, code: string) => {
      // Warm-up: compile (Rust), the worker's first isolate, V8's code caches.
      for (let i = 0; i < 20; i++)
        await runner.run({ code, language, topology: defaultTopology(), seed: 1 });
      const latencies: number[] = [];
      const deadline = performance.now() + RUN_SECONDS * 1000;
      while (performance.now() < deadline) {
        const start = performance.now();
        const result = await runner.run({ code, language, topology: defaultTopology(), seed: 1 });
        latencies.push(performance.now() - start);
        if (result.outcome !== "ok")
          throw new Error(`${language}: ${result.outcome} ${result.message}`);
      }
      return { perSecond: latencies.length / RUN_SECONDS, median: median(latencies) };
    };
    // Interleaved, twice, so a noisy neighbour hits both.
    const rows: string[] = [];
    for (let round = 1; round <= 2; round++) {
      const js = await runFor("javascript", JS);
      const rust = await runFor("rust", RUST(salt));
      rows.push(
        `round ${round}: JavaScript ${js.perSecond.toFixed(0)} runs/s (median ${js.median.toFixed(2)} ms), Rust (cached module) ${rust.perSecond.toFixed(0)} runs/s (median ${rust.median.toFixed(2)} ms)`,
      );
    }
    console.log(`runs, one worker, one at a time, ${RUN_SECONDS} s each:`);
    for (const row of rows) console.log(`  ${row}`);
  } finally {
    await pool.close();
    await compiler.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
