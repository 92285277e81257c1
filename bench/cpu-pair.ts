// CPU per graded submission, summed over every process it costs (the API, its sandbox workers,
// their esbuild services, the PostgreSQL backends), this checkout against another, measured in
// turns: both services run side by side on PostgreSQL (a database each), and rounds of the same
// load go to one, then the other, so that whatever else the machine does weighs on both alike.
// The load has a fixed rate, so both batch the same number of requests into a turn of the event
// loop. `bench -- service` measures one checkout after the other, and its ratios follow the
// machine's load between them; these are the ones to quote. Not part of `npm run bench`:
//   npm run build && BENCH_BASELINE_DIR=../base node --import tsx bench/cpu-pair.ts
// BENCH_PAIR_ROUNDS (6), BENCH_PAIR_SUBMISSIONS per round (600), BENCH_PAIR_CONNECTIONS (16),
// BENCH_PAIR_RATE (requests per second, 100), BENCH_PAIR_WARM (submissions at full speed before
// the first round, 4000: a sandbox worker's JIT goes on compiling for its first few thousand
// runs, see bench/worker-run.ts), BENCH_PAIR_ENV (JSON: more environment for both),
// BENCH_PAIR_OTHERS (label=dir,…: more checkouts measured in the same turns, e.g. main before a
// change; BENCH_PAIR_ENV_<label>, JSON, adds environment for that one). BENCH_NODE and
// BENCH_BASELINE_NODE name the Node.js binary this checkout and the baseline run on (default:
// this one), to compare runtimes; each checkout's node_modules installed for its Node.
// BENCH_PAIR_DATABASE=embedded runs each on the embedded database (a new data directory each)
// instead, and prints each API's RSS as the rounds end and its peak since start (VmHWM).
// BENCH_SERVICE_PROFILE_DIR=<dir> profiles the last round of each (cpu-profile-preload.mjs);
// BENCH_PAIR_PERF=<dir> records it with `perf record -e cpu-clock` instead, which samples CPU
// time only (V8's profiler samples wall time, and on a busy machine a process waiting for a
// core is billed to whatever it was doing); start both with
// BENCH_PAIR_ENV='{"NODE_OPTIONS":"--perf-basic-prof"}' so that perf can name JavaScript.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { aliceAnswers } from "./alice-answers.ts";
import { learners, load } from "./http.ts";
import { cpuBetween, currentRss, peakRss, sampleCpu, type CpuRole } from "./proc-cpu.ts";
import { postgresBackends, startService, stopService } from "./service.ts";
import { median } from "./median.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BASELINE = process.env.BENCH_BASELINE_DIR;
const ROUNDS = Number(process.env.BENCH_PAIR_ROUNDS ?? 6);
const SUBMISSIONS = Number(process.env.BENCH_PAIR_SUBMISSIONS ?? 600);
const CONNECTIONS = Number(process.env.BENCH_PAIR_CONNECTIONS ?? 16);
const RATE = Number(process.env.BENCH_PAIR_RATE ?? 100);
const WARM = Number(process.env.BENCH_PAIR_WARM ?? 4000);
const ROLES: CpuRole[] = ["api", "workers", "esbuild", "postgres"];
const ENV = JSON.parse(process.env.BENCH_PAIR_ENV ?? "{}") as Record<string, string>;
const PROFILE = process.env.BENCH_SERVICE_PROFILE_DIR !== undefined;
const PERF_DIR = process.env.BENCH_PAIR_PERF;
const EMBEDDED = process.env.BENCH_PAIR_DATABASE === "embedded";
const PG_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgresql://postgres@127.0.0.1:5432/test";

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Where a side keeps its data: a PostgreSQL database of its own, or a new data directory. */
async function storage(label: string): Promise<{
  env: Record<string, string>;
  backends: () => Promise<number[]>;
  drop: () => Promise<void>;
}> {
  if (EMBEDDED) {
    const dataDir = mkdtempSync(join(tmpdir(), `packetlab-pair-${label}-`));
    return {
      env: { DATA_DIR: dataDir },
      backends: async () => [],
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `packetlab_pair_${label}_${process.pid}`;
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    backends: () => postgresBackends(url.toString()),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function prepare(label: string, dir: string, node?: string) {
  const { env, backends, drop } = await storage(label);
  const own = JSON.parse(process.env[`BENCH_PAIR_ENV_${label}`] ?? "{}") as Record<string, string>;
  const service = await startService(dir, { ...ENV, ...own, ...env }, node);
  const cast = await learners(service.base, 50);
  const bodies = aliceAnswers().map((answer) => ({ ...answer, exerciseId: "message-to-alice" }));
  const targets = bodies.flatMap((_, round) =>
    cast.map((learner, i) => ({
      path: `/v1/sessions/${learner.sessionId}/submissions`,
      headers: { "content-type": "application/json", authorization: `Bearer ${learner.token}` },
      body: JSON.stringify({
        ...bodies[(i + round) % bodies.length]!,
        code: `// learner ${i}\n${bodies[(i + round) % bodies.length]!.code}`,
      }),
    })),
  );
  const spec = { url: service.base, method: "POST" as const, targets, editedShare: 0.5 };
  await load({ ...spec, amount: WARM }, CONNECTIONS);
  return {
    label,
    service,
    backends,
    spec,
    /** Each round's CPU ms per submission, by process role and in all. */
    perSubmission: [] as (Record<CpuRole, number> & { total: number })[],
    /** The API's RSS as each round's load ended, bytes. */
    rssAfterRounds: [] as number[],
    drop,
  };
}

function describe(per: Record<CpuRole, number>): string {
  return ROLES.map((role) => `${role === "api" ? "API" : role} ${per[role].toFixed(2)}`).join(", ");
}

async function bench(): Promise<void> {
  const sides = [
    ...(BASELINE ? [await prepare("baseline", BASELINE, process.env.BENCH_BASELINE_NODE)] : []),
    ...(await Promise.all(
      (process.env.BENCH_PAIR_OTHERS ?? "")
        .split(",")
        .filter(Boolean)
        .map((other) => prepare(other.split("=")[0]!, other.split("=").slice(1).join("="))),
    )),
    await prepare("this", ROOT, process.env.BENCH_NODE),
  ];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const line: string[] = [];
      for (const side of sides) {
        const pid = side.service.child.pid!;
        const profiled = PROFILE && round === ROUNDS - 1;
        if (profiled) process.kill(pid, "SIGUSR2");
        const perf =
          PERF_DIR && round === ROUNDS - 1
            ? spawn(
                "perf",
                ["record", "-e", "cpu-clock", "-F", "4000", "-g", "-p", String(pid)].concat([
                  "-o",
                  join(PERF_DIR, `${side.label}.data`),
                ]),
                { stdio: "ignore" },
              )
            : undefined;
        const before = sampleCpu(pid, await side.backends());
        const result = await load(
          { ...side.spec, amount: SUBMISSIONS, ...(RATE > 0 ? { overallRate: RATE } : {}) },
          CONNECTIONS,
        );
        const used = cpuBetween(before, sampleCpu(pid, await side.backends()));
        if (profiled) process.kill(pid, "SIGUSR2");
        if (perf) {
          const exited = new Promise((resolve) => perf.once("exit", resolve));
          perf.kill("SIGINT");
          await exited;
        }
        const per = { ...used, total: 0 };
        for (const role of ROLES) {
          per[role] = used[role] / result.ok;
          per.total += per[role];
        }
        side.perSubmission.push(per);
        side.rssAfterRounds.push(currentRss(pid));
        line.push(
          `${side.label} ${per.total.toFixed(2)} ms (${describe(per)}; ${result.ok} 2xx, ${result.notOk + result.errors} other, p50 ${result.p50} ms)`,
        );
      }
      console.log(`round ${round + 1}: ${line.join("; ")}`);
    }
    console.log("median CPU ms per submission, over the rounds:");
    for (const side of sides) {
      const of = (key: CpuRole | "total") => median(side.perSubmission.map((per) => per[key]));
      console.log(
        `  ${side.label.padEnd(9)} ${of("total").toFixed(2)} (${describe(Object.fromEntries(ROLES.map((role) => [role, of(role)])) as Record<CpuRole, number>)})`,
      );
    }
    if (EMBEDDED) {
      // Peak RSS since the start includes start-up (a new data directory, for one); the RSS as
      // the rounds end is the service's under this load.
      const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
      console.log("API RSS, median and largest as the rounds ended; peak since start (VmHWM):");
      for (const side of sides) {
        console.log(
          `  ${side.label.padEnd(9)} ${mb(median(side.rssAfterRounds))}, ${mb(Math.max(...side.rssAfterRounds))}; ${mb(peakRss(side.service.child.pid!))}`,
        );
      }
    }
    const [first] = sides;
    for (const side of sides.slice(1)) {
      const ratios = side.perSubmission.map((per, i) => per.total / first!.perSubmission[i]!.total);
      console.log(
        `  ${side.label} ÷ ${first!.label}, total by round: ${ratios.map((r) => r.toFixed(2)).join(" ")}; median ${median(ratios).toFixed(2)}`,
      );
    }
  } finally {
    for (const side of sides) {
      await stopService(side.service);
      await side.drop();
    }
  }
}

await bench();
