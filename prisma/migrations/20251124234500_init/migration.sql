-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "TokenRole" AS ENUM ('teacher', 'learner');

-- CreateTable
CREATE TABLE "teachers" (
    "id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "teachers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "classes" (
    "id" UUID NOT NULL,
    "teacher_id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "join_code" VARCHAR(32) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "classes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "learners" (
    "id" UUID NOT NULL,
    "display_name" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "learners_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "enrolments" (
    "class_id" UUID NOT NULL,
    "learner_id" UUID NOT NULL,
    "joined_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "enrolments_pkey" PRIMARY KEY ("class_id","learner_id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "role" "TokenRole" NOT NULL,
    "teacher_id" UUID,
    "learner_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ws_tickets" (
    "ticket_hash" CHAR(64) NOT NULL,
    "learner_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "ws_tickets_pkey" PRIMARY KEY ("ticket_hash")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "learner_id" UUID NOT NULL,
    "lesson_id" VARCHAR(100) NOT NULL,
    "seed" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "submissions" (
    "id" UUID NOT NULL,
    "learner_id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "lesson_id" VARCHAR(100) NOT NULL,
    "exercise_id" VARCHAR(100) NOT NULL,
    "lesson_version" VARCHAR(50) NOT NULL,
    "code" TEXT NOT NULL,
    "language" VARCHAR(20) NOT NULL,
    "outcome" VARCHAR(30) NOT NULL,
    "message" TEXT NOT NULL,
    "error" JSONB,
    "passed" BOOLEAN NOT NULL,
    "score" INTEGER NOT NULL,
    "checks" JSONB NOT NULL,
    "output" JSONB NOT NULL,
    "output_truncated" BOOLEAN NOT NULL,
    "packet_count" INTEGER NOT NULL,
    "cpu_ms" DOUBLE PRECISION NOT NULL,
    "wall_ms" DOUBLE PRECISION NOT NULL,
    "virtual_time_us" BIGINT NOT NULL,
    "idempotency_key" VARCHAR(200),
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "submissions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "submission_traces" (
    "submission_id" UUID NOT NULL,
    "packets" JSONB NOT NULL,
    "total_packets" INTEGER NOT NULL,
    "truncated" BOOLEAN NOT NULL,

    CONSTRAINT "submission_traces_pkey" PRIMARY KEY ("submission_id")
);

-- CreateTable
CREATE TABLE "progress" (
    "learner_id" UUID NOT NULL,
    "lesson_id" VARCHAR(100) NOT NULL,
    "exercise_id" VARCHAR(100) NOT NULL,
    "attempts" INTEGER NOT NULL,
    "best_score" INTEGER NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "first_passed_at" TIMESTAMPTZ(3),
    "last_activity_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "progress_pkey" PRIMARY KEY ("learner_id","lesson_id","exercise_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "classes_join_code_key" ON "classes"("join_code");

-- CreateIndex
CREATE INDEX "classes_teacher_id_created_at_idx" ON "classes"("teacher_id", "created_at");

-- CreateIndex
CREATE INDEX "enrolments_learner_id_idx" ON "enrolments"("learner_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "ws_tickets_expires_at_idx" ON "ws_tickets"("expires_at");

-- CreateIndex
CREATE INDEX "sessions_learner_id_created_at_idx" ON "sessions"("learner_id", "created_at");

-- CreateIndex
CREATE INDEX "submissions_learner_id_created_at_id_idx" ON "submissions"("learner_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "submissions_lesson_id_exercise_id_idx" ON "submissions"("lesson_id", "exercise_id");

-- CreateIndex
CREATE UNIQUE INDEX "submissions_learner_id_idempotency_key_key" ON "submissions"("learner_id", "idempotency_key");

-- AddForeignKey
ALTER TABLE "classes" ADD CONSTRAINT "classes_teacher_id_fkey" FOREIGN KEY ("teacher_id") REFERENCES "teachers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_class_id_fkey" FOREIGN KEY ("class_id") REFERENCES "classes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_learner_id_fkey" FOREIGN KEY ("learner_id") REFERENCES "learners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_teacher_id_fkey" FOREIGN KEY ("teacher_id") REFERENCES "teachers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_learner_id_fkey" FOREIGN KEY ("learner_id") REFERENCES "learners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_learner_id_fkey" FOREIGN KEY ("learner_id") REFERENCES "learners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_learner_id_fkey" FOREIGN KEY ("learner_id") REFERENCES "learners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submission_traces" ADD CONSTRAINT "submission_traces_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "submissions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "progress" ADD CONSTRAINT "progress_learner_id_fkey" FOREIGN KEY ("learner_id") REFERENCES "learners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

