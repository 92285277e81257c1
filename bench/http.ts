// The service end to end: graded submissions of Alice's exercise over HTTP (autocannon in a child
// process against the server in this one, on 127.0.0.1; real lessons, grader, sandbox pool and
// database write), on PGlite and on PostgreSQL, printed beside a baseline from the same run
// (/healthz, an authenticated read) so ratios survive a busy machine; with a canned grade the
// figures are the service's own ceiling. Then many WebSocket sessions, idle and streaming.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import pg from "pg";
import WebSocket from "ws";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createCatalogue, createGrader, inspectLessons } from "../src/grading/index.ts";
import { openDatabase, type Database } from "../src/progress/database.ts";
import { migrate } from "../src/progress/migrate.ts";
import { createRunner } from "../src/runner/index.ts";
import type { GradedRun } from "../src/grading/types.ts";
import type { LoadResult, LoadSpec } from "./http-load.ts";

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 16);
const LEARNERS = 20;
const POOL_SIZE = Number(process.env.BENCH_PG_POOL ?? 20);
const IDLE_SOCKETS = Number(process.env.BENCH_WS_IDLE ?? 1000);
const STREAMING = Number(process.env.BENCH_WS_STREAMING ?? 20);
const PG_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgresql://postgres@127.0.0.1:5432/test";
export const OPERATOR = "operator-token-for-the-benchmark";

// A garbage collector to call before reading memory, without needing --expose-gc.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;
const LESSON = "exchanging-messages";
const EXERCISE = "message-to-alice";
const lessonsDir = new URL("../lessons", import.meta.url).pathname;
const solution = readFileSync(
  new URL(`../lessons/${LESSON}/05-message-to-alice/solution.ts`, import.meta.url),
  "utf8",
);

export async function startService(db: Database, grading: { canned: GradedRun | undefined }) {
  const { lessons } = await inspectLessons(lessonsDir);
  const catalogue = createCatalogue(lessons);
  const runner = createRunner({ workers: availableParallelism() });
  const real = createGrader({ catalogue, runner });
  // With a canned grade the sandbox is out of the picture: what is left is the service's own cost.
  const grader: Pick<typeof real, "gradeSubmission"> = {
    gradeSubmission: (submission, options) =>
      grading.canned ? Promise.resolve(grading.canned) : real.gradeSubmission(submission, options),
  };
  const config = loadConfig({
    LOG_LEVEL: "silent",
    OPERATOR_TOKEN: OPERATOR,
    SUBMISSION_RATE_LIMIT: "0",
  });
  const app = await buildApp({ config, db, catalogue, grader, runner });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { app, runner, base, close: async () => (await app.close(), await runner.close()) };
}

async function post(base: string, path: string, body: unknown, token?: string) {
  const response = await fetch(base + path, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, string>>;
}

export async function learners(base: string, count: number) {
  const teacher = await post(base, "/v1/teachers", { name: "Bench" }, OPERATOR);
  const klass = await post(base, "/v1/classes", { name: "Bench" }, teacher.token);
  const out: { token: string; sessionId: string }[] = [];
  for (let i = 0; i < count; i++) {
    const joined = await post(base, "/v1/classes/join", {
      joinCode: klass.joinCode,
      displayName: `L${i}`,
    });
    const session = await post(base, "/v1/sessions", { lessonId: LESSON }, joined.token);
    out.push({ token: joined.token!, sessionId: session.id! });
  }
  return out;
}

/** Runs the load in a child process; meanwhile measures this (the API) process's CPU. */
export async function load(
  spec: Omit<LoadSpec, "connections">,
  connections = CONNECTIONS,
): Promise<LoadResult & { cpuUs: number }> {
  const child = fork(new URL("./http-load.ts", import.meta.url).pathname, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const cpu = process.cpuUsage();
  const result = await new Promise<LoadResult>((resolve, reject) => {
    child.once("message", (message) => resolve(message as LoadResult));
    child.once("exit", (code) => reject(new Error(`load generator exited with ${code}`)));
    child.send({ ...spec, connections });
  });
  const used = process.cpuUsage(cpu);
  await new Promise((resolve) =>
    child.exitCode === null ? child.once("exit", resolve) : resolve(null),
  );
  return { ...result, cpuUs: used.user + used.system };
}

export function report(label: string, result: LoadResult & { cpuUs: number }, extra = "") {
  const perRequest = result.total > 0 ? (result.cpuUs / result.total).toFixed(0) : "-";
  console.log(
    `${label.padEnd(40)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${String(result.p50).padStart(4)} ms  p99 ${String(result.p99).padStart(4)} ms  ` +
      `API CPU ${perRequest.padStart(5)} µs/req  2xx ${result.ok}  non-2xx ${result.notOk}  errors ${result.errors}${extra}`,
  );
  return result.requestsPerSecond;
}

/** A baseline (health check, an authenticated read) beside graded submissions, canned and real. */
async function httpLoad(label: string, db: Database, canned: GradedRun) {
  const grading: { canned: GradedRun | undefined } = { canned: undefined };
  const service = await startService(db, grading);
  try {
    const cast = await learners(service.base, LEARNERS);
    const body = JSON.stringify({ exerciseId: EXERCISE, language: "typescript", code: solution });
    const submit = {
      url: service.base,
      method: "POST" as const,
      body,
      targets: cast.map((learner) => ({
        path: `/v1/sessions/${learner.sessionId}/submissions`,
        headers: { "content-type": "application/json", authorization: `Bearer ${learner.token}` },
      })),
    };
    // Warm the workers' isolates, the JIT and the token cache before measuring.
    await load({ ...submit, amount: 200 });
    grading.canned = canned;
    await load({ ...submit, amount: 200 });
    console.log(
      `${label}: ${CONNECTIONS} connections, ${SECONDS} s each, load generator in its own process, ${service.runner.stats().workers} sandbox workers`,
    );
    const health = report(
      "  GET /healthz",
      await load({
        url: service.base,
        method: "GET",
        duration: SECONDS,
        targets: [{ path: "/healthz", headers: {} }],
      }),
    );
    const read = report(
      "  GET /v1/sessions/:id (auth, session)",
      await load({
        url: service.base,
        method: "GET",
        duration: SECONDS,
        targets: cast.map((learner) => ({
          path: `/v1/sessions/${learner.sessionId}`,
          headers: { authorization: `Bearer ${learner.token}` },
        })),
      }),
    );
    for (const mode of ["canned", "real"] as const) {
      grading.canned = mode === "canned" ? canned : undefined;
      const before = await db.prisma.submission.count();
      const result = await load({ ...submit, duration: SECONDS });
      const stored = (await db.prisma.submission.count()) - before;
      const rate = report(
        mode === "canned" ? "  POST submission, canned grade" : "  POST submission, real sandbox",
        result,
        `  stored ${stored}`,
      );
      console.log(
        `    = ${((100 * rate) / health).toFixed(0)}% of /healthz, ${((100 * rate) / read).toFixed(0)}% of the authenticated read`,
      );
    }
  } finally {
    await service.close();
  }
}

async function webSockets(db: Database) {
  const service = await startService(db, { canned: undefined });
  try {
    const [learner] = await learners(service.base, 1);
    const url = `${service.base.replace("http", "ws")}/v1/sessions/${learner!.sessionId}/stream`;
    const open = async () => {
      const socket = new WebSocket(url);
      await new Promise(
        (resolve, reject) => (socket.once("open", resolve), socket.once("error", reject)),
      );
      const ready = new Promise((resolve) => socket.once("message", resolve));
      socket.send(JSON.stringify({ type: "auth", token: learner!.token }));
      await ready;
      return socket;
    };
    collectGarbage();
    const before = process.memoryUsage();
    const idle: WebSocket[] = [];
    const started = performance.now();
    for (let i = 0; i < IDLE_SOCKETS; i += 50)
      idle.push(
        ...(await Promise.all(Array.from({ length: Math.min(50, IDLE_SOCKETS - i) }, open))),
      );
    const openMs = performance.now() - started;
    collectGarbage();
    const after = process.memoryUsage();
    const perSession = (bytes: number) => `${(bytes / IDLE_SOCKETS / 1024).toFixed(1)} KB`;
    // Client and server share this process: the figures are upper bounds for the server side.
    console.log(
      `websocket   ${IDLE_SOCKETS} idle authenticated sessions opened in ${openMs.toFixed(0)} ms; per session: ` +
        `RSS +${perSession(after.rss - before.rss)}, JS heap +${perSession(after.heapUsed - before.heapUsed)} (client and server in one process)`,
    );
    const streamers = await Promise.all(Array.from({ length: STREAMING }, open));
    const t0 = performance.now();
    const latencies = await Promise.all(
      streamers.map(
        (socket, i) =>
          new Promise<number>((resolve) => {
            const start = performance.now();
            socket.on("message", (data) => {
              if (JSON.parse(String(data)).type === "run-finished")
                resolve(performance.now() - start);
            });
            socket.send(
              JSON.stringify({
                type: "run",
                exerciseId: EXERCISE,
                code: solution,
                language: "typescript",
                requestId: `r${i}`,
              }),
            );
          }),
      ),
    );
    const sorted = latencies.sort((a, b) => a - b);
    console.log(
      `websocket   ${STREAMING} streaming runs alongside them: all finished in ${(performance.now() - t0).toFixed(0)} ms, ` +
        `p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, max ${sorted[sorted.length - 1]!.toFixed(0)} ms`,
    );
    for (const socket of [...idle, ...streamers]) socket.terminate();
  } finally {
    await service.close();
  }
}

export async function postgresDatabase(): Promise<
  { url: string; drop: () => Promise<void> } | undefined
> {
  const name = `packetlab_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** One real graded run of the solution, to replay as a canned grade. */
export async function recordedRun(): Promise<GradedRun> {
  const { lessons } = await inspectLessons(lessonsDir);
  const runner = createRunner({ workers: 1 });
  try {
    const grader = createGrader({ catalogue: createCatalogue(lessons), runner });
    return await grader.gradeSubmission({
      lessonId: LESSON,
      exerciseId: EXERCISE,
      code: solution,
      language: "typescript",
      seed: 1,
    });
  } finally {
    await runner.close();
  }
}

export async function bench(): Promise<void> {
  const canned = await recordedRun();
  const lite = await openDatabase({});
  await migrate(lite);
  if (IDLE_SOCKETS > 0) await webSockets(lite);
  console.log("\ngraded Alice submissions over HTTP, end to end with the database write:");
  await httpLoad("PGlite", lite, canned);
  await lite.close();

  const scratch = await postgresDatabase();
  if (!scratch) {
    console.log(`PostgreSQL  skipped: ${PG_URL} is not reachable (set BENCH_DATABASE_URL)`);
    return;
  }
  const db = await openDatabase({ url: scratch.url, poolSize: POOL_SIZE });
  try {
    await migrate(db);
    await httpLoad(`PostgreSQL (pool of ${POOL_SIZE})`, db, canned);
  } finally {
    await db.close();
    await scratch.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench(); // run alone: node --import tsx bench/http.ts
