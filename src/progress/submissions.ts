// Sessions, submissions with their traces, and the progress they add up to. A submission and
// the progress it changes are written in one transaction, after the run: a caller is only told
// "stored" once both are committed.
import { hash, randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";
import type { Sql, Statement } from "./database.ts";
import type { GradedRun } from "../grading/types.ts";
import type { Language } from "../runner/types.ts";
import { isUniqueViolation } from "./errors.ts";
import { toStorableJson, toStorableText } from "./storable-text.ts";
import { packetsOfStored, storedPacketsJson } from "./stored-trace.ts";
import { newSeed } from "./tokens.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SessionRecord {
  id: string;
  learnerId: string;
  lessonId: string;
  seed: number;
  createdAt: Date;
}

export interface NewSubmission {
  /** Chosen before grading when the submission was accepted asynchronously; else a new one. */
  id?: string | undefined;
  learnerId: string;
  sessionId: string;
  code: string;
  language: Language;
  idempotencyKey?: string | undefined;
  startedAt: Date;
  finishedAt: Date;
  graded: GradedRun;
  /** Packets of the trace kept; the rest are counted but dropped. */
  traceMaxPackets: number;
}

const submissionColumns = {
  id: true,
  learnerId: true,
  sessionId: true,
  lessonId: true,
  exerciseId: true,
  lessonVersion: true,
  code: true,
  language: true,
  outcome: true,
  message: true,
  error: true,
  passed: true,
  score: true,
  checks: true,
  output: true,
  outputTruncated: true,
  packetCount: true,
  cpuMs: true,
  wallMs: true,
  virtualTimeUs: true,
  idempotencyKey: true,
  startedAt: true,
  finishedAt: true,
  createdAt: true,
} as const;

export type SubmissionRow = Prisma.SubmissionGetPayload<{ select: typeof submissionColumns }>;

export interface TraceRecord {
  packets: unknown[];
  totalPackets: number;
  truncated: boolean;
}

/** Position in a newest-first list: the last item of the previous page. */
export interface SubmissionCursor {
  createdAt: Date;
  id: string;
}

export interface ProgressRow {
  learnerId: string;
  lessonId: string;
  exerciseId: string;
  attempts: number;
  bestScore: number;
  passed: boolean;
  firstPassedAt: Date | null;
  lastActivityAt: Date;
  lastSubmissionId: string | null;
  lastPassed: boolean;
  lastScore: number;
  lastOutcome: string | null;
  /** The latest attempt's first failing check, when it failed. */
  lastFailedCheck: string | null;
  failedChecks: string[];
  everFailedChecks: string[];
  lastWire: string | null;
  sameCodeStreak: number;
  sameFailureStreak: number;
  attemptsToPass: number | null;
}

// Sessions never change once created, so the submission path keeps the ones it has seen and
// skips a round trip per submission. Bounded: cleared when full (a class is far smaller).
const SESSION_CACHE_ENTRIES = 10_000;

const findSessionStatement: Statement = {
  name: "packetlab_find_session",
  text: `SELECT id, learner_id AS "learnerId", lesson_id AS "lessonId", seed, created_at AS "createdAt"
    FROM sessions WHERE id = $1::uuid AND learner_id = $2::uuid`,
};

// The events a graded submission causes, in the Standard Webhooks envelope ({type, timestamp,
// data}). progress.changed only when the best score rose or the exercise became passed: CTEs see
// the table as it was before the statement, so `previous` is the row before this submission.
const outboxEvents = `SELECT 'submission.graded' AS type, jsonb_build_object(
        'type', 'submission.graded', 'timestamp', ${isoMillis("s.finished_at")},
        'data', jsonb_build_object('submissionId', s.id, 'learnerId', s.learner_id, 'lessonId', s.lesson_id,
          'exerciseId', s.exercise_id, 'passed', s.passed, 'score', s.score, 'outcome', $9::text,
          'finishedAt', ${isoMillis("s.finished_at")})) AS payload
      FROM submission s
      UNION ALL
      SELECT 'progress.changed', jsonb_build_object(
        'type', 'progress.changed', 'timestamp', ${isoMillis("s.finished_at")},
        'data', jsonb_build_object('learnerId', p.learner_id, 'lessonId', p.lesson_id, 'exerciseId', p.exercise_id,
          'attempts', p.attempts, 'bestScore', p.best_score, 'passed', p.passed,
          'firstPassedAt', ${isoMillis("p.first_passed_at")}))
      FROM submission s CROSS JOIN progress_row p
      WHERE NOT EXISTS (SELECT 1 FROM previous)
        OR EXISTS (SELECT 1 FROM previous o WHERE p.best_score > o.best_score OR (p.passed AND NOT o.passed))`;

// One outbox row per event and enabled endpoint that wants it: the operator's endpoints hear
// about everyone, a teacher's about the learners of their classes.
const outboxDeliveries = `INSERT INTO outbox (id, kind, target_id, ordering_key, event_type, payload)
      SELECT gen_random_uuid(), 'webhook', w.id, w.id::text || ':' || $2::uuid::text, e.type, e.payload
      FROM events e JOIN webhook_endpoints w ON w.enabled AND e.type = ANY (w.events)
      WHERE w.teacher_id IS NULL OR EXISTS (
        SELECT 1 FROM enrolments en JOIN classes c ON c.id = en.class_id
        WHERE en.learner_id = $2::uuid AND c.teacher_id = w.teacher_id)
      RETURNING 1`;

// LTI AGS: when the learner's progress on the exercise changed, one score delivery per line item
// of that exercise in a class of theirs, for LMS users who are this learner (never instructors:
// they map to teachers, who do not submit). Each carries the progress it reports, so the
// platform sees every change in order even when an earlier delivery was retried.
const outboxScores = `INSERT INTO outbox (id, kind, target_id, ordering_key, event_type, payload)
      SELECT gen_random_uuid(), 'lti-score', li.id, li.id::text || ':' || $2::uuid::text, 'lti.score',
        jsonb_build_object('lineItemId', li.id, 'learnerId', $2::uuid, 'bestScore', p.best_score,
          'passed', p.passed)
      FROM lti_line_items li CROSS JOIN progress_row p
      JOIN enrolments en ON en.class_id = li.class_id AND en.learner_id = $2::uuid
      WHERE li.lesson_id = $4 AND li.exercise_id = $5
        AND EXISTS (SELECT 1 FROM events WHERE type = 'progress.changed')
        AND EXISTS (SELECT 1 FROM lti_users u
          WHERE u.registration_id = li.registration_id AND u.learner_id = $2::uuid)
      RETURNING 1`;

function isoMillis(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

// One statement writes the submission, its trace and the progress row: atomic without a
// BEGIN/COMMIT round trip. Prepared once per connection; it returns only what the database
// chose (created_at) and how many outbox rows it wrote: the rest of the row is what was sent,
// so nothing is read back.
// The progress upsert cannot lose an attempt or lower the best score under concurrency.
const recordStatement: Statement = {
  name: "packetlab_record_submission",
  text: `WITH submission AS (
      INSERT INTO submissions (id, learner_id, session_id, lesson_id, exercise_id, lesson_version, code, language,
        outcome, message, error, passed, score, checks, output, output_truncated, packet_count, cpu_ms, wall_ms,
        virtual_time_us, idempotency_key, started_at, finished_at)
      VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::boolean, $13::integer,
        $14::jsonb, $15::jsonb, $16::boolean, $17::integer, $18::float8, $19::float8, $20::bigint, $21,
        $22::timestamptz, $23::timestamptz)
      RETURNING id, learner_id, lesson_id, exercise_id, score, passed, finished_at, created_at
    ), trace AS (
      INSERT INTO submission_traces (submission_id, packets, total_packets, truncated)
      SELECT id, $24::jsonb, $17::integer, $25::boolean FROM submission
    ), previous AS (
      SELECT best_score, passed FROM progress
      WHERE learner_id = $2::uuid AND lesson_id = $4 AND exercise_id = $5
    ), failed AS (
      SELECT ARRAY(SELECT jsonb_array_elements_text($27::jsonb))::varchar(100)[] AS checks
    ), progress_row AS (
      INSERT INTO progress (learner_id, lesson_id, exercise_id, attempts, best_score, passed, first_passed_at,
        last_activity_at, last_submission_id, last_passed, last_score, last_outcome, last_failed_check,
        failed_checks, ever_failed_checks, last_wire, last_code_hash, same_code_streak, same_failure_streak,
        attempts_to_pass)
      SELECT learner_id, lesson_id, exercise_id, 1, score, passed, CASE WHEN passed THEN finished_at END,
        finished_at, id, passed, score, $9, CASE WHEN NOT passed THEN failed.checks[1] END, failed.checks,
        failed.checks, $28, $26, 1, CASE WHEN passed THEN 0 ELSE 1 END, CASE WHEN passed THEN 1 END
      FROM submission, failed
      ON CONFLICT (learner_id, lesson_id, exercise_id) DO UPDATE SET
        attempts = progress.attempts + 1,
        best_score = GREATEST(progress.best_score, EXCLUDED.best_score),
        passed = progress.passed OR EXCLUDED.passed,
        first_passed_at = COALESCE(progress.first_passed_at, EXCLUDED.first_passed_at),
        last_activity_at = GREATEST(progress.last_activity_at, EXCLUDED.last_activity_at),
        last_submission_id = EXCLUDED.last_submission_id,
        last_passed = EXCLUDED.last_passed,
        last_score = EXCLUDED.last_score,
        last_outcome = EXCLUDED.last_outcome,
        last_failed_check = EXCLUDED.last_failed_check,
        failed_checks = EXCLUDED.failed_checks,
        ever_failed_checks = ARRAY(
          SELECT DISTINCT unnest(progress.ever_failed_checks || EXCLUDED.failed_checks) ORDER BY 1),
        last_wire = EXCLUDED.last_wire,
        last_code_hash = EXCLUDED.last_code_hash,
        same_code_streak = CASE WHEN progress.last_code_hash = EXCLUDED.last_code_hash
          THEN progress.same_code_streak + 1 ELSE 1 END,
        same_failure_streak = CASE WHEN EXCLUDED.last_failed_check IS NULL THEN 0
          WHEN progress.last_failed_check = EXCLUDED.last_failed_check
          THEN progress.same_failure_streak + 1 ELSE 1 END,
        attempts_to_pass = COALESCE(progress.attempts_to_pass,
          CASE WHEN EXCLUDED.passed THEN progress.attempts + 1 END)
      RETURNING learner_id, lesson_id, exercise_id, attempts, best_score, passed, first_passed_at
    ), events AS (
      ${outboxEvents}
    ), deliveries AS (
      ${outboxDeliveries}
    ), scores AS (
      ${outboxScores}
    )
    SELECT created_at AS "createdAt",
      ((SELECT count(*) FROM deliveries) + (SELECT count(*) FROM scores))::integer AS "outboxRows"
    FROM submission`,
};

export function createSubmissions(prisma: PrismaClient, sql: Sql) {
  const sessions = new Map<string, SessionRecord>();

  async function findByKey(learnerId: string, idempotencyKey: string) {
    return prisma.submission.findUnique({
      where: { learnerId_idempotencyKey: { learnerId, idempotencyKey } },
      select: submissionColumns,
    });
  }

  return {
    createSession(learnerId: string, lessonId: string): Promise<SessionRecord> {
      return prisma.session.create({ data: { learnerId, lessonId, seed: newSeed() } });
    },

    /** The learner's sessions, newest first, ordered by (createdAt, id) like submissions. */
    listSessions(
      learnerId: string,
      page: { limit: number; after?: SubmissionCursor | undefined; lessonId?: string | undefined },
    ): Promise<SessionRecord[]> {
      const { after } = page;
      return prisma.session.findMany({
        where: {
          learnerId,
          ...(page.lessonId ? { lessonId: page.lessonId } : {}),
          ...(after
            ? {
                OR: [
                  { createdAt: { lt: after.createdAt } },
                  { createdAt: after.createdAt, id: { lt: after.id } },
                ],
              }
            : {}),
        },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: page.limit,
        select: { id: true, learnerId: true, lessonId: true, seed: true, createdAt: true },
      });
    },

    /** The learner's own session; other learners' sessions are indistinguishable from absent. */
    async findSession(learnerId: string, sessionId: string): Promise<SessionRecord | null> {
      const cached = sessions.get(sessionId);
      if (cached) return cached.learnerId === learnerId ? cached : null;
      if (!UUID.test(sessionId) || !UUID.test(learnerId)) return null;
      const [found] = await sql.query<SessionRecord>(findSessionStatement, [sessionId, learnerId]);
      if (!found) return null;
      if (sessions.size >= SESSION_CACHE_ENTRIES) sessions.clear();
      sessions.set(sessionId, found);
      return found;
    },

    findByIdempotencyKey: findByKey,

    /**
     * Stores a graded run and updates progress, atomically. With an idempotency key that is
     * already stored (a concurrent duplicate won the race), returns the stored one instead.
     * The trace is stored without its dissection (stored-trace.ts).
     */
    async record(
      input: NewSubmission,
    ): Promise<{ row: SubmissionRow; replayed: boolean; outboxRows: number }> {
      const { graded } = input;
      const { run, grade } = graded;
      const kept = Math.min(run.packets.length, input.traceMaxPackets);
      const id = input.id ?? randomUUID();
      const virtualTimeUs = Math.round(run.virtualTimeUs);
      try {
        const [stored] = await sql.query<{ createdAt: Date; outboxRows: number }>(recordStatement, [
          id,
          input.learnerId,
          input.sessionId,
          graded.lessonId,
          graded.exerciseId,
          graded.lessonVersion,
          // What the learner wrote or their program produced, in its storable form (NUL and
          // lone surrogates escaped, storable-text.ts); Prisma's reads turn it back.
          toStorableText(input.code),
          input.language,
          run.outcome,
          toStorableText(run.message),
          run.error ? toStorableJson(JSON.stringify(run.error)) : null,
          grade.passed,
          grade.score,
          toStorableJson(JSON.stringify(grade.checks)),
          toStorableJson(JSON.stringify(run.output)),
          run.outputTruncated,
          run.packets.length,
          run.cpuMs,
          run.wallMs,
          String(virtualTimeUs),
          input.idempotencyKey === undefined ? null : toStorableText(input.idempotencyKey),
          input.startedAt,
          input.finishedAt,
          toStorableJson(storedPacketsJson(run.packets.slice(0, kept))),
          kept < run.packets.length,
          hash("sha256", input.code, "hex"),
          JSON.stringify(grade.checks.filter((check) => !check.passed).map((check) => check.id)),
          graded.wire ?? null,
        ]);
        const row: SubmissionRow = {
          id,
          learnerId: input.learnerId,
          sessionId: input.sessionId,
          lessonId: graded.lessonId,
          exerciseId: graded.exerciseId,
          lessonVersion: graded.lessonVersion,
          code: input.code,
          language: input.language,
          outcome: run.outcome,
          message: run.message,
          error: (run.error ?? null) as SubmissionRow["error"],
          passed: grade.passed,
          score: grade.score,
          checks: grade.checks as unknown as SubmissionRow["checks"],
          output: run.output as unknown as SubmissionRow["output"],
          outputTruncated: run.outputTruncated,
          packetCount: run.packets.length,
          cpuMs: run.cpuMs,
          wallMs: run.wallMs,
          virtualTimeUs: BigInt(virtualTimeUs),
          idempotencyKey: input.idempotencyKey ?? null,
          startedAt: input.startedAt,
          finishedAt: input.finishedAt,
          createdAt: stored!.createdAt,
        };
        return { row, replayed: false, outboxRows: stored!.outboxRows };
      } catch (error) {
        if (input.idempotencyKey && isUniqueViolation(error)) {
          const existing = await findByKey(input.learnerId, input.idempotencyKey);
          // The winner wrote (and announced) the outbox rows of this submission.
          if (existing) return { row: existing, replayed: true, outboxRows: 0 };
        }
        throw error;
      }
    },

    findSubmission(id: string): Promise<SubmissionRow | null> {
      return prisma.submission.findUnique({ where: { id }, select: submissionColumns });
    },

    /** Newest first, stable under concurrent inserts: ordered by (createdAt, id). */
    listSubmissions(
      learnerId: string,
      page: {
        limit: number;
        after?: SubmissionCursor | undefined;
        lessonId?: string;
        exerciseId?: string;
      },
    ): Promise<SubmissionRow[]> {
      const { after } = page;
      return prisma.submission.findMany({
        where: {
          learnerId,
          ...(page.lessonId ? { lessonId: page.lessonId } : {}),
          ...(page.exerciseId ? { exerciseId: page.exerciseId } : {}),
          ...(after
            ? {
                OR: [
                  { createdAt: { lt: after.createdAt } },
                  { createdAt: after.createdAt, id: { lt: after.id } },
                ],
              }
            : {}),
        },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: page.limit,
        select: submissionColumns,
      });
    },

    async findTrace(submissionId: string): Promise<TraceRecord | null> {
      const row = await prisma.submissionTrace.findUnique({ where: { submissionId } });
      if (!row) return null;
      return {
        packets: packetsOfStored(row.packets as unknown[]),
        totalPackets: row.totalPackets,
        truncated: row.truncated,
      };
    },

    learnerProgress(learnerId: string): Promise<ProgressRow[]> {
      return prisma.progress.findMany({
        where: { learnerId },
        orderBy: [{ lessonId: "asc" }, { exerciseId: "asc" }],
      });
    },
  };
}

export type Submissions = ReturnType<typeof createSubmissions>;
