-- CreateTable
CREATE TABLE "lti_registrations" (
    "id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "issuer" VARCHAR(500) NOT NULL,
    "client_id" VARCHAR(200) NOT NULL,
    "deployment_ids" VARCHAR(200)[],
    "auth_login_url" VARCHAR(2000) NOT NULL,
    "token_url" VARCHAR(2000) NOT NULL,
    "jwks_url" VARCHAR(2000) NOT NULL,
    "teacher_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lti_registrations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lti_keys" (
    "kid" VARCHAR(100) NOT NULL,
    "status" VARCHAR(20) NOT NULL,
    "private_jwk" JSONB NOT NULL,
    "public_jwk" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lti_keys_pkey" PRIMARY KEY ("kid")
);

-- CreateTable
CREATE TABLE "lti_launch_states" (
    "state_hash" CHAR(64) NOT NULL,
    "nonce" VARCHAR(100) NOT NULL,
    "registration_id" UUID NOT NULL,
    "browser_hash" CHAR(64) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "lti_launch_states_pkey" PRIMARY KEY ("state_hash")
);

-- CreateTable
CREATE TABLE "lti_contexts" (
    "registration_id" UUID NOT NULL,
    "context_id" VARCHAR(255) NOT NULL,
    "class_id" UUID NOT NULL,
    "memberships_url" VARCHAR(2000),
    "instructor_owned" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lti_contexts_pkey" PRIMARY KEY ("registration_id","context_id")
);

-- CreateTable
CREATE TABLE "lti_users" (
    "registration_id" UUID NOT NULL,
    "sub" VARCHAR(255) NOT NULL,
    "learner_id" UUID,
    "teacher_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lti_users_pkey" PRIMARY KEY ("registration_id","sub")
);

-- CreateTable
CREATE TABLE "lti_line_items" (
    "id" UUID NOT NULL,
    "registration_id" UUID NOT NULL,
    "class_id" UUID NOT NULL,
    "lesson_id" VARCHAR(100) NOT NULL,
    "exercise_id" VARCHAR(100) NOT NULL,
    "url" VARCHAR(2000) NOT NULL,
    "score_maximum" INTEGER NOT NULL DEFAULT 100,
    "scopes" VARCHAR(200)[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lti_line_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lti_score_clocks" (
    "line_item_id" UUID NOT NULL,
    "learner_id" UUID NOT NULL,
    "last_sent_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lti_score_clocks_pkey" PRIMARY KEY ("line_item_id","learner_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "lti_registrations_issuer_client_id_key" ON "lti_registrations"("issuer", "client_id");

-- CreateIndex
CREATE INDEX "lti_launch_states_expires_at_idx" ON "lti_launch_states"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "lti_contexts_class_id_key" ON "lti_contexts"("class_id");

-- CreateIndex
CREATE INDEX "lti_users_learner_id_idx" ON "lti_users"("learner_id");

-- CreateIndex
CREATE INDEX "lti_line_items_class_id_lesson_id_exercise_id_idx" ON "lti_line_items"("class_id", "lesson_id", "exercise_id");

-- CreateIndex
CREATE UNIQUE INDEX "lti_line_items_url_key" ON "lti_line_items"("url");

