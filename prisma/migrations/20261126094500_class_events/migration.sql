-- CreateTable
CREATE TABLE "class_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "class_id" UUID NOT NULL,
    "type" VARCHAR(30) NOT NULL,
    "learner_id" UUID,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "class_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "class_events_class_id_created_at_idx" ON "class_events"("class_id", "created_at");

-- AddForeignKey
ALTER TABLE "class_events" ADD CONSTRAINT "class_events_class_id_fkey" FOREIGN KEY ("class_id") REFERENCES "classes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

