// The database's share of a graded submission, alone: the store's record() (the statement that
// writes the submission, its trace, the progress row and the outbox rows) called many times with
// one real graded run of Alice's exercise, by several callers at once as the service does, on the
// embedded database (in a data directory, as deployed) and on PostgreSQL. Each (checkout,
// database) runs in a child process of its own (bench/store-run.ts), so RSS and CPU are its own.
// Prints CPU per submission (the child and the PostgreSQL backends, from /proc), wall time, peak
// RSS, and what a submission leaves on disk: bytes per row of each table and its indexes, and the
// data directory's growth.
//
// Two cases: nobody listens (no webhook endpoint, no LTI line item) and a teacher's webhook
// endpoint hears every event (outbox rows written with each grade).
//
// BENCH_BASELINE_DIR=/path/to/other/checkout measures that checkout's store too, in the same run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serialize } from "node:v8";
import { loadConfig } from "../src/config.ts";
import { keptTrace } from "../src/http/submitter.ts";
import { postgresDatabase, recordedRun } from "./http.ts";
import type { StoreFigures } from "./store-run.ts";
import { median } from "./median.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNNER = fileURLToPath(new URL("./store-run.ts", import.meta.url));
const DATABASES = (process.env.BENCH_STORE_DATABASES ?? "embedded,postgres").split(",");
const REPEATS = Number(process.env.BENCH_STORE_REPEATS ?? 3);

export async function bench(): Promise<void> {
  const graded = await recordedRun();
  const config = loadConfig({});
  const { packetsJson, packets } = keptTrace(
    graded.run.packets,
    config.TRACE_MAX_PACKETS,
    config.TRACE_MAX_BYTES,
  );
  const scratch = mkdtempSync(join(tmpdir(), "packetlab-bench-store-"));
  const input = join(scratch, "graded.bin");
  const code = readFileSync(
    join(ROOT, "lessons/exchanging-messages/05-message-to-alice/solution.ts"),
    "utf8",
  );
  writeFileSync(input, serialize({ graded, packetsJson, kept: packets.length, code }));
  const checkouts = [
    ...(process.env.BENCH_BASELINE_DIR ? [["baseline", process.env.BENCH_BASELINE_DIR]] : []),
    ["this", ROOT],
  ] as const;
  console.log(
    `record() of one real Alice submission (${graded.run.packets.length} packets, trace ${packetsJson.length} B of JSON), ` +
      `medians of ${REPEATS} child processes each`,
  );
  try {
    for (const database of DATABASES) {
      const results = new Map<string, StoreFigures[]>();
      for (let repeat = 0; repeat < REPEATS; repeat++) {
        // Alternate the checkouts so drift on a shared machine hits both alike.
        for (const [label, dir] of checkouts) {
          const figures = await runChild(dir, database, input, scratch);
          if (!figures) break;
          results.set(label, [...(results.get(label) ?? []), figures]);
        }
      }
      print(database, results);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function runChild(
  dir: string,
  database: string,
  input: string,
  scratch: string,
): Promise<StoreFigures | undefined> {
  let url = "";
  let drop = async () => {};
  if (database === "postgres") {
    const created = await postgresDatabase();
    if (!created) {
      console.log("PostgreSQL skipped: not reachable");
      return undefined;
    }
    ({ url, drop } = created);
  }
  const dataDir = mkdtempSync(join(scratch, "data-"));
  try {
    const output = execFileSync(
      process.execPath,
      ["--no-node-snapshot", "--import", "tsx", RUNNER, dir, input, url || dataDir],
      { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
    );
    return JSON.parse(output.trim().split("\n").at(-1)!) as StoreFigures;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await drop();
  }
}

function print(database: string, results: Map<string, StoreFigures[]>): void {
  console.log(`\n${database}`);
  const medians = new Map<string, Record<string, number>>();
  for (const [label, runs] of results) {
    const keys = Object.keys(runs[0]!.figures);
    const figures = Object.fromEntries(
      keys.map((key) => [key, median(runs.map((run) => run.figures[key]!))]),
    );
    medians.set(label, figures);
    console.log(`  ${label}: ${runs[0]!.records} records per case, ${runs[0]!.callers} callers`);
    for (const key of keys) {
      console.log(`    ${key.padEnd(44)} ${format(figures[key]!).padStart(10)}`);
    }
    for (const run of runs.slice(0, 1)) {
      console.log(`    bytes per submission by relation: ${JSON.stringify(run.relations)}`);
    }
  }
  const baseline = medians.get("baseline");
  const current = medians.get("this");
  if (!baseline || !current) return;
  console.log(`  this ÷ baseline (medians, same run):`);
  for (const key of Object.keys(current)) {
    if (!(key in baseline) || !baseline[key]) continue;
    console.log(`    ${key.padEnd(44)} ×${(current[key]! / baseline[key]).toFixed(2)}`);
  }
}

function format(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
