// Runner throughput and latency: a warm worker pool against a process-per-run baseline, on the
// same short program (ask the name server for Alice, send to her, read her reply).
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defaultTopology } from "../src/netsim/index.ts";
import { createRunner } from "../src/runner/index.ts";
import type { RunRequest } from "../src/runner/types.ts";

const PROGRAM = `import { UdpSocket, Ipv4Addr, decodeText } from "net";
const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice", "10.0.0.53:53");
const [answer] = socket.recvFrom();
socket.sendTo("hello", new Ipv4Addr(...answer) + ":1000");
const [reply] = socket.recvFrom();
console.log(decodeText(reply));
`;

const POOL_SECONDS = Number(process.env.BENCH_RUNNER_SECONDS ?? 5);
const BASELINE_RUNS = Number(process.env.BENCH_RUNNER_BASELINE_RUNS ?? 12);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SINGLE_RUN = fileURLToPath(new URL("./runner-single-run.ts", import.meta.url));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function summary(latencies: number[], seconds: number) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    runs: latencies.length,
    perSecond: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

/** Keeps `concurrency` runs in flight until `deadline` (or `count` runs), timing each. */
async function drive(
  runOne: () => Promise<string>,
  concurrency: number,
  stop: { deadline?: number; count?: number },
) {
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  let started = 0;
  const t0 = performance.now();
  const more = () =>
    stop.count !== undefined ? started < stop.count : performance.now() < stop.deadline!;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (more()) {
        started++;
        const begin = performance.now();
        const outcome = await runOne();
        latencies.push(performance.now() - begin);
        if (outcome !== "ok") failures.set(outcome, (failures.get(outcome) ?? 0) + 1);
      }
    }),
  );
  return { ...summary(latencies, (performance.now() - t0) / 1000), failures };
}

function spawnOnce(): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--no-node-snapshot", "--import", "tsx", SINGLE_RUN], {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", () => {
      try {
        resolve((JSON.parse(out) as { outcome: string }).outcome);
      } catch {
        resolve("crashed");
      }
    });
    child.stdin.end(PROGRAM);
  });
}

/** CPU time (ms) used so far by this process's direct children (the pool's workers), from /proc. */
function childrenCpuMs(): number {
  let ticks = 0;
  try {
    const tasks = readdirSync(`/proc/${process.pid}/task`);
    const pids = tasks.flatMap((task) =>
      readFileSync(`/proc/${process.pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean),
    );
    for (const pid of pids) {
      // utime and stime are fields 14 and 15, after the parenthesised command name.
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    }
  } catch {
    return NaN; // not Linux, or a worker just exited
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

const format = (n: number) => n.toFixed(n < 10 ? 2 : 0);

export async function bench(): Promise<void> {
  const workers = Number(process.env.BENCH_RUNNER_WORKERS ?? availableParallelism());
  const concurrency = workers * 2;
  const runner = createRunner({ workers });
  const request: RunRequest = {
    code: PROGRAM,
    language: "javascript",
    topology: defaultTopology(),
    seed: 1,
  };
  const runOne = async () => (await runner.run(request)).outcome;
  // Warm: every worker started, its bundle built, its isolate created and its code cached.
  await drive(runOne, concurrency, { count: concurrency * 20 });
  const parentCpu = process.cpuUsage();
  const workersCpu = childrenCpuMs();
  const pool = await drive(runOne, concurrency, {
    deadline: performance.now() + POOL_SECONDS * 1000,
  });
  const parent = process.cpuUsage(parentCpu);
  const workerMsPerRun = (childrenCpuMs() - workersCpu) / pool.runs;
  const parentMsPerRun = (parent.user + parent.system) / 1000 / pool.runs;
  const rss = runner.workerRss();
  await runner.close();

  const baseline = await drive(spawnOnce, concurrency, { count: BASELINE_RUNS });

  console.log(`workers ${workers}, concurrency ${concurrency}`);
  console.log("mode              runs   runs/s     p50 ms   p95 ms   p99 ms");
  for (const [name, r] of [
    ["warm pool", pool],
    ["process per run", baseline],
  ] as const) {
    console.log(
      `${name.padEnd(16)} ${String(r.runs).padStart(5)} ${format(r.perSecond).padStart(8)} ${format(r.p50).padStart(10)} ${format(r.p95).padStart(8)} ${format(r.p99).padStart(8)}`,
    );
    if (r.failures.size > 0) console.log(`  not ok: ${JSON.stringify([...r.failures])}`);
  }
  console.log(`pool / baseline: ${(pool.perSecond / baseline.perSecond).toFixed(1)}×`);
  console.log(
    `API-process CPU per pooled run (IPC, queue, this harness): ${parentMsPerRun.toFixed(3)} ms`,
  );
  console.log(`worker CPU per pooled run (all threads): ${workerMsPerRun.toFixed(3)} ms`);
  console.log(`worker RSS: ${rss.map((b) => `${(b / 2 ** 20).toFixed(0)} MB`).join(", ")}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
