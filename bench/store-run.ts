// One child of bench/store.ts: `store-run.ts <checkout> <graded.bin> <postgres URL | data dir>`.
// Opens the checkout's own store (its src/progress, its node_modules), records the graded run many
// times and prints one JSON line of figures. CPU is this process's and the PostgreSQL backends',
// read from /proc; the figures cover record() only, not setting up the learners. On the embedded
// database it also times group commit: BENCH_STORE_GROUP (16) records a transaction against one
// each, by one caller (0 or 1 leaves it out).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { deserialize } from "node:v8";
import pg from "pg";
import { cpuBetween, peakRss, sampleCpu } from "./proc-cpu.ts";
import type { GradedRun } from "../src/grading/types.ts";
import type { Database, Statement } from "../src/progress/database.ts";
import type { Store } from "../src/progress/store.ts";

const RECORDS = Number(process.env.BENCH_STORE_RECORDS ?? 1000);
const WARMUP = 200;
const CALLERS = Number(process.env.BENCH_STORE_CALLERS ?? 8);
const LEARNERS = 50;
const GROUP = Number(process.env.BENCH_STORE_GROUP ?? 16);
const ROUNDS = 4;

export interface StoreFigures {
  records: number;
  callers: number;
  figures: Record<string, number>;
  /** Bytes per stored submission of each table (heap, TOAST and indexes together). */
  relations: Record<string, number>;
}

interface Input {
  graded: GradedRun;
  packetsJson: string;
  kept: number;
  code: string;
}

const [dir, inputPath, target] = process.argv.slice(2) as [string, string, string];
const from = (path: string) => import(pathToFileURL(join(dir, path)).href);
const { openDatabase } = (await from("src/progress/database.ts")) as {
  openDatabase: (options: { url?: string; dataDir?: string }) => Promise<Database>;
};
const { migrate } = (await from("src/progress/migrate.ts")) as {
  migrate: (db: Database) => Promise<void>;
};
const { createStore } = (await from("src/progress/store.ts")) as {
  createStore: (db: Database) => Store;
};

const input = deserialize(readFileSync(inputPath)) as Input;
const postgresUrl = target.startsWith("postgres") ? target : undefined;
const db = await openDatabase(postgresUrl ? { url: postgresUrl } : { dataDir: target });
await migrate(db);
const store = createStore(db);

/** A teacher's class of learners, each with a session of the lesson. */
async function classOfLearners(name: string) {
  const teacher = await store.accounts.createTeacher(name);
  const klass = await store.accounts.createClass(teacher.id, name);
  const learners: { learnerId: string; sessionId: string }[] = [];
  for (let i = 0; i < LEARNERS; i++) {
    const joined = await store.accounts.joinClass(klass.joinCode, `learner ${i}`);
    const session = await store.submissions.createSession(joined!.learnerId, input.graded.lessonId);
    learners.push({ learnerId: joined!.learnerId, sessionId: session.id });
  }
  return { teacherId: teacher.id, learners };
}

async function postgresBackends(): Promise<number[]> {
  if (!postgresUrl) return [];
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

// Checkouts before stored-trace.ts take the trace's JSON text as a second argument, as the
// submitter sent it; this one ignores it.
const record = store.submissions.record as (
  input: Parameters<Store["submissions"]["record"]>[0],
  packetsJson?: string,
) => Promise<unknown>;

let sequence = 0;
async function recordMany(
  learners: { learnerId: string; sessionId: string }[],
  count: number,
  callers = CALLERS,
): Promise<void> {
  let next = 0;
  const caller = async () => {
    while (next < count) {
      const i = next++;
      const learner = learners[i % learners.length]!;
      const finishedAt = new Date();
      await record(
        {
          ...learner,
          // Half the submissions are edited text, as in bench/service.ts.
          code: i % 2 ? `// edit ${sequence++}\n${input.code}` : input.code,
          language: "typescript",
          startedAt: new Date(finishedAt.getTime() - 20),
          finishedAt,
          graded: input.graded,
          traceMaxPackets: input.kept,
        },
        input.packetsJson,
      );
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
}

function diskBytes(path: string): number {
  return Number(execFileSync("du", ["-sb", path], { encoding: "utf8" }).split("\t")[0]);
}

const figures: Record<string, number> = {};
const quiet = await classOfLearners("nobody listens");
const heard = await classOfLearners("a webhook hears it");
// A checkout from before webhooks records the second case as the first.
await store.webhooks?.create(
  { teacherId: heard.teacherId },
  {
    url: "https://example.org/hook",
    events: ["submission.graded", "progress.changed"],
    description: "",
  },
);
const diskBefore = postgresUrl ? 0 : diskBytes(target);
for (const [name, learners] of [
  ["no listener", quiet.learners],
  ["webhook", heard.learners],
] as const) {
  await recordMany(learners, WARMUP);
  const backends = await postgresBackends();
  const before = sampleCpu(process.pid, backends);
  const started = performance.now();
  await recordMany(learners, RECORDS);
  const wall = performance.now() - started;
  const after = sampleCpu(process.pid, await postgresBackends());
  const cpu = cpuBetween(before, after);
  figures[`${name}: CPU ms/submission (all)`] = (cpu.api + cpu.workers + cpu.postgres) / RECORDS;
  if (postgresUrl) figures[`${name}: CPU ms/submission (PostgreSQL)`] = cpu.postgres / RECORDS;
  figures[`${name}: wall ms/submission`] = wall / RECORDS;
}
// Group commit on the embedded database: the same records by one caller, each on its own and
// GROUP to a transaction, taking turns in ROUNDS chunks so drift weighs on both alike. PGlite
// runs one statement at a time whatever the callers, so one caller loses nothing there. (On
// PostgreSQL each pooled connection would need a transaction of its own; pgbench put the saving
// there at ~0.03 ms of the server's CPU a row, 16 rows a commit against one.)
let grouped = 0;
if (!postgresUrl && GROUP > 1) {
  const statement = (text: string): Statement => ({ name: `packetlab_bench_${text}`, text });
  const [begin, commit] = [statement("BEGIN"), statement("COMMIT")];
  const chunk = Math.ceil(RECORDS / ROUNDS / GROUP) * GROUP;
  const cpu = { single: 0, grouped: 0 };
  await recordMany(quiet.learners, WARMUP, 1);
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ["single", "grouped"] as const) {
      const before = process.cpuUsage();
      for (let i = 0; i < chunk; i += GROUP) {
        if (mode === "grouped") await db.sql.query(begin, []);
        await recordMany(quiet.learners, GROUP, 1);
        if (mode === "grouped") await db.sql.query(commit, []);
      }
      const used = process.cpuUsage(before);
      cpu[mode] += (used.user + used.system) / 1000;
    }
  }
  grouped = WARMUP + 2 * ROUNDS * chunk;
  figures["one a commit, one caller: CPU ms/submission"] = cpu.single / (ROUNDS * chunk);
  figures[`${GROUP} a commit, one caller: CPU ms/submission`] = cpu.grouped / (ROUNDS * chunk);
}
const stored = 2 * (WARMUP + RECORDS) + grouped;
// The peak includes opening the database (initdb, when there is no template); RSS after the
// records is what a running service keeps.
figures["peak RSS MB"] = peakRss(process.pid) / 2 ** 20;
figures["RSS MB after the records"] = process.memoryUsage().rss / 2 ** 20;
if (!postgresUrl) {
  figures["data dir KB/submission"] = (diskBytes(target) - diskBefore) / stored / 1024;
}
const sizes = await db.sql.query<{ name: string; bytes: string }>(
  {
    name: "packetlab_bench_sizes",
    text: `SELECT c.relname AS name, pg_total_relation_size(c.oid)::text AS bytes FROM pg_class c
      WHERE c.relkind = 'r' AND c.relname IN ('submissions', 'submission_traces', 'progress', 'outbox')`,
  },
  [],
);
const relations = Object.fromEntries(
  sizes.map((row) => [row.name, Math.round(Number(row.bytes) / stored)]),
);
figures["tables KB/submission"] =
  Object.values(relations).reduce((sum, bytes) => sum + bytes, 0) / 1024;
await db.close();
console.log(JSON.stringify({ records: RECORDS, callers: CALLERS, figures, relations }));
