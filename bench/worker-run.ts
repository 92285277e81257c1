// CPU of one sandbox worker process per run, the figure the service bench calls "workers":
// a real worker (dist/worker.js as `packetlab serve` starts it, or src/runner/worker.ts through
// tsx with BENCH_WORKER_SOURCE=1) driven over its IPC channel by this process, one run at a
// time, with the service bench's mix (the Alice exercise, 8 right and 2 wrong answers of 10,
// JavaScript and TypeScript, 50 learners' seeds). It prints the worker's CPU per run (all its
// threads, from /proc) and, with BENCH_BASELINE_DIR, the same for another checkout, measured in
// rounds interleaved with this one, so both see the same load on a shared machine.
//
// Beside that, how much of a run is inside the isolate (the run's own CPU time as the worker
// reports it: context, bootstrap, compiling and evaluating the program, without the host calls
// it makes) and, in rounds of their own, the same for a program that does nothing (`export {};`
// on the same network): what every run costs before the learner's first line, a fresh context
// and its bootstrap among it.
//
//   node --import tsx bench/worker-run.ts          (npm run build first: it measures dist/)
//
// BENCH_WORKER_RUNS (runs per round, 400), BENCH_WORKER_ROUNDS (5), BENCH_WORKER_WARM_RUNS (3000),
// BENCH_WORKER_EDITED (share of runs that send a program not seen before, 0.5 as the service bench),
// BENCH_WORKER_RECYCLE (runs an isolate serves before it is replaced, 100 as the pool).
// BENCH_NODE and BENCH_BASELINE_NODE name the Node.js binary each checkout's worker runs on
// (default: this one), its node_modules installed for that Node. BENCH_WORKER_FLAGS="--flag …" adds node/V8 flags to this checkout's workers, to try one before
// pool.ts passes it. BENCH_WORKER_CPU_PROF=DIR writes each worker's V8 CPU profile (main thread
// only: the split by thread printed here says how much that leaves out). BENCH_WORKER_CALLGRIND=DIR
// runs each worker under valgrind's callgrind, collecting from after the warm-up to the end of
// the last round (instructions; but an idle isolate's housekeeping, slowed down as much, gets it
// replaced now and then, which moves the count by more than most changes do).
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { aliceAnswers } from "./alice-answers.ts";
import { median } from "./median.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(process.env.BENCH_WORKER_RUNS ?? 400);
const ROUNDS = Number(process.env.BENCH_WORKER_ROUNDS ?? 5);
// A worker's JIT compiles the runner's and the network's code over its first few thousand runs
// (about 0.9 s of TurboFan in its first 1,000, by --trace-opt); measured after 200, a checkout with
// more code (TCP, the program wrapping) read 10-30 % dearer than bff2165, and level with it
// after 4,000.
const WARM_RUNS = Number(process.env.BENCH_WORKER_WARM_RUNS ?? 3000);
const CPU_PROF = process.env.BENCH_WORKER_CPU_PROF;
const SOURCE = process.env.BENCH_WORKER_SOURCE === "1";
/** Runs an isolate serves before it is replaced (the pool's default, 100). */
const RECYCLE = Number(process.env.BENCH_WORKER_RECYCLE ?? 100);
const CALLGRIND = process.env.BENCH_WORKER_CALLGRIND;
const LEARNERS = 50;
// Share of runs whose program is new text (as bench/service.ts: a comment line added), so that
// it is transpiled, wrapped and compiled afresh instead of found in the worker's caches.
const EDITED_SHARE = Number(process.env.BENCH_WORKER_EDITED ?? 0.5);
let edits = 0;

interface Topology {
  topology: unknown;
  files: Record<string, Uint8Array>;
}

/** What this bench reads of a worker's result. */
interface RunSummary {
  outcome: string;
  /** CPU time of the run inside the isolate (ms). */
  cpuMs: number;
}

/** A program that does nothing: what a run costs before the learner's code does anything. */
const EMPTY_PROGRAM = "export {};\n";

interface Subject {
  label: string;
  dir: string;
  child: ChildProcess;
  pid: number;
  nextId: number;
  waiting: Map<number, (message: { result: RunSummary }) => void>;
  cpuMs: number[];
  wallMs: number[];
  /** Mean CPU per run inside the isolate (the result's cpuMs), per round. */
  isolateMs: number[];
  /** The same two figures for the empty program's rounds. */
  emptyCpuMs: number[];
  emptyIsolateMs: number[];
  outcomes: Map<string, number>;
  /** Mean CPU per run (ms): main thread, other threads. */
  threads: Map<string, number>;
}

async function start(label: string, dir: string, node = process.execPath): Promise<Subject> {
  const entry = SOURCE ? join(dir, "src/runner/worker.ts") : join(dir, "dist/worker.js");
  const networkModule = SOURCE
    ? new URL(`file://${join(dir, "src/netsim/index.ts")}`).href
    : new URL(`file://${join(dir, "dist/netsim.js")}`).href;
  // The checkout's own flags for its workers (pool.ts; older checkouts did not export them).
  const pool = (await import(join(dir, "src/runner/pool.ts"))) as { WORKER_NODE_FLAGS?: string[] };
  const nodeFlags = [...(pool.WORKER_NODE_FLAGS ?? ["--no-node-snapshot"])];
  if (SOURCE) nodeFlags.push("--import", "tsx");
  // BENCH_WORKER_CPU_PROF=DIR: V8's CPU profile of each worker, written when it exits.
  if (label === "this" && process.env.BENCH_WORKER_FLAGS) {
    nodeFlags.push(...process.env.BENCH_WORKER_FLAGS.split(" "));
  }
  if (CPU_PROF) nodeFlags.push("--cpu-prof", `--cpu-prof-dir=${resolve(CPU_PROF, label)}`);
  // Under valgrind a run is ~100× slower: the 50 ms synchronous attempt would time out and
  // every run would take the asynchronous path, which a real worker rarely does.
  const settings = {
    networkModule,
    recycleAfterRuns: RECYCLE,
    ...(CALLGRIND ? { fastPathMs: 60_000 } : {}),
  };
  const valgrind = CALLGRIND
    ? [
        "--tool=callgrind",
        "--instr-atstart=no",
        `--callgrind-out-file=${resolve(CALLGRIND, `${label}.%p.callgrind`)}`,
        node,
      ]
    : [];
  const child = fork(entry, [JSON.stringify(settings)], {
    cwd: dir,
    execPath: CALLGRIND ? "valgrind" : node,
    execArgv: [...valgrind, ...nodeFlags],
    serialization: "advanced",
    stdio: ["pipe", "ignore", "inherit", "ipc"],
  });
  const subject: Subject = {
    label,
    dir,
    child,
    pid: child.pid!,
    nextId: 1,
    waiting: new Map(),
    cpuMs: [],
    wallMs: [],
    isolateMs: [],
    emptyCpuMs: [],
    emptyIsolateMs: [],
    outcomes: new Map(),
    threads: new Map(),
  };
  await new Promise<void>((ready) => {
    child.on("message", (message: { type: string; id?: number; result?: RunSummary }) => {
      if (message.type === "ready") ready();
      if (message.type === "result") {
        const resolveRun = subject.waiting.get(message.id!);
        subject.waiting.delete(message.id!);
        resolveRun?.(message as { result: RunSummary });
      }
    });
  });
  return subject;
}

/** utime + stime of every thread of the process, ms (USER_HZ 100). */
function processCpuMs(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU (ms) of the process's main thread and of all its other threads. */
function threadCpuMs(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${task}/stat`, "utf8");
      // Node names none of its threads: the main thread (the one V8 profiles show) is the pid.
      const name = task === String(pid) ? "main thread" : "other threads";
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // the thread ended
    }
  }
  return byName;
}

async function runMany(
  subject: Subject,
  count: number,
  requests: { code: string; language: string; topology: unknown; files: unknown; seed: number }[],
  limits: unknown,
): Promise<RunSummary[]> {
  const results: RunSummary[] = [];
  for (let i = 0; i < count; i++) {
    const sent = requests[i % requests.length]!;
    // Deterministic (not Math.random): both checkouts get the same sequence.
    const edited = EDITED_SHARE > 0 && (i * EDITED_SHARE) % 1 < EDITED_SHARE;
    const request = edited
      ? { ...sent, code: `// edit ${process.pid}.${edits++}\n${sent.code}` }
      : sent;
    const id = subject.nextId++;
    const done = new Promise<{ result: RunSummary }>((resolveRun) =>
      subject.waiting.set(id, resolveRun),
    );
    subject.child.send({ type: "run", id, request, limits, stream: false });
    results.push((await done).result);
  }
  return results;
}

/** The subjects in this round's order: who goes first alternates, so the machine's drift weighs on both. */
function inTurn(subjects: Subject[], round: number): Subject[] {
  return round % 2 === 0 ? subjects : [...subjects].reverse();
}

function meanIsolateMs(results: RunSummary[]): number {
  return results.reduce((sum, { cpuMs }) => sum + cpuMs, 0) / results.length;
}

export async function bench(): Promise<void> {
  // Topologies and limits from this checkout, as the service's grader makes them.
  const { default: topology } = (await import(
    join(ROOT, "lessons/exchanging-messages/topology.ts")
  )) as { default: (seed: number, exercise: string) => Topology };
  const { DEFAULT_LIMITS } = await import("../src/runner/limits.ts");
  const mix = aliceAnswers();
  const requests = Array.from({ length: LEARNERS * mix.length }, (_, i) => {
    const seed = 1 + (i % LEARNERS);
    const instance = topology(seed, "message-to-alice");
    return { ...mix[i % mix.length]!, topology: instance.topology, files: instance.files, seed };
  });

  const empty = requests.map((request) => ({
    ...request,
    code: EMPTY_PROGRAM,
    language: "javascript",
  }));

  const subjects: Subject[] = [];
  if (process.env.BENCH_BASELINE_DIR) {
    const dir = resolve(process.env.BENCH_BASELINE_DIR);
    subjects.push(await start("baseline", dir, process.env.BENCH_BASELINE_NODE));
  }
  subjects.push(await start("this", ROOT, process.env.BENCH_NODE));
  for (const subject of subjects) {
    await runMany(subject, WARM_RUNS, requests, DEFAULT_LIMITS);
    if (CALLGRIND) execFileSync("callgrind_control", ["-i", "on", String(subject.pid)]);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const subject of inTurn(subjects, round)) {
      const cpu = processCpuMs(subject.pid);
      const threads = threadCpuMs(subject.pid);
      const started = performance.now();
      const results = await runMany(subject, RUNS, requests, DEFAULT_LIMITS);
      subject.wallMs.push((performance.now() - started) / RUNS);
      subject.cpuMs.push((processCpuMs(subject.pid) - cpu) / RUNS);
      subject.isolateMs.push(meanIsolateMs(results));
      for (const [name, ms] of threadCpuMs(subject.pid)) {
        const used = (ms - (threads.get(name) ?? 0)) / RUNS;
        subject.threads.set(name, (subject.threads.get(name) ?? 0) + used / ROUNDS);
      }
      for (const { outcome } of results) {
        subject.outcomes.set(outcome, (subject.outcomes.get(outcome) ?? 0) + 1);
      }
    }
  }
  // The empty program, in rounds of their own after the mix (its runs are all alike: a round
  // of half the size is enough). Every one must end "ok", or its figures mean nothing.
  const emptyRuns = Math.max(1, RUNS >> 1);
  for (let round = 0; round < ROUNDS; round++) {
    for (const subject of inTurn(subjects, round)) {
      const cpu = processCpuMs(subject.pid);
      const results = await runMany(subject, emptyRuns, empty, DEFAULT_LIMITS);
      subject.emptyCpuMs.push((processCpuMs(subject.pid) - cpu) / emptyRuns);
      subject.emptyIsolateMs.push(meanIsolateMs(results));
      const failed = results.find(({ outcome }) => outcome !== "ok");
      if (failed) throw new Error(`the empty program ended ${failed.outcome} in ${subject.label}`);
    }
  }
  const fmt = (values: number[]) => values.map((v) => v.toFixed(3)).join(" ");
  console.log(`${SOURCE ? "source (tsx)" : "dist/"} workers, ${ROUNDS} rounds × ${RUNS} runs`);
  for (const subject of subjects) {
    console.log(
      `${subject.label.padEnd(9)} worker CPU ms/run: median ${median(subject.cpuMs).toFixed(3)} (rounds: ${fmt(subject.cpuMs)}); wall ms/run median ${median(subject.wallMs).toFixed(3)}; outcomes ${JSON.stringify([...subject.outcomes])}`,
    );
  }
  for (const subject of subjects) {
    console.log(
      `${subject.label.padEnd(9)} inside the isolate, median ms/run: ${median(subject.isolateMs).toFixed(3)} of the mix; empty program ${median(subject.emptyIsolateMs).toFixed(3)} of ${median(subject.emptyCpuMs).toFixed(3)} worker CPU (rounds: ${fmt(subject.emptyCpuMs)})`,
    );
  }
  for (const subject of subjects) {
    const threads = [...subject.threads].filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]);
    console.log(
      `${subject.label.padEnd(9)} by thread, mean ms/run: ${threads.map(([name, ms]) => `${name} ${ms.toFixed(3)}`).join(", ")}`,
    );
  }
  if (subjects.length === 2) {
    const ratios = subjects[1]!.cpuMs.map((cpu, i) => cpu / subjects[0]!.cpuMs[i]!);
    console.log(`this / baseline CPU per round: ${fmt(ratios)}`);
  }
  for (const subject of subjects) {
    if (CALLGRIND) execFileSync("callgrind_control", ["-d", String(subject.pid)]);
    subject.child.disconnect();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
