// Start-up alone: `packetlab serve` on an existing embedded data directory, from spawn to a ready
// /readyz, started and stopped BENCH_STARTUP_ROUNDS times (default 7). With BENCH_BASELINE_DIR the
// other checkout is started in turn within each round, so both see the same machine;
// BENCH_STARTUP_ALSO=label=dir,… adds more checkouts to the rounds (e.g. a branch's starting point
// beside the baseline). Prints the median and range of wall time, and of CPU time (the API's, and
// every process's: sandbox workers, esbuild, rustc) when it became ready. The service bench starts
// each checkout once, among minutes of load; this is the figure for issue #14 in under a minute.
// BENCH_STARTUP_DATA_DIR=new starts each time on a new, empty data directory instead (the first
// start of an installation: the database's template unpacked, every migration applied). The API's
// peak RSS at ready is printed too.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startService, stopService } from "./service.ts";
import { median } from "./median.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 7);
const NEW_DATA_DIR = process.env.BENCH_STARTUP_DATA_DIR === "new";

interface Start {
  wallMs: number;
  apiCpuMs: number;
  cpuMs: number;
  /** The API process's peak resident set when it became ready (VmHWM), MB. */
  peakRssMb: number;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

function summary(values: number[]): string {
  return `${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
}

export async function bench(): Promise<void> {
  const checkouts = [
    ...(process.env.BENCH_BASELINE_DIR ? [["baseline", process.env.BENCH_BASELINE_DIR]] : []),
    ...(process.env.BENCH_STARTUP_ALSO ?? "")
      .split(",")
      .filter(Boolean)
      .map((entry) => entry.split("=")),
    ["this", ROOT],
  ] as [string, string][];
  const dataDirs = new Map<string, string>();
  const starts = new Map<string, Start[]>(checkouts.map(([label]) => [label, []]));
  try {
    for (const [label, dir] of checkouts) {
      // Measured as `npm ci` leaves a checkout: built from its sources now.
      if (existsSync(join(dir, "scripts/build.mjs"))) {
        execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: dir, stdio: "ignore" });
      }
      // The first start creates and migrates the data directory; the rounds start on it.
      const dataDir = mkdtempSync(join(tmpdir(), "packetlab-startup-"));
      dataDirs.set(label, dataDir);
      await stopService(await startService(dir, { DATA_DIR: dataDir }));
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [label, dir] of checkouts) {
        const dataDir = NEW_DATA_DIR
          ? mkdtempSync(join(tmpdir(), "packetlab-startup-new-"))
          : dataDirs.get(label)!;
        const service = await startService(dir, { DATA_DIR: dataDir });
        const peak = peakRssMb(service.child.pid!);
        await stopService(service);
        if (NEW_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
        const { api, workers, esbuild, postgres } = service.readyCpu;
        starts.get(label)!.push({
          wallMs: service.readyMs,
          apiCpuMs: api,
          cpuMs: api + workers + esbuild + postgres,
          peakRssMb: peak,
        });
      }
    }
  } finally {
    for (const dataDir of dataDirs.values()) rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(
    `start-up on ${NEW_DATA_DIR ? "a new" : "an existing"} embedded data directory to a ready /readyz, ${ROUNDS} rounds: median (min–max) ms, API peak RSS MB`,
  );
  for (const [label, dir] of checkouts) {
    const list = starts.get(label)!;
    console.log(
      `  ${label.padEnd(9)} wall ${summary(list.map((s) => s.wallMs))}  CPU API ${summary(list.map((s) => s.apiCpuMs))}  ` +
        `CPU all ${summary(list.map((s) => s.cpuMs))}  RSS ${summary(list.map((s) => s.peakRssMb))}  ${dir}`,
    );
  }
  // Each checkout against "this" round by round, then the median of those ratios: a round's
  // starts follow each other within seconds, so a machine that gets busier between rounds moves
  // both sides of a ratio, where it moves each median separately.
  const current = starts.get("this")!;
  for (const [label] of checkouts) {
    if (label === "this") continue;
    const other = starts.get(label)!;
    const ratio = (pick: (s: Start) => number) =>
      median(current.map((start, i) => pick(start) / pick(other[i]!))).toFixed(2);
    console.log(
      `  this ÷ ${label}, median of rounds: wall ${ratio((s) => s.wallMs)}, CPU API ${ratio((s) => s.apiCpuMs)}, CPU all ${ratio((s) => s.cpuMs)}, ` +
        `RSS ${ratio((s) => s.peakRssMb)}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
