// What a teacher sees of a class: each learner's progress, and per-exercise statistics. Each
// answer is one or two aggregate queries over the progress table (one row per learner and
// exercise, kept current with each submission), never a scan of the submissions.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Sql, Statement } from "./database.ts";

export interface ClassLearner {
  id: string;
  displayName: string;
  joinedAt: Date;
}

export interface ExerciseStatsRow {
  lessonId: string;
  exerciseId: string;
  learnersAttempted: number;
  learnersPassed: number;
  attempts: number;
  averageBestScore: number;
  /** Learners who have not passed and look stuck (thresholds as the matrix's stuck signal). */
  learnersStuck: number;
  /** Median of attempts up to and including the first pass, over learners who passed. */
  medianAttemptsToPass: number | null;
}

/** How many learners failed one check of one exercise. */
export interface CheckFailuresRow {
  lessonId: string;
  exerciseId: string;
  checkId: string;
  /** Learners who failed it in any attempt. */
  learnersEver: number;
  /** Learners whose latest attempt fails it. */
  learnersNow: number;
  /** Learners whose latest attempt fails it first (the root cause; checks are in dependency order). */
  learnersFirst: number;
}

/** Learners whose latest (failed) attempt did the same thing on the wire. */
export interface WrongAnswerRow {
  lessonId: string;
  exerciseId: string;
  wire: string;
  learners: number;
  /** The check most of them fail first. */
  firstFailedCheck: string | null;
}

/** When a learner who has not passed looks stuck (src/http/class-report.ts: STUCK_AFTER). */
export interface StuckThresholds {
  sameCode: number;
  sameFailure: number;
  attempts: number;
}

// The matrix's two reads run on every dashboard refresh and return thousands of rows: plain
// prepared statements, without the ORM's per-row cost.
const classLearnersStatement: Statement = {
  name: "packetlab_class_learners",
  text: `SELECT l.id, l.display_name AS "displayName", e.joined_at AS "joinedAt"
    FROM enrolments e JOIN learners l ON l.id = e.learner_id
    WHERE e.class_id = $1::uuid
    ORDER BY e.joined_at, e.learner_id`,
};

// Timestamps travel as epoch milliseconds and no arrays are read: parsing those is most of the
// cost of thousands of rows.
const classProgressStatement: Statement = {
  name: "packetlab_class_progress",
  text: `SELECT p.learner_id AS "learnerId", p.lesson_id AS "lessonId", p.exercise_id AS "exerciseId",
      p.attempts, p.best_score AS "bestScore", p.passed,
      (extract(epoch FROM p.last_activity_at) * 1000)::float8 AS "lastActivityMs",
      p.last_submission_id AS "lastSubmissionId", p.last_passed AS "lastPassed",
      p.last_score AS "lastScore", p.last_outcome AS "lastOutcome",
      p.last_failed_check AS "lastFailedCheck", p.same_code_streak AS "sameCodeStreak",
      p.same_failure_streak AS "sameFailureStreak"
    FROM progress p JOIN enrolments e ON e.learner_id = p.learner_id
    WHERE e.class_id = $1::uuid`,
};

/** One learner on one exercise, as the class matrix needs it. */
export interface MatrixRow {
  learnerId: string;
  lessonId: string;
  exerciseId: string;
  attempts: number;
  bestScore: number;
  passed: boolean;
  lastActivityMs: number;
  lastSubmissionId: string | null;
  lastPassed: boolean;
  lastScore: number;
  lastOutcome: string | null;
  lastFailedCheck: string | null;
  sameCodeStreak: number;
  sameFailureStreak: number;
}

export function createReports(prisma: PrismaClient, sql: Sql) {
  return {
    activity: (classId: string, since: Date, limit: number) =>
      classActivity(sql, classId, since, limit),

    joins: (classId: string, since: Date, limit: number) => classJoins(sql, classId, since, limit),

    classEvents: (classId: string, since: Date, limit: number) =>
      classEvents(sql, classId, since, limit),

    classLearners(classId: string): Promise<ClassLearner[]> {
      return sql.query<ClassLearner>(classLearnersStatement, [classId]);
    },

    classProgress(classId: string): Promise<MatrixRow[]> {
      return sql.query<MatrixRow>(classProgressStatement, [classId]);
    },

    async exerciseStats(classId: string, stuckAfter: StuckThresholds): Promise<ExerciseStatsRow[]> {
      const rows = await prisma.$queryRaw<
        (Omit<ExerciseStatsRow, "averageBestScore"> & { average: number })[]
      >`
        SELECT p.lesson_id AS "lessonId", p.exercise_id AS "exerciseId",
               count(*)::int AS "learnersAttempted",
               count(*) FILTER (WHERE p.passed)::int AS "learnersPassed",
               sum(p.attempts)::int AS attempts,
               avg(p.best_score)::float8 AS average,
               count(*) FILTER (WHERE NOT p.passed AND (
                 p.same_code_streak >= ${stuckAfter.sameCode}
                 OR (p.last_failed_check IS NOT NULL AND p.same_failure_streak >= ${stuckAfter.sameFailure})
                 OR p.attempts >= ${stuckAfter.attempts}))::int AS "learnersStuck",
               (percentile_cont(0.5) WITHIN GROUP (ORDER BY p.attempts_to_pass)
                 FILTER (WHERE p.attempts_to_pass IS NOT NULL))::float8 AS "medianAttemptsToPass"
        FROM progress p JOIN enrolments e ON e.learner_id = p.learner_id
        WHERE e.class_id = ${classId}::uuid
        GROUP BY p.lesson_id, p.exercise_id`;
      return rows.map(({ average, ...row }) => ({
        ...row,
        averageBestScore: Math.round(average * 10) / 10,
      }));
    },

    checkFailures(classId: string): Promise<CheckFailuresRow[]> {
      return prisma.$queryRaw<CheckFailuresRow[]>`
        SELECT p.lesson_id AS "lessonId", p.exercise_id AS "exerciseId", c.check_id AS "checkId",
               count(*)::int AS "learnersEver",
               count(*) FILTER (WHERE c.check_id = ANY (p.failed_checks))::int AS "learnersNow",
               count(*) FILTER (WHERE c.check_id = p.last_failed_check)::int AS "learnersFirst"
        FROM progress p JOIN enrolments e ON e.learner_id = p.learner_id
        CROSS JOIN LATERAL unnest(p.ever_failed_checks) AS c(check_id)
        WHERE e.class_id = ${classId}::uuid
        GROUP BY p.lesson_id, p.exercise_id, c.check_id`;
    },

    /** The most common wrong answers per exercise, `limit` of each, most learners first. */
    wrongAnswers(classId: string, limit: number): Promise<WrongAnswerRow[]> {
      return prisma.$queryRaw<WrongAnswerRow[]>`
        SELECT "lessonId", "exerciseId", wire, learners, "firstFailedCheck" FROM (
          SELECT p.lesson_id AS "lessonId", p.exercise_id AS "exerciseId", p.last_wire AS wire,
                 count(*)::int AS learners,
                 mode() WITHIN GROUP (ORDER BY p.last_failed_check) AS "firstFailedCheck",
                 row_number() OVER (PARTITION BY p.lesson_id, p.exercise_id
                                    ORDER BY count(*) DESC, p.last_wire) AS rank
          FROM progress p JOIN enrolments e ON e.learner_id = p.learner_id
          WHERE e.class_id = ${classId}::uuid AND NOT p.last_passed AND p.last_wire IS NOT NULL
          GROUP BY p.lesson_id, p.exercise_id, p.last_wire
        ) ranked
        WHERE rank <= ${limit}
        ORDER BY "lessonId", "exerciseId", rank`;
    },
  };
}

export type Reports = ReturnType<typeof createReports>;

/** A submission as the class activity feed shows it. */
export interface ActivityRow {
  submissionId: string;
  learnerId: string;
  displayName: string;
  lessonId: string;
  exerciseId: string;
  passed: boolean;
  score: number;
  outcome: string;
  firstFailedCheck: string | null;
  createdAt: Date;
  /** The learner's progress on the exercise as it is now (null if merged away meanwhile). */
  progress: MatrixRow | null;
}

/** A learner joining the class, as the class activity feed shows it. */
export interface JoinRow {
  learnerId: string;
  displayName: string;
  joinedAt: Date;
}

// The newest submissions are found per learner first (a few index probes of learner_id,
// created_at each), so opening a feed on a class with tens of thousands of submissions does not
// sort them all. The progress row comes along (read now, so it is the cell's latest state even
// for an older submission): a teacher's matrix replaces the cell with it instead of asking for
// the matrix.
const classActivityStatement: Statement = {
  name: "packetlab_class_activity",
  text: `SELECT s.id AS "submissionId", s.learner_id AS "learnerId", l.display_name AS "displayName",
      s.lesson_id AS "lessonId", s.exercise_id AS "exerciseId", s.passed, s.score, s.outcome,
      (SELECT c->>'id' FROM jsonb_array_elements(s.checks) AS c
       WHERE NOT (c->>'passed')::boolean LIMIT 1) AS "firstFailedCheck",
      s.created_at AS "createdAt",
      p.attempts, p.best_score AS "bestScore", p.passed AS "progressPassed",
      (extract(epoch FROM p.last_activity_at) * 1000)::float8 AS "lastActivityMs",
      p.last_submission_id AS "lastSubmissionId", p.last_passed AS "lastPassed",
      p.last_score AS "lastScore", p.last_outcome AS "lastOutcome",
      p.last_failed_check AS "lastFailedCheck", p.same_code_streak AS "sameCodeStreak",
      p.same_failure_streak AS "sameFailureStreak"
    FROM (
      SELECT recent.id FROM enrolments e
      CROSS JOIN LATERAL (
        SELECT r.id, r.created_at FROM submissions r
        WHERE r.learner_id = e.learner_id AND r.created_at >= $2::timestamptz
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT $3::integer
      ) recent
      WHERE e.class_id = $1::uuid
      ORDER BY recent.created_at DESC, recent.id DESC
      LIMIT $3::integer
    ) newest
    JOIN submissions s ON s.id = newest.id
    JOIN learners l ON l.id = s.learner_id
    LEFT JOIN progress p ON p.learner_id = s.learner_id AND p.lesson_id = s.lesson_id
      AND p.exercise_id = s.exercise_id
    ORDER BY s.created_at DESC, s.id DESC`,
};

type ActivityQueryRow = Omit<ActivityRow, "progress"> &
  Omit<MatrixRow, "learnerId" | "lessonId" | "exerciseId" | "passed" | "attempts"> & {
    attempts: number | null;
    progressPassed: boolean;
  };

/** The class's submissions made at or after `since`, newest first, at most `limit`. */
export async function classActivity(
  sql: Sql,
  classId: string,
  since: Date,
  limit: number,
): Promise<ActivityRow[]> {
  const rows = await sql.query<ActivityQueryRow>(classActivityStatement, [classId, since, limit]);
  return rows.map((row) => ({
    submissionId: row.submissionId,
    learnerId: row.learnerId,
    displayName: row.displayName,
    lessonId: row.lessonId,
    exerciseId: row.exerciseId,
    passed: row.passed,
    score: row.score,
    outcome: row.outcome,
    firstFailedCheck: row.firstFailedCheck,
    createdAt: row.createdAt,
    progress:
      row.attempts === null
        ? null
        : {
            learnerId: row.learnerId,
            lessonId: row.lessonId,
            exerciseId: row.exerciseId,
            attempts: row.attempts,
            bestScore: row.bestScore,
            passed: row.progressPassed,
            lastActivityMs: row.lastActivityMs,
            lastSubmissionId: row.lastSubmissionId,
            lastPassed: row.lastPassed,
            lastScore: row.lastScore,
            lastOutcome: row.lastOutcome,
            lastFailedCheck: row.lastFailedCheck,
            sameCodeStreak: row.sameCodeStreak,
            sameFailureStreak: row.sameFailureStreak,
          },
  }));
}

const classJoinsStatement: Statement = {
  name: "packetlab_class_joins",
  text: `SELECT e.learner_id AS "learnerId", l.display_name AS "displayName", e.joined_at AS "joinedAt"
    FROM enrolments e JOIN learners l ON l.id = e.learner_id
    WHERE e.class_id = $1::uuid AND e.joined_at >= $2::timestamptz
    ORDER BY e.joined_at DESC, e.learner_id DESC
    LIMIT $3::integer`,
};

/** The class's learners who joined at or after `since`, newest first, at most `limit`. */
export function classJoins(
  sql: Sql,
  classId: string,
  since: Date,
  limit: number,
): Promise<JoinRow[]> {
  return sql.query<JoinRow>(classJoinsStatement, [classId, since, limit]);
}

/** A change to the roster or the class (class_events), as the class activity feed shows it. */
export interface ClassEventRow {
  id: string;
  type: "learner-renamed" | "learner-removed" | "learners-merged" | "class-updated";
  learnerId: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

// From the class, so one query also says whether the class still exists: its events cascade
// away with it, and the feed must tell an open dashboard it is gone. No class: no row. A class
// without events: one row of NULLs (the LEFT JOIN's).
const classEventsStatement: Statement = {
  name: "packetlab_class_events",
  text: `SELECT e.id, e.type, e.learner_id AS "learnerId", e.data, e.created_at AS "createdAt"
    FROM classes c
    LEFT JOIN LATERAL (
      SELECT id, type, learner_id, data, created_at FROM class_events
      WHERE class_id = c.id AND created_at >= $2::timestamptz
      ORDER BY created_at DESC, id DESC
      LIMIT $3::integer
    ) e ON true
    WHERE c.id = $1::uuid
    ORDER BY e.created_at DESC, e.id DESC`,
};

/**
 * The class's events made at or after `since`, newest first, at most `limit`; null when the
 * class is gone (deleted, or with its teacher).
 */
export async function classEvents(
  sql: Sql,
  classId: string,
  since: Date,
  limit: number,
): Promise<ClassEventRow[] | null> {
  const rows = await sql.query<ClassEventRow | { id: null }>(classEventsStatement, [
    classId,
    since,
    limit,
  ]);
  if (rows.length === 0) return null;
  return rows.filter((row): row is ClassEventRow => row.id !== null);
}
