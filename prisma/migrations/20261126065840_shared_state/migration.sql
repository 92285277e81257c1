-- CreateTable
CREATE TABLE "rate_windows" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "expires_at" BIGINT NOT NULL,

    CONSTRAINT "rate_windows_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "auth_generation" (
    "id" SMALLINT NOT NULL,
    "generation" BIGINT NOT NULL,

    CONSTRAINT "auth_generation_pkey" PRIMARY KEY ("id")
);


-- Counters are cheap to lose (a crash resets the limits) and written on every submission:
-- no WAL, no fsync at commit. Prisma's schema does not describe persistence, so this line is
-- the one place that says it.
ALTER TABLE "rate_windows" SET UNLOGGED;

-- The one row every replica reads.
INSERT INTO "auth_generation" ("id", "generation") VALUES (1, 0);
