// What a teacher's dashboard costs: GET …/progress (the matrix) and GET …/stats on a synthetic
// class of 500 learners × 8 exercises × 20 submissions each, on PostgreSQL, through the real app
// (app.inject: routing, auth, SQL, serialisation). The rows are made in SQL (generate_series),
// shaped like real ones: the real check ids, a few wrong answers on the wire, streaks.
// Then the class's activity feed: what one open feed costs a second (its tick: two reads that
// find nothing new) and on opening (the backlog), against the matrix it replaces polling for,
// measured in the same run: wall time, and CPU of this process and of PostgreSQL's backends.
// Run alone: npm run bench -- teacher  (BENCH_TEACHER_LEARNERS, BENCH_TEACHER_REQUESTS).
import { performance } from "node:perf_hooks";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { catalogueExercises } from "../src/http/class-report.ts";
import { loadLessons } from "../src/grading/index.ts";
import { openDatabase, type Database } from "../src/progress/database.ts";
import { migrate } from "../src/progress/migrate.ts";
import { createStore } from "../src/progress/store.ts";
import { postgresDatabase } from "./http.ts";
import { cpuBetween, sampleCpu } from "./proc-cpu.ts";

const LEARNERS = Number(process.env.BENCH_TEACHER_LEARNERS ?? 500);
const SUBMISSIONS = 20;
const REQUESTS = Number(process.env.BENCH_TEACHER_REQUESTS ?? 40);
const OPERATOR = "operator-token-for-the-benchmark";
const WIRES = [
  "UDP to alice:100, UDP to ns:53",
  "UDP to ns:53",
  "sent nothing",
  "UDP to 10.0.3.7:1000",
];

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export async function bench(): Promise<void> {
  const scratch = await postgresDatabase();
  if (!scratch) {
    console.log("teacher dashboard  skipped: PostgreSQL is not reachable (set BENCH_DATABASE_URL)");
    return;
  }
  const db = await openDatabase({ url: scratch.url, poolSize: 4 });
  try {
    await migrate(db);
    const catalogue = await loadLessons(new URL("../lessons", import.meta.url).pathname);
    const exercises = catalogueExercises(catalogue).slice(0, 8);
    const config = loadConfig({ LOG_LEVEL: "silent", OPERATOR_TOKEN: OPERATOR });
    const store = createStore(db);
    const app = await buildApp({
      config,
      db,
      catalogue,
      grader: { gradeSubmission: () => Promise.reject(new Error("not in this benchmark")) },
      runner: { stats: () => ({ workers: 0, busy: 0, queued: 0, restarts: 0 }) },
    });
    try {
      const teacher = (
        await app.inject({
          method: "POST",
          url: "/v1/teachers",
          headers: { authorization: `Bearer ${OPERATOR}` },
          payload: { name: "Bench" },
        })
      ).json() as { token: string };
      const klass = (
        await app.inject({
          method: "POST",
          url: "/v1/classes",
          headers: { authorization: `Bearer ${teacher.token}` },
          payload: { name: "Bench 500" },
        })
      ).json() as { id: string };
      let started = performance.now();
      await seed(db, klass.id, exercises);
      console.log(
        `seeded ${LEARNERS} learners × ${exercises.length} exercises × ${SUBMISSIONS} submissions (${LEARNERS * exercises.length * SUBMISSIONS} rows) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      const sqlTimes: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        started = performance.now();
        await Promise.all([
          store.reports.classLearners(klass.id),
          store.reports.classProgress(klass.id),
        ]);
        sqlTimes.push(performance.now() - started);
      }
      sqlTimes.sort((a, b) => a - b);
      console.log(
        `the matrix's two queries alone: median ${percentile(sqlTimes, 0.5).toFixed(1)} ms`,
      );
      console.log(
        "request                          median ms   p95 ms   max ms   API CPU ms/request   bytes",
      );
      for (const path of ["progress", "stats", "progress.csv"]) {
        const url = `/v1/classes/${klass.id}/${path}`;
        const headers = { authorization: `Bearer ${teacher.token}` };
        for (let i = 0; i < 3; i++) await app.inject({ method: "GET", url, headers }); // warm-up
        const times: number[] = [];
        let bytes = 0;
        const cpuBefore = process.cpuUsage();
        for (let i = 0; i < REQUESTS; i++) {
          started = performance.now();
          const response = await app.inject({ method: "GET", url, headers });
          times.push(performance.now() - started);
          if (response.statusCode !== 200) throw new Error(`${url}: ${response.body}`);
          bytes = response.body.length;
        }
        const cpu = process.cpuUsage(cpuBefore);
        const cpuMs = (cpu.user + cpu.system) / 1000 / REQUESTS;
        times.sort((a, b) => a - b);
        console.log(
          `GET …/${path}`.padEnd(33) +
            `${percentile(times, 0.5).toFixed(1).padStart(9)}${percentile(times, 0.95).toFixed(1).padStart(9)}${times.at(-1)!.toFixed(1).padStart(9)}${cpuMs.toFixed(1).padStart(21)}${String(bytes).padStart(8)}`,
        );
      }
      await benchFeed(db, store, klass.id);
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
    await scratch.drop();
  }
}

/** The feed's reads against the matrix's, each REQUESTS times: wall ms and CPU ms per read. */
async function benchFeed(db: Database, store: ReturnType<typeof createStore>, classId: string) {
  const backends = (
    await db.prisma.$queryRaw<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity WHERE datname = current_database()`
  ).map((row) => row.pid);
  const reads: [string, () => Promise<unknown>][] = [
    [
      "matrix (learners + progress)",
      () =>
        Promise.all([store.reports.classLearners(classId), store.reports.classProgress(classId)]),
    ],
    [
      "feed tick (nothing new)",
      () => {
        const since = new Date(Date.now() - 5000);
        return Promise.all([
          store.reports.activity(classId, since, 200),
          store.reports.joins(classId, since, 200),
        ]);
      },
    ],
    [
      "feed backlog (last 20)",
      () =>
        Promise.all([
          store.reports.activity(classId, new Date(0), 20),
          store.reports.joins(classId, new Date(0), 20),
        ]),
    ],
  ];
  console.log(
    "read                             median ms   p95 ms   API CPU ms/read   PostgreSQL CPU ms/read",
  );
  const cpuPerRead: number[] = [];
  for (const [name, read] of reads) {
    for (let i = 0; i < 3; i++) await read(); // warm-up
    const times: number[] = [];
    const before = sampleCpu(process.pid, backends);
    for (let i = 0; i < REQUESTS; i++) {
      const started = performance.now();
      await read();
      times.push(performance.now() - started);
    }
    const used = cpuBetween(before, sampleCpu(process.pid, backends));
    times.sort((a, b) => a - b);
    cpuPerRead.push((used.api + used.postgres) / REQUESTS);
    console.log(
      name.padEnd(33) +
        `${percentile(times, 0.5).toFixed(2).padStart(9)}${percentile(times, 0.95).toFixed(2).padStart(9)}${(used.api / REQUESTS).toFixed(2).padStart(18)}${(used.postgres / REQUESTS).toFixed(2).padStart(25)}`,
    );
  }
  // A polling dashboard read the matrix every 3 s; an open feed ticks every second.
  const [matrix, tick] = cpuPerRead as [number, number];
  console.log(
    `CPU a minute per open dashboard: polling the matrix ${(20 * matrix).toFixed(0)} ms, the feed ${(60 * tick).toFixed(0)} ms (ratio ${((60 * tick) / (20 * matrix)).toFixed(2)}; /proc ticks are 10 ms, so small figures are coarse)`,
  );
}

/** Learners, enrolments, sessions, submissions and the progress rows they add up to, in SQL. */
async function seed(
  db: Database,
  classId: string,
  exercises: ReturnType<typeof catalogueExercises>,
) {
  const run = async (text: string) => {
    const started = performance.now();
    await db.prisma.$executeRawUnsafe(text);
    if (process.env.BENCH_TEACHER_VERBOSE) {
      console.log(`${(performance.now() - started).toFixed(0)} ms: ${text.trim().slice(0, 40)}`);
    }
  };
  const exerciseJson = JSON.stringify(
    exercises.map((e) => ({
      lesson: e.lessonId,
      exercise: e.exerciseId,
      checks: e.checks.map((c) => c.id),
    })),
  );
  await run(`
    INSERT INTO learners (id, display_name)
    SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 'Learner ' || n
    FROM generate_series(1, ${LEARNERS}) AS n`);
  await run(`
    INSERT INTO enrolments (class_id, learner_id)
    SELECT '${classId}'::uuid, id FROM learners WHERE display_name LIKE 'Learner %'`);
  await run(`
    INSERT INTO sessions (id, learner_id, lesson_id, seed)
    SELECT gen_random_uuid(), id, 'exchanging-messages', 1 FROM learners WHERE display_name LIKE 'Learner %'`);
  // Submission k of 20 passes from a per-learner point on (some never pass).
  await run(`
    INSERT INTO submissions (id, learner_id, session_id, lesson_id, exercise_id, lesson_version, code, language,
      outcome, message, passed, score, checks, output, output_truncated, packet_count, cpu_ms, wall_ms,
      virtual_time_us, started_at, finished_at, created_at)
    SELECT gen_random_uuid(), s.learner_id, s.id, x->>'lesson', x->>'exercise', '1', 'send(' || k || ')',
      'javascript', 'ok', 'Your program finished.', k >= pass_at, CASE WHEN k >= pass_at THEN 100 ELSE 40 END,
      (SELECT jsonb_agg(jsonb_build_object('id', c, 'title', c, 'passed', k >= pass_at OR i = 1, 'required', true,
        'weight', 1, 'message', 'm')) FROM jsonb_array_elements_text(x->'checks') WITH ORDINALITY AS t(c, i)),
      '[]'::jsonb, false, 4, 3.5, 7, 2500, now() - (20 - k) * interval '1 minute',
      now() - (20 - k) * interval '1 minute', now() - (20 - k) * interval '1 minute'
    FROM sessions s
    CROSS JOIN jsonb_array_elements('${exerciseJson}'::jsonb) AS x
    CROSS JOIN generate_series(1, ${SUBMISSIONS}) AS k
    CROSS JOIN LATERAL (SELECT 1 + (hashtext(s.learner_id::text || (x->>'exercise')) & 31) AS pass_at) AS p`);
  await run(`
    WITH ex AS (
      SELECT x->>'lesson' AS lesson, x->>'exercise' AS exercise,
        ARRAY(SELECT jsonb_array_elements_text(x->'checks'))::varchar[] AS checks
      FROM jsonb_array_elements('${exerciseJson}'::jsonb) x)
    INSERT INTO progress (learner_id, lesson_id, exercise_id, attempts, best_score, passed, first_passed_at,
      last_activity_at, last_submission_id, last_passed, last_score, last_outcome, last_failed_check,
      failed_checks, ever_failed_checks, last_wire, last_code_hash, same_code_streak, same_failure_streak,
      attempts_to_pass)
    SELECT s.learner_id, s.lesson_id, s.exercise_id, count(*), max(s.score), bool_or(s.passed),
      min(s.finished_at) FILTER (WHERE s.passed), max(s.finished_at),
      (array_agg(s.id ORDER BY s.created_at DESC))[1], bool_or(s.passed), max(s.score), 'ok',
      CASE WHEN bool_or(s.passed) THEN NULL ELSE min(ex.checks[2]) END,
      CASE WHEN bool_or(s.passed) THEN ARRAY[]::varchar[] ELSE min(ex.checks[2:]) END,
      CASE WHEN bool_and(s.passed) THEN ARRAY[]::varchar[] ELSE min(ex.checks[2:]) END,
      (ARRAY[${WIRES.map((w) => `'${w}'`).join(",")}])[1 + (hashtext(s.learner_id::text) & 3)],
      md5(s.learner_id::text), 1 + (hashtext(s.exercise_id || s.learner_id::text) & 3),
      count(*) FILTER (WHERE NOT s.passed),
      CASE WHEN bool_or(s.passed) THEN count(*) FILTER (WHERE NOT s.passed) + 1 END
    FROM submissions s
    JOIN enrolments e ON e.learner_id = s.learner_id AND e.class_id = '${classId}'::uuid
    JOIN ex ON ex.lesson = s.lesson_id AND ex.exercise = s.exercise_id
    GROUP BY s.learner_id, s.lesson_id, s.exercise_id`);
  await run("ANALYZE progress, enrolments, learners, submissions");
}

if (import.meta.url === `file://${process.argv[1]}`) await bench(); // run alone: node --import tsx bench/teacher.ts
