// What a teacher sees of a class: each learner's progress, and per-exercise statistics.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { ProgressRow } from "./submissions.ts";

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
  /** The check that failed in the most submissions, with how often. */
  mostFailedCheck: { id: string; failures: number } | null;
}

export function createReports(prisma: PrismaClient) {
  return {
    async classLearners(classId: string): Promise<ClassLearner[]> {
      const rows = await prisma.enrolment.findMany({
        where: { classId },
        include: { learner: { select: { id: true, displayName: true } } },
        orderBy: [{ joinedAt: "asc" }, { learnerId: "asc" }],
      });
      return rows.map((row) => ({ ...row.learner, joinedAt: row.joinedAt }));
    },

    classProgress(classId: string): Promise<ProgressRow[]> {
      return prisma.progress.findMany({
        where: { learner: { enrolments: { some: { classId } } } },
      });
    },

    async exerciseStats(classId: string): Promise<ExerciseStatsRow[]> {
      const totals = await prisma.$queryRaw<
        {
          lesson_id: string;
          exercise_id: string;
          attempted: number;
          passed: number;
          attempts: number;
          average: number;
        }[]
      >`
        SELECT p.lesson_id, p.exercise_id,
               count(*)::int AS attempted,
               count(*) FILTER (WHERE p.passed)::int AS passed,
               sum(p.attempts)::int AS attempts,
               avg(p.best_score)::float8 AS average
        FROM progress p JOIN enrolments e ON e.learner_id = p.learner_id
        WHERE e.class_id = ${classId}::uuid
        GROUP BY p.lesson_id, p.exercise_id`;
      // Which required check fails most often, counted over every failed submission.
      const failures = await prisma.$queryRaw<
        { lesson_id: string; exercise_id: string; check_id: string; failures: number }[]
      >`
        SELECT DISTINCT ON (s.lesson_id, s.exercise_id) s.lesson_id, s.exercise_id,
               c.value->>'id' AS check_id, count(*)::int AS failures
        FROM submissions s
        JOIN enrolments e ON e.learner_id = s.learner_id
        CROSS JOIN LATERAL jsonb_array_elements(s.checks) AS c(value)
        WHERE e.class_id = ${classId}::uuid AND (c.value->>'passed')::boolean = false
        GROUP BY s.lesson_id, s.exercise_id, c.value->>'id'
        ORDER BY s.lesson_id, s.exercise_id, count(*) DESC, c.value->>'id'`;
      return totals.map((row) => {
        const failed = failures.find(
          (f) => f.lesson_id === row.lesson_id && f.exercise_id === row.exercise_id,
        );
        return {
          lessonId: row.lesson_id,
          exerciseId: row.exercise_id,
          learnersAttempted: row.attempted,
          learnersPassed: row.passed,
          attempts: row.attempts,
          averageBestScore: Math.round(row.average * 10) / 10,
          mostFailedCheck: failed ? { id: failed.check_id, failures: failed.failures } : null,
        };
      });
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
