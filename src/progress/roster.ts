// A teacher tidies a class: rename a learner, remove one, merge a learner who joined twice into
// the other, delete the class. A learner exists only through the classes they joined, so one
// removed from their last class is deleted with their work (sessions, submissions, tokens).
// Each change writes its class events (class_events) in the same statement or transaction, which
// the class's activity feed sends to the dashboards that have it open, whichever replica.
import type { PrismaClient } from "../generated/prisma/client.ts";

export interface RosterLearner {
  id: string;
  displayName: string;
  joinedAt: Date;
}

export function createRoster(prisma: PrismaClient) {
  /** Deletes the class's learners who are in no other class. */
  const onlyHere = (classId: string) => prisma.$queryRaw<{ id: string }[]>`
    DELETE FROM learners l
    WHERE l.id IN (SELECT learner_id FROM enrolments WHERE class_id = ${classId}::uuid)
      AND NOT EXISTS (SELECT 1 FROM enrolments o
                      WHERE o.learner_id = l.id AND o.class_id <> ${classId}::uuid)
    RETURNING l.id`;

  return {
    async findLearner(classId: string, learnerId: string): Promise<RosterLearner | null> {
      const [row] = await prisma.$queryRaw<RosterLearner[]>`
        SELECT l.id, l.display_name AS "displayName", e.joined_at AS "joinedAt"
        FROM learners l JOIN enrolments e ON e.learner_id = l.id
        WHERE l.id = ${learnerId}::uuid AND e.class_id = ${classId}::uuid`;
      return row ?? null;
    },

    /** The learner renamed, or null when the class has no such learner. */
    async renameLearner(
      classId: string,
      learnerId: string,
      displayName: string,
    ): Promise<RosterLearner | null> {
      // The name is the learner's in every class they are in: each class's feed hears of it.
      const [row] = await prisma.$queryRaw<RosterLearner[]>`
        WITH renamed AS (
          UPDATE learners l SET display_name = ${displayName}
          FROM enrolments e
          WHERE l.id = ${learnerId}::uuid AND e.learner_id = l.id AND e.class_id = ${classId}::uuid
          RETURNING l.id, l.display_name, e.joined_at),
        told AS (
          INSERT INTO class_events (class_id, type, learner_id, data)
          SELECT o.class_id, 'learner-renamed', r.id, jsonb_build_object('displayName', r.display_name)
          FROM renamed r JOIN enrolments o ON o.learner_id = r.id)
        SELECT id, display_name AS "displayName", joined_at AS "joinedAt" FROM renamed`;
      return row ?? null;
    },

    /** Takes the learner out of the class (deleting them if it was their only one). */
    async removeLearner(classId: string, learnerId: string): Promise<boolean> {
      // The learner's earlier events in the class (their names) go; the removal is told.
      const [[removed]] = await prisma.$transaction([
        prisma.$queryRaw<{ count: number }[]>`
          WITH removed AS (
            DELETE FROM enrolments WHERE class_id = ${classId}::uuid AND learner_id = ${learnerId}::uuid
            RETURNING learner_id),
          forgotten AS (
            DELETE FROM class_events WHERE class_id = ${classId}::uuid
              AND learner_id IN (SELECT learner_id FROM removed)),
          told AS (
            INSERT INTO class_events (class_id, type, learner_id, data)
            SELECT ${classId}::uuid, 'learner-removed', learner_id, '{}'::jsonb FROM removed)
          SELECT count(*)::int AS count FROM removed`,
        prisma.$executeRaw`
          DELETE FROM learners l WHERE l.id = ${learnerId}::uuid
            AND NOT EXISTS (SELECT 1 FROM enrolments o WHERE o.learner_id = l.id)`,
      ]);
      return (removed?.count ?? 0) > 0;
    },

    /**
     * Moves everything of `fromId` (sessions, submissions, tokens, other classes) to `intoId`,
     * adds up their progress, and deletes `fromId`. Both must be in the class.
     */
    async mergeLearners(classId: string, intoId: string, fromId: string): Promise<boolean> {
      const enrolled = await prisma.enrolment.count({
        where: { classId, learnerId: { in: [intoId, fromId] } },
      });
      if (intoId === fromId || enrolled !== 2) return false;
      await prisma.$transaction([
        // Every class the duplicate was in hears of it (its row goes, the other's changes),
        // and the duplicate's own earlier events (its names) go with it.
        prisma.$executeRaw`
          INSERT INTO class_events (class_id, type, learner_id, data)
          SELECT e.class_id, 'learners-merged', ${intoId}::uuid,
            jsonb_build_object('fromLearnerId', ${fromId}::text,
              'displayName', (SELECT display_name FROM learners WHERE id = ${intoId}::uuid))
          FROM enrolments e WHERE e.learner_id = ${fromId}::uuid`,
        prisma.$executeRaw`DELETE FROM class_events WHERE learner_id = ${fromId}::uuid`,
        // An idempotency key both used would collide once the rows share a learner.
        prisma.$executeRaw`
          UPDATE submissions SET idempotency_key = NULL
          WHERE learner_id = ${fromId}::uuid AND idempotency_key IN (
            SELECT idempotency_key FROM submissions
            WHERE learner_id = ${intoId}::uuid AND idempotency_key IS NOT NULL)`,
        prisma.$executeRaw`UPDATE submissions SET learner_id = ${intoId}::uuid WHERE learner_id = ${fromId}::uuid`,
        prisma.$executeRaw`UPDATE sessions SET learner_id = ${intoId}::uuid WHERE learner_id = ${fromId}::uuid`,
        prisma.$executeRaw`UPDATE api_tokens SET learner_id = ${intoId}::uuid WHERE learner_id = ${fromId}::uuid`,
        prisma.$executeRaw`DELETE FROM ws_tickets WHERE learner_id = ${fromId}::uuid`,
        // Attempts add up; the best and the first pass are kept; the latest attempt (and its
        // streaks) is whichever of the two is newer.
        prisma.$executeRaw`
          INSERT INTO progress (learner_id, lesson_id, exercise_id, attempts, best_score, passed,
            first_passed_at, last_activity_at, last_submission_id, last_passed, last_score, last_outcome,
            last_failed_check, failed_checks, ever_failed_checks, last_wire, last_code_hash,
            same_code_streak, same_failure_streak, attempts_to_pass)
          SELECT ${intoId}::uuid, lesson_id, exercise_id, attempts, best_score, passed, first_passed_at,
            last_activity_at, last_submission_id, last_passed, last_score, last_outcome, last_failed_check,
            failed_checks, ever_failed_checks, last_wire, last_code_hash, same_code_streak,
            same_failure_streak, attempts_to_pass
          FROM progress WHERE learner_id = ${fromId}::uuid
          ON CONFLICT (learner_id, lesson_id, exercise_id) DO UPDATE SET
            attempts = progress.attempts + EXCLUDED.attempts,
            best_score = GREATEST(progress.best_score, EXCLUDED.best_score),
            passed = progress.passed OR EXCLUDED.passed,
            first_passed_at = LEAST(progress.first_passed_at, EXCLUDED.first_passed_at),
            attempts_to_pass = CASE WHEN progress.first_passed_at IS NULL
              OR EXCLUDED.first_passed_at < progress.first_passed_at
              THEN EXCLUDED.attempts_to_pass ELSE progress.attempts_to_pass END,
            ever_failed_checks = ARRAY(SELECT DISTINCT unnest(
              progress.ever_failed_checks || EXCLUDED.ever_failed_checks) ORDER BY 1),
            last_submission_id = CASE WHEN EXCLUDED.last_activity_at > progress.last_activity_at THEN EXCLUDED.last_submission_id ELSE progress.last_submission_id END,
            last_passed = CASE WHEN EXCLUDED.last_activity_at > progress.last_activity_at THEN EXCLUDED.last_passed ELSE progress.last_passed END,
            last_score = CASE WHEN EXCLUDED.last_activity_at > progress.last_activity_at THEN EXCLUDED.last_score ELSE progress.last_score END,
            last_outcome = CASE WHEN EXCLUDED.last_activity_at > progress.last_activity_at THEN EXCLUDED.last_outcome ELSE progress.last_outcome END,
            last_failed_check = CASE WHEN EXCLUDED.last_activity_at > progress.last_activity_at THEN EXCLUDED.last_failed_check ELSE progress.last_failed_check END,
            failed_checks = CASE WHEN EXCLUDED.last_activity_at > progress.last_activity_at THEN EXCLUDED.failed_checks ELSE progress.failed_checks END,
            last_wire = CASE WHEN EXCLUDED.last_activity_at > progress.last_activity_at THEN EXCLUDED.last_wire ELSE progress.last_wire END,
            last_code_hash = CASE WHEN EXCLUDED.last_activity_at > progress.last_activity_at THEN EXCLUDED.last_code_hash ELSE progress.last_code_hash END,
            same_code_streak = CASE WHEN EXCLUDED.last_activity_at > progress.last_activity_at THEN EXCLUDED.same_code_streak ELSE progress.same_code_streak END,
            same_failure_streak = CASE WHEN EXCLUDED.last_activity_at > progress.last_activity_at THEN EXCLUDED.same_failure_streak ELSE progress.same_failure_streak END,
            last_activity_at = GREATEST(progress.last_activity_at, EXCLUDED.last_activity_at)`,
        prisma.$executeRaw`DELETE FROM progress WHERE learner_id = ${fromId}::uuid`,
        prisma.$executeRaw`
          INSERT INTO enrolments (class_id, learner_id, joined_at)
          SELECT class_id, ${intoId}::uuid, joined_at FROM enrolments WHERE learner_id = ${fromId}::uuid
          ON CONFLICT (class_id, learner_id) DO NOTHING`,
        prisma.$executeRaw`DELETE FROM learners WHERE id = ${fromId}::uuid`,
      ]);
      return true;
    },

    /**
     * Deletes the class, and the learners who were in no other class with their work; returns
     * the ids of the learners deleted.
     */
    async deleteClass(classId: string): Promise<string[]> {
      const [deleted] = await prisma.$transaction([
        onlyHere(classId),
        prisma.$executeRaw`DELETE FROM classes WHERE id = ${classId}::uuid`,
      ]);
      return deleted.map((row) => row.id);
    },
  };
}

export type Roster = ReturnType<typeof createRoster>;
