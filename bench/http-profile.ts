// Where the API process spends its CPU on real graded submissions: the service of bench/http.ts
// on PostgreSQL with the real sandbox pool, loaded from a child process while this process's
// V8 profiler samples it; prints API CPU per request and the top functions by self time.
// Run alone: node --no-node-snapshot --import tsx bench/http-profile.ts
// (BENCH_HTTP_SECONDS: seconds of load, default 10; BENCH_PROFILE_TOP: rows, default 40).
import { writeFileSync } from "node:fs";
import { Session, type Profiler } from "node:inspector/promises";
import { readFileSync } from "node:fs";
import { openDatabase } from "../src/progress/database.ts";
import { migrate } from "../src/progress/migrate.ts";
import { learners, load, postgresDatabase, recordedRun, report, startService } from "./http.ts";

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const TOP = Number(process.env.BENCH_PROFILE_TOP ?? 40);
const solution = readFileSync(
  new URL("../lessons/exchanging-messages/05-message-to-alice/solution.ts", import.meta.url),
  "utf8",
);

/** Self time per function (name, file, line), and per file, from a V8 CPU profile. */
function summarise(profile: Profiler.Profile, requests: number): void {
  const selfSamples = new Map<number, number>();
  for (const id of profile.samples ?? []) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
  const total = profile.samples?.length ?? 0;
  const micros = profile.endTime - profile.startTime;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = selfSamples.get(node.id) ?? 0;
    if (count === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\/.*\/(node_modules|src|bench)\//, "$1/") || "(native)";
    const key = `${functionName || "(anonymous)"}  ${file}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + count);
    const group = file.startsWith("node_modules/")
      ? file
          .split("/")
          .slice(0, file.split("/")[1]?.startsWith("@") ? 3 : 2)
          .join("/")
      : file;
    byFile.set(group, (byFile.get(group) ?? 0) + count);
  }
  // Samples are wall-clock ticks while this thread ran JS or native code, or idled ("(idle)").
  const perRequest = (count: number) => ((micros * count) / total / requests).toFixed(1);
  const print = (title: string, rows: Map<string, number>, limit: number) => {
    console.log(`\n${title} (µs per request, % of samples)`);
    for (const [key, count] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
      console.log(
        `${perRequest(count).padStart(8)}  ${((100 * count) / total).toFixed(1).padStart(5)}%  ${key}`,
      );
    }
  };
  print("top functions by self time", byFunction, TOP);
  print("by file or package", byFile, 25);
}

const scratch = await postgresDatabase();
if (!scratch) throw new Error("PostgreSQL is not reachable (set BENCH_DATABASE_URL)");
const db = await openDatabase({ url: scratch.url, poolSize: 20 });
const service = await (async () => {
  await migrate(db);
  // BENCH_PROFILE_CANNED=1: a recorded grade instead of the sandbox, to compare against.
  const canned = process.env.BENCH_PROFILE_CANNED ? await recordedRun() : undefined;
  return startService(db, { canned });
})();
try {
  const cast = await learners(service.base, 20);
  const submit: Parameters<typeof load>[0] = {
    url: service.base,
    method: "POST" as const,
    body: JSON.stringify({
      exerciseId: "message-to-alice",
      language: "typescript",
      code: solution,
    }),
    targets: cast.map((learner) => ({
      path: `/v1/sessions/${learner.sessionId}/submissions`,
      headers: { "content-type": "application/json", authorization: `Bearer ${learner.token}` },
    })),
  };
  await load({ ...submit, amount: 300 });
  const mode = process.env.BENCH_PROFILE_CANNED ? "canned grade" : "real sandbox";
  const rate = Number(process.env.BENCH_PROFILE_RATE ?? 0);
  if (rate) submit.overallRate = rate;
  report(`POST submission, ${mode}`, await load({ ...submit, duration: SECONDS }));
  if (process.env.BENCH_PROFILE_SKIP) process.exit(0);
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  const result = await load({ ...submit, duration: SECONDS });
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  report(`POST submission, ${mode} (profiled)`, result);
  if (process.env.BENCH_PROFILE_OUT)
    writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(profile));
  summarise(profile, result.total);
} finally {
  await service.close();
  await db.close();
  await scratch.drop();
}
