-- CreateTable
CREATE TABLE "pending_submissions" (
    "id" UUID NOT NULL,
    "learner_id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "lesson_id" VARCHAR(100) NOT NULL,
    "exercise_id" VARCHAR(100) NOT NULL,
    "code" TEXT NOT NULL,
    "language" VARCHAR(20) NOT NULL,
    "idempotency_key" VARCHAR(200),
    "status" VARCHAR(20) NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "lease_until" TIMESTAMPTZ(3),
    "error_code" VARCHAR(50),
    "error_message" VARCHAR(1000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_submissions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "pending_submissions_status_lease_until_idx" ON "pending_submissions"("status", "lease_until");

-- CreateIndex
CREATE UNIQUE INDEX "pending_submissions_learner_id_idempotency_key_key" ON "pending_submissions"("learner_id", "idempotency_key");

-- AddForeignKey
ALTER TABLE "pending_submissions" ADD CONSTRAINT "pending_submissions_learner_id_fkey" FOREIGN KEY ("learner_id") REFERENCES "learners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pending_submissions" ADD CONSTRAINT "pending_submissions_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

