// The service as it is deployed, measured from outside: `packetlab serve` started from a checkout
// in its own process, a load generator in another, 50 learners submitting an 80/20 mix of right
// and wrong JavaScript and TypeScript answers to the Alice exercise, on PostgreSQL and on the
// embedded database. Prints throughput and p50/p99 at each connection count, server CPU per
// graded submission summed over every process (API, sandbox workers, esbuild, PostgreSQL
// backends, read from /proc), start-up time to a ready /readyz and `packetlab run`'s time.
//
// BENCH_BASELINE_DIR=/path/to/other/checkout measures that checkout too, in the same run, and
// prints the ratios: on a shared machine absolute figures drift, ratios and CPU per submission
// much less. BENCH_NODE and BENCH_BASELINE_NODE name the Node.js binary each checkout runs on
// (default: the one running the bench), to compare runtimes the same way; a checkout's
// node_modules must be installed for its Node. Run alone: node --import tsx bench/service.ts
import { spawn, type ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { aliceAnswers, EXERCISE_DIR, RUN_ALICE_SOLUTION } from "./alice-answers.ts";
import { learners, load, OPERATOR, postgresDatabase } from "./http.ts";
import { burst, type BurstResult } from "./service-burst.ts";
import {
  cpuBetween,
  peakRss,
  reapedCpuMs,
  sampleCpu,
  type CpuRole,
  type CpuSample,
} from "./proc-cpu.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SECONDS = Number(process.env.BENCH_SERVICE_SECONDS ?? 5);
const LEVELS = (process.env.BENCH_SERVICE_CONNECTIONS ?? "8,16,32").split(",").map(Number);
/** Load before the first measured level, at the middle level's connections. */
const WARM_SECONDS = Number(process.env.BENCH_SERVICE_WARM_SECONDS ?? 30);
const DATABASES = (process.env.BENCH_SERVICE_DATABASES ?? "postgres,embedded").split(",");
const LEARNERS = 50;
const BURST = Number(process.env.BENCH_SERVICE_BURST ?? 500);
// Share of submissions that are a program not seen before; the rest resubmit a learner's text.
const EDITED_SHARE = Number(process.env.BENCH_SERVICE_EDITED ?? 0.5);
const PG_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgresql://postgres@127.0.0.1:5432/test";
const PROFILE_DIR = process.env.BENCH_SERVICE_PROFILE_DIR;
// Extra environment for the measured service, as JSON: BENCH_SERVICE_ENV='{"SHARED_STATE":"memory"}'
// compares a setting's cost on the same commit.
const SERVICE_ENV = JSON.parse(process.env.BENCH_SERVICE_ENV ?? "{}") as Record<string, string>;
const PROFILE_PRELOAD = fileURLToPath(new URL("./cpu-profile-preload.mjs", import.meta.url));

interface Checkout {
  label: string;
  dir: string;
  /** The Node.js binary its processes run on. */
  node: string;
}

const checkouts: Checkout[] = [
  ...(process.env.BENCH_BASELINE_DIR
    ? [
        {
          label: "baseline",
          dir: process.env.BENCH_BASELINE_DIR,
          node: process.env.BENCH_BASELINE_NODE ?? process.execPath,
        },
      ]
    : []),
  { label: "this", dir: ROOT, node: process.env.BENCH_NODE ?? process.execPath },
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Service {
  child: ChildProcess;
  base: string;
  readyMs: number;
  /** CPU the service's processes had used when it became ready, ms. */
  readyCpuMs: number;
  /** The same, by process: the API, its sandbox workers, esbuild. */
  readyCpu: Record<CpuRole, number>;
  output: () => string;
}

/**
 * The environment a checkout's `npm start` gives `packetlab serve`: the assignments its start
 * script makes before the command (MALLOC_MMAP_THRESHOLD_=65536 …), so each checkout is measured
 * as it is deployed, a baseline from before a setting without it.
 */
function startScriptEnv(dir: string): Record<string, string> {
  const { scripts } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    scripts?: { start?: string };
  };
  const assignments = /^((?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*)node /.exec(scripts?.start ?? "")?.[1];
  return Object.fromEntries(
    (assignments ?? "")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((assignment) => [assignment.split("=")[0]!, assignment.split("=").slice(1).join("=")]),
  );
}

export async function startService(
  dir: string,
  env: Record<string, string>,
  node = process.execPath,
): Promise<Service> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(node, ["bin/packetlab.js", "serve"], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? "",
      ...startScriptEnv(dir),
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      OPERATOR_TOKEN: OPERATOR,
      SUBMISSION_RATE_LIMIT: "0",
      // Every simulated learner joins from 127.0.0.1, 500 of them into one class for the burst.
      JOIN_LIMIT_PER_ADDRESS: "0",
      JOIN_LIMIT_PER_CLASS: "0",
      // BENCH_SERVICE_PROFILE_DIR: a V8 CPU profile of every node process of the service (the
      // API and each worker) over each measured load, written there (cpu-profile-preload.mjs).
      ...(PROFILE_DIR
        ? { NODE_OPTIONS: `--import ${PROFILE_PRELOAD}`, BENCH_SERVICE_PROFILE_DIR: PROFILE_DIR }
        : {}),
      ...SERVICE_ENV,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + String(chunk)).slice(-4000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${dir}: serve exited:\n${output}`);
    if (performance.now() - started > 60_000) {
      child.kill("SIGKILL");
      throw new Error(`${dir}: not ready after 60 s:\n${output}`);
    }
    const ready = await fetch(`${base}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const readyMs = performance.now() - started;
  const cpu = cpuBetween({ processes: new Map() }, sampleCpu(child.pid!));
  return { child, base, readyMs, readyCpuMs: totalCpu(cpu), readyCpu: cpu, output: () => output };
}

export async function stopService(service: Service): Promise<void> {
  if (service.child.exitCode !== null) return;
  const exited = new Promise((resolve) => service.child.once("exit", resolve));
  service.child.kill("SIGTERM");
  const timer = setTimeout(() => service.child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function postgresBackends(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const name = new URL(url).pathname.slice(1);
    const { rows } = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = $1",
      [name],
    );
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

interface Measured {
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  notOk: number;
  errors: number;
  cpu: Record<CpuRole, number>;
}

/** The warm-up, then each level: what was stored in all (`stored`) and each level's figures. */
async function loadService(
  service: Service,
  databaseUrl: string | undefined,
): Promise<{ stored: number; rows: Measured[] }> {
  const cast = await learners(service.base, LEARNERS);
  const bodies = aliceAnswers().map((answer) => ({ ...answer, exerciseId: "message-to-alice" }));
  // Each learner goes through the ten answers, starting at a different one; a comment makes each
  // learner's text their own, as in a real class.
  const targets = bodies.flatMap((_, round) =>
    cast.map((learner, i) => {
      const answer = bodies[(i + round) % bodies.length]!;
      return {
        path: `/v1/sessions/${learner.sessionId}/submissions`,
        headers: { "content-type": "application/json", authorization: `Bearer ${learner.token}` },
        body: JSON.stringify({ ...answer, code: `// learner ${i}\n${answer.code}` }),
      };
    }),
  );
  const spec = {
    url: service.base,
    method: "POST" as const,
    targets,
    editedShare: EDITED_SHARE,
  };
  // Warm the workers, the JIT and the caches before measuring. A worker's JIT goes on compiling
  // the runner and the network's code for its first few thousand runs (about 0.9 s of TurboFan in
  // each worker over its first 1,000, bench/worker-run.ts with --trace-opt): 200 submissions left
  // that in the first level's figures, which then read 10-15 % above the later levels'.
  const warm = await load(
    { ...spec, duration: WARM_SECONDS },
    LEVELS[Math.floor(LEVELS.length / 2)]!,
  );
  const results: Measured[] = [];
  for (const connections of LEVELS) {
    const backends = databaseUrl ? await postgresBackends(databaseUrl) : [];
    const before = sampleCpu(service.child.pid!, backends);
    if (PROFILE_DIR) signalNodeProcesses(before);
    const result = await load({ ...spec, duration: SECONDS }, connections);
    const afterBackends = databaseUrl ? await postgresBackends(databaseUrl) : [];
    const after = sampleCpu(service.child.pid!, afterBackends);
    if (PROFILE_DIR) signalNodeProcesses(before);
    results.push({
      connections,
      rps: result.requestsPerSecond,
      p50: result.p50,
      p99: result.p99,
      ok: result.ok,
      notOk: result.notOk,
      errors: result.errors,
      cpu: cpuBetween(before, after),
    });
  }
  return { stored: results.reduce((sum, row) => sum + row.ok, warm.ok), rows: results };
}

/** SIGUSR2 to the service's node processes: starts, then stops, their profilers. */
function signalNodeProcesses(sample: CpuSample): void {
  for (const [pid, { role }] of sample.processes) {
    if (role === "api" || role === "workers") process.kill(pid, "SIGUSR2");
  }
}

function totalCpu(cpu: Record<CpuRole, number>): number {
  return cpu.api + cpu.workers + cpu.esbuild + cpu.postgres;
}

function printLoad(label: string, rows: Measured[]): void {
  for (const row of rows) {
    const per = (ms: number) => (row.ok > 0 ? (ms / row.ok).toFixed(2) : "-");
    console.log(
      `  ${label.padEnd(9)} ${String(row.connections).padStart(3)} conn ${row.rps.toFixed(0).padStart(5)}/s  p50 ${String(row.p50).padStart(4)} ms  p99 ${String(row.p99).padStart(5)} ms  ` +
        `2xx ${row.ok} other ${row.notOk + row.errors}  CPU ms/submission ${per(totalCpu(row.cpu)).padStart(6)} ` +
        `(API ${per(row.cpu.api)}, workers ${per(row.cpu.workers)}, esbuild ${per(row.cpu.esbuild)}, PostgreSQL ${per(row.cpu.postgres)})`,
    );
  }
}

/** The quicker of two runs: wall ms, and CPU ms of the command and its children. */
function cliRun(checkout: Checkout): { cliRun: number; cliRunCpu: number } {
  const first = timeCli(checkout);
  const second = timeCli(checkout);
  return first.cliRun < second.cliRun ? first : second;
}

function timeCli(checkout: Checkout): { cliRun: number; cliRunCpu: number } {
  const cpuBefore = reapedCpuMs();
  const started = performance.now();
  runCli(checkout);
  return { cliRun: performance.now() - started, cliRunCpu: reapedCpuMs() - cpuBefore };
}

function runCli({ dir, node }: Checkout): void {
  execFileSync(node, ["bin/packetlab.js", ...RUN_ALICE_SOLUTION], {
    cwd: dir,
    stdio: "ignore",
  });
}

function diskBytes(dir: string): number {
  return Number(execFileSync("du", ["-sb", dir], { encoding: "utf8" }).split("\t")[0]);
}

interface CheckoutFigures {
  startNew: number;
  startExisting: number;
  startPostgres: number;
  /** CPU ms by then (every process of the service): noise moves it far less than wall time. */
  startNewCpu: number;
  startExistingCpu: number;
  cliRunCpu: number;
  cliRun: number;
  postgres: Measured[];
  burst?: BurstResult;
  embedded: Measured[];
  embeddedRssMb: number;
  embeddedDiskPerSubmission: number;
}

async function measure(checkout: Checkout): Promise<CheckoutFigures> {
  // A checkout with a build step is measured as `npm ci` leaves it: built from its sources now.
  if (existsSync(join(checkout.dir, "scripts/build.mjs"))) {
    execFileSync(checkout.node, ["scripts/build.mjs"], { cwd: checkout.dir, stdio: "ignore" });
  }
  const figures: CheckoutFigures = {
    startNew: NaN,
    startExisting: NaN,
    startPostgres: NaN,
    startNewCpu: NaN,
    startExistingCpu: NaN,
    ...cliRun(checkout),
    postgres: [],
    embedded: [],
    embeddedRssMb: NaN,
    embeddedDiskPerSubmission: NaN,
  };
  if (DATABASES.includes("postgres")) {
    const scratch = await postgresDatabase();
    if (!scratch) console.log(`  PostgreSQL skipped: ${PG_URL} is not reachable`);
    else {
      const service = await startService(
        checkout.dir,
        { DATABASE_URL: scratch.url },
        checkout.node,
      );
      try {
        figures.startPostgres = service.readyMs;
        figures.postgres = (await loadService(service, scratch.url)).rows;
        if (BURST > 0) {
          const code = readFileSync(join(ROOT, EXERCISE_DIR, "solution.ts"), "utf8");
          figures.burst = await burst(service.base, BURST, code);
        }
      } finally {
        await stopService(service);
        await scratch.drop();
      }
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), "packetlab-bench-"));
  try {
    const fresh = await startService(checkout.dir, { DATA_DIR: dataDir }, checkout.node);
    figures.startNew = fresh.readyMs;
    figures.startNewCpu = fresh.readyCpuMs;
    await stopService(fresh);
    const service = await startService(checkout.dir, { DATA_DIR: dataDir }, checkout.node);
    figures.startExisting = service.readyMs;
    figures.startExistingCpu = service.readyCpuMs;
    if (DATABASES.includes("embedded")) {
      const diskBefore = diskBytes(dataDir);
      let stored = 0;
      try {
        const loaded = await loadService(service, undefined);
        figures.embedded = loaded.rows;
        stored = loaded.stored;
        figures.embeddedRssMb = peakRss(service.child.pid!) / 2 ** 20;
      } finally {
        await stopService(service);
      }
      figures.embeddedDiskPerSubmission = (diskBytes(dataDir) - diskBefore) / stored;
    } else await stopService(service);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}

export async function bench(): Promise<void> {
  console.log(
    `packetlab serve in its own process, load generator in another: ${LEARNERS} learners, 80/20 right/wrong, ` +
      `JS+TS Alice answers (${(EDITED_SHARE * 100).toFixed(0)}% edited, the rest resubmitted), ${SECONDS} s per level after ${WARM_SECONDS} s of warm-up`,
  );
  const all = new Map<string, CheckoutFigures>();
  for (const checkout of checkouts) {
    console.log(`\n${checkout.label}: ${checkout.dir}`);
    const figures = await measure(checkout);
    all.set(checkout.label, figures);
    console.log(
      `  start-up to ready /readyz (wall ms / CPU ms): embedded new data dir ${figures.startNew.toFixed(0)} / ${figures.startNewCpu.toFixed(0)}, ` +
        `existing ${figures.startExisting.toFixed(0)} / ${figures.startExistingCpu.toFixed(0)}, PostgreSQL ${figures.startPostgres.toFixed(0)} ms;  ` +
        `packetlab run (Alice solution) ${figures.cliRun.toFixed(0)} / ${figures.cliRunCpu.toFixed(0)}`,
    );
    if (figures.postgres.length > 0) printLoad("PostgreSQL", figures.postgres);
    if (figures.burst) {
      const { streams, finished, refused, lastMs, p50Ms, maxPosition } = figures.burst;
      console.log(
        `  burst: ${streams} stream runs sent at once: ${finished} finished, refused ${JSON.stringify(refused)}, ` +
          `p50 ${p50Ms.toFixed(0)} ms, last answer after ${lastMs.toFixed(0)} ms, longest queue position told ${maxPosition}`,
      );
    }
    if (figures.embedded.length > 0) {
      printLoad("embedded", figures.embedded);
      console.log(
        `  embedded: API peak RSS ${figures.embeddedRssMb.toFixed(0)} MB, ${(figures.embeddedDiskPerSubmission / 1024).toFixed(1)} KB on disk per submission`,
      );
    }
  }
  const baseline = all.get("baseline");
  const current = all.get("this");
  if (!baseline || !current) return;
  console.log("\nthis ÷ baseline (same run):");
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "-");
  console.log(
    `  wall (CPU): start-up new ${ratio(current.startNew, baseline.startNew)} (${ratio(current.startNewCpu, baseline.startNewCpu)}), ` +
      `existing ${ratio(current.startExisting, baseline.startExisting)} (${ratio(current.startExistingCpu, baseline.startExistingCpu)}), ` +
      `packetlab run ${ratio(current.cliRun, baseline.cliRun)} (${ratio(current.cliRunCpu, baseline.cliRunCpu)})`,
  );
  for (const db of ["postgres", "embedded"] as const) {
    current[db].forEach((row, i) => {
      const old = baseline[db][i];
      if (!old || old.ok === 0 || row.ok === 0) return;
      console.log(
        `  ${db.padEnd(9)} ${String(row.connections).padStart(3)} conn: throughput ×${ratio(row.rps, old.rps)}, ` +
          `CPU per submission ×${ratio(totalCpu(row.cpu) / row.ok, totalCpu(old.cpu) / old.ok)}, p50 ×${ratio(row.p50, old.p50)}`,
      );
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
