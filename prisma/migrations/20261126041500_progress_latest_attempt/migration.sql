-- AlterTable
ALTER TABLE "progress" ADD COLUMN     "attempts_to_pass" INTEGER,
ADD COLUMN     "ever_failed_checks" VARCHAR(100)[] DEFAULT ARRAY[]::VARCHAR(100)[],
ADD COLUMN     "failed_checks" VARCHAR(100)[] DEFAULT ARRAY[]::VARCHAR(100)[],
ADD COLUMN     "last_code_hash" CHAR(64),
ADD COLUMN     "last_failed_check" VARCHAR(100),
ADD COLUMN     "last_outcome" VARCHAR(30),
ADD COLUMN     "last_passed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "last_score" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "last_submission_id" UUID,
ADD COLUMN     "last_wire" VARCHAR(300),
ADD COLUMN     "same_code_streak" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "same_failure_streak" INTEGER NOT NULL DEFAULT 0;


-- Backfill from each row's latest submission, so existing classes show their latest results.
UPDATE "progress" p SET
    "last_submission_id" = s."id",
    "last_passed" = s."passed",
    "last_score" = s."score",
    "last_outcome" = s."outcome",
    "failed_checks" = s."failed",
    "ever_failed_checks" = s."failed",
    "last_failed_check" = s."failed"[1],
    "same_code_streak" = 1,
    "same_failure_streak" = CASE WHEN s."passed" THEN 0 ELSE 1 END
FROM (
    SELECT DISTINCT ON ("learner_id", "lesson_id", "exercise_id")
        "id", "learner_id", "lesson_id", "exercise_id", "passed", "score", "outcome",
        ARRAY(SELECT c->>'id' FROM jsonb_array_elements("checks") AS c
              WHERE (c->>'passed')::boolean = false)::VARCHAR(100)[] AS "failed"
    FROM "submissions"
    ORDER BY "learner_id", "lesson_id", "exercise_id", "created_at" DESC, "id" DESC
) s
WHERE s."learner_id" = p."learner_id" AND s."lesson_id" = p."lesson_id" AND s."exercise_id" = p."exercise_id";

UPDATE "progress" p SET "attempts_to_pass" = (
    SELECT count(*)::int FROM "submissions" s
    WHERE s."learner_id" = p."learner_id" AND s."lesson_id" = p."lesson_id"
      AND s."exercise_id" = p."exercise_id" AND s."finished_at" <= p."first_passed_at")
WHERE p."passed";
