// What sharing the rate limits and the token revocation between replicas costs a request
// (SHARED_STATE=database against memory, README "Quotas"): the same requests against two apps
// on the same database, one keeping them in memory, the other in PostgreSQL, measured in turns
// (memory, database, memory, database) so a busy machine's drift hits both alike. Per request:
// the API process's CPU, the PostgreSQL backends' CPU (from /proc), and the statements sent (the
// app's database calls counted: Prisma operations plus plain SQL, the shared state's by name).
// On the embedded database (one process: the default is memory) the same for comparison.
// Run alone: node --import tsx bench/quotas.ts
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createCatalogue, inspectLessons } from "../src/grading/index.ts";
import type { GradedRun } from "../src/grading/types.ts";
import type { PrismaClient } from "../src/generated/prisma/client.ts";
import { openDatabase, type Database, type Sql } from "../src/progress/database.ts";
import { migrate } from "../src/progress/migrate.ts";
import { createStore } from "../src/progress/store.ts";
import { localGenerations, sharedGenerations } from "../src/http/token-cache.ts";
import {
  createMemoryWindows,
  createRateLimiter,
  type RateWindows,
} from "../src/quotas/rate-limit.ts";
import { createSharedWindows } from "../src/quotas/shared-windows.ts";
import { learners, load, OPERATOR, postgresDatabase, recordedRun } from "./http.ts";
import type { LoadSpec } from "./http-load.ts";
import { cpuBetween, sampleCpu } from "./proc-cpu.ts";

const SECONDS = Number(process.env.BENCH_QUOTAS_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_QUOTAS_CONNECTIONS ?? 16);
const ROUNDS = Number(process.env.BENCH_QUOTAS_ROUNDS ?? 2);
const JOINS = Number(process.env.BENCH_QUOTAS_JOINS ?? 300);
const CHECKS = Number(process.env.BENCH_QUOTAS_CHECKS ?? 20_000);
const CHECKS_IN_FLIGHT = 16;
const lessonsDir = new URL("../lessons", import.meta.url).pathname;
const code = readFileSync(
  new URL("../lessons/exchanging-messages/05-message-to-alice/solution.ts", import.meta.url),
  "utf8",
);

type Mode = "memory" | "database";

/** The database as the app sees it, counting what the app sends through it. */
function counted(db: Database) {
  const counts = { prisma: 0, shared: 0, otherSql: 0 };
  const prisma = db.prisma.$extends({
    query: {
      async $allOperations({ args, query }) {
        counts.prisma++;
        return query(args);
      },
    },
  }) as unknown as PrismaClient;
  const sql: Sql = {
    query(statement, values) {
      if (/^(rate_windows|auth_generation)_/.test(statement.name)) counts.shared++;
      else counts.otherSql++;
      return db.sql.query(statement, values);
    },
  };
  return { db: { kind: db.kind, prisma, sql, ping: () => db.ping() }, counts };
}

async function startApp(db: Database, mode: Mode, canned: GradedRun) {
  const { db: countedDb, counts } = counted(db);
  const catalogue = createCatalogue((await inspectLessons(lessonsDir)).lessons);
  const app = await buildApp({
    config: loadConfig({
      LOG_LEVEL: "silent",
      OPERATOR_TOKEN: OPERATOR,
      SHARED_STATE: mode,
      // Limits that are counted but never reached: the cost of counting, not of refusing.
      SUBMISSION_RATE_LIMIT: "1000000",
      JOIN_FAILURE_LIMIT: "1000000",
      JOIN_LIMIT_PER_ADDRESS: "1000000",
      JOIN_LIMIT_PER_CLASS: "1000000",
      RUNS_PER_LEARNER: "1000",
      // Its claims after each stored submission are the same in both modes and only add noise.
      OUTBOX_RELAY: "off",
    }),
    db: countedDb,
    catalogue,
    grader: { gradeSubmission: async () => canned },
    runner: { stats: () => ({ workers: 0, busy: 0, queued: 0, restarts: 0 }) },
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    mode,
    counts,
    base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    close: () => app.close(),
  };
}

type App = Awaited<ReturnType<typeof startApp>>;

/** PostgreSQL backends serving this database (not our own admin connection). */
async function backends(admin: pg.Client | undefined): Promise<number[]> {
  if (!admin) return [];
  const { rows } = await admin.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
  );
  return rows.map((row) => row.pid);
}

interface Figures {
  requests: number;
  seconds: number;
  apiUs: number;
  pgUs: number;
  statements: number;
  shared: number;
}

async function measure(
  app: App,
  admin: pg.Client | undefined,
  spec: Omit<LoadSpec, "connections">,
) {
  const pidsBefore = await backends(admin);
  const before = sampleCpu(process.pid, pidsBefore);
  const counts = { ...app.counts };
  const started = performance.now();
  const result = await load(spec, CONNECTIONS);
  const seconds = (performance.now() - started) / 1000;
  const pids = [...new Set([...pidsBefore, ...(await backends(admin))])];
  const used = cpuBetween(before, sampleCpu(process.pid, pids));
  if (result.notOk > 0) throw new Error(`${app.mode}: ${result.notOk} answers were not 2xx`);
  // Timeouts (autocannon's 10 s) on an overloaded machine: said, not counted as requests.
  if (result.errors > 0) console.log(`  (${app.mode}: ${result.errors} requests timed out)`);
  const statements = app.counts.prisma - counts.prisma + app.counts.otherSql - counts.otherSql;
  const shared = app.counts.shared - counts.shared;
  return {
    requests: result.ok,
    seconds,
    apiUs: result.cpuUs,
    pgUs: used.postgres * 1000,
    statements: statements + shared,
    shared,
  } satisfies Figures;
}

const add = (a: Figures, b: Figures): Figures => ({
  requests: a.requests + b.requests,
  seconds: a.seconds + b.seconds,
  apiUs: a.apiUs + b.apiUs,
  pgUs: a.pgUs + b.pgUs,
  statements: a.statements + b.statements,
  shared: a.shared + b.shared,
});

function line(label: string, f: Figures) {
  const per = (value: number) => (value / f.requests).toFixed(0).padStart(5);
  console.log(
    `  ${label.padEnd(30)} ${(f.requests / f.seconds).toFixed(0).padStart(6)} req/s  API CPU ${per(f.apiUs)} µs/req  PostgreSQL CPU ${per(f.pgUs)} µs/req  ` +
      `statements ${(f.statements / f.requests).toFixed(2)}/req (shared state ${(f.shared / f.requests).toFixed(2)})`,
  );
}

async function compare(
  what: string,
  apps: App[],
  admin: pg.Client | undefined,
  spec: (app: App) => Omit<LoadSpec, "connections">,
) {
  console.log(`${what}:`);
  const totals = new Map<Mode, Figures>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const app of apps) {
      const figures = await measure(app, admin, spec(app));
      line(`${app.mode} (round ${round + 1})`, figures);
      const total = totals.get(app.mode);
      totals.set(app.mode, total ? add(total, figures) : figures);
    }
  }
  const memory = totals.get("memory")!;
  const database = totals.get("database")!;
  const delta = (key: "apiUs" | "pgUs" | "statements", digits: number) => {
    const value = database[key] / database.requests - memory[key] / memory.requests;
    return `${value >= 0 ? "+" : ""}${value.toFixed(digits)}`;
  };
  console.log(
    `  = database − memory: API CPU ${delta("apiUs", 0)} µs/req, PostgreSQL CPU ${delta("pgUs", 0)} µs/req, ` +
      `${delta("statements", 2)} statements/req; throughput ${((100 * database.requests) / database.seconds / (memory.requests / memory.seconds)).toFixed(0)}% of memory's`,
  );
}

async function onDatabase(
  label: string,
  db: Database,
  admin: pg.Client | undefined,
  canned: GradedRun,
) {
  const apps = [await startApp(db, "memory", canned), await startApp(db, "database", canned)];
  try {
    const cast = await learners(apps[0]!.base, 20);
    // learners() made the database's one class.
    const { joinCode } = (await db.prisma.class.findFirst())!;
    const read = (app: App) => ({
      url: app.base,
      method: "GET" as const,
      duration: SECONDS,
      targets: cast.map((learner) => ({
        path: `/v1/sessions/${learner.sessionId}`,
        headers: { authorization: `Bearer ${learner.token}` },
      })),
    });
    const submit = (app: App) => ({
      url: app.base,
      method: "POST" as const,
      duration: SECONDS,
      body: JSON.stringify({ exerciseId: "message-to-alice", language: "typescript", code }),
      targets: cast.map((learner) => ({
        path: `/v1/sessions/${learner.sessionId}/submissions`,
        headers: { "content-type": "application/json", authorization: `Bearer ${learner.token}` },
      })),
    });
    const join = (app: App) => ({
      url: app.base,
      method: "POST" as const,
      amount: JOINS,
      body: JSON.stringify({ joinCode, displayName: "Bench" }),
      targets: [{ path: "/v1/classes/join", headers: { "content-type": "application/json" } }],
    });
    // Warm both: JIT, prepared statements, the pool's connections, the token caches.
    for (const app of apps) {
      await load({ ...read(app), duration: 2 }, CONNECTIONS);
      await load({ ...submit(app), duration: 2 }, CONNECTIONS);
    }
    console.log(`\n${label}, ${CONNECTIONS} connections, ${SECONDS} s a run:`);
    await compare("GET /v1/sessions/:id (token check, one read)", apps, admin, read);
    await compare(
      "POST submission, canned grade (token check, rate limit, write)",
      apps,
      admin,
      submit,
    );
    await compare(
      `POST /v1/classes/join, ${JOINS} joins (five join limits, a new learner)`,
      apps,
      admin,
      join,
    );
  } finally {
    for (const app of apps) await app.close();
  }
}

/** One check, many times with CHECKS_IN_FLIGHT at once: CPU per check, without HTTP around it. */
async function perCheck(label: string, check: (i: number) => Promise<unknown>, admin?: pg.Client) {
  const pidsBefore = await backends(admin);
  const before = sampleCpu(process.pid, pidsBefore);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CHECKS_IN_FLIGHT }, async () => {
      while (next < CHECKS) await check(next++);
    }),
  );
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const pids = [...new Set([...pidsBefore, ...(await backends(admin))])];
  const pgMs = cpuBetween(before, sampleCpu(process.pid, pids)).postgres;
  console.log(
    `  ${label.padEnd(52)} ${((used.user + used.system) / CHECKS).toFixed(1).padStart(6)} µs CPU here, ${((pgMs * 1000) / CHECKS).toFixed(1).padStart(6)} µs in PostgreSQL, ${((1000 * wallMs) / CHECKS).toFixed(1).padStart(6)} µs wall a check`,
  );
}

async function checks(db: Database, admin: pg.Client | undefined) {
  const store = createStore(db);
  const limiter = (windows: RateWindows) =>
    createRateLimiter({ name: "bench", limit: 1_000_000, windowMs: 60_000, windows });
  const memory = limiter(createMemoryWindows());
  const shared = limiter(createSharedWindows(store.rateWindows));
  const local = localGenerations();
  const generations = sharedGenerations(store.authGeneration);
  // Warm the statements and the pool.
  for (let i = 0; i < 200; i++)
    await Promise.all([shared.take(`w${i % 20}`), generations.current()]);
  console.log(`  ${CHECKS} checks, ${CHECKS_IN_FLIGHT} at once, keys of 1,000 learners:`);
  await perCheck("rate limit take, memory", (i) => memory.take(`l${i % 1000}`), admin);
  await perCheck(
    "rate limit take, database (one upsert)",
    (i) => shared.take(`l${i % 1000}`),
    admin,
  );
  await perCheck("token generation, memory", () => local.current(), admin);
  await perCheck(
    "token generation, database (one read each)",
    () => store.authGeneration.read(),
    admin,
  );
  await perCheck(
    "token generation, database (reads shared per turn)",
    () => generations.current(),
    admin,
  );
}

export async function bench(): Promise<void> {
  const canned = await recordedRun();
  const scratch = await postgresDatabase();
  if (scratch) {
    const db = await openDatabase({ url: scratch.url });
    const admin = new pg.Client({ connectionString: scratch.url });
    await admin.connect();
    try {
      await migrate(db);
      console.log("\nPostgreSQL (pool of 10): one check alone");
      await checks(db, admin);
      await onDatabase("PostgreSQL (pool of 10)", db, admin, canned);
    } finally {
      await admin.end();
      await db.close();
      await scratch.drop();
    }
  } else {
    console.log("PostgreSQL skipped: not reachable (set BENCH_DATABASE_URL)");
  }
  const lite = await openDatabase({});
  try {
    await migrate(lite);
    console.log("\nPGlite: one check alone (PGlite runs in this process)");
    await checks(lite, undefined);
    await onDatabase("PGlite (in this process: its CPU is the API's)", lite, undefined, canned);
  } finally {
    await lite.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
