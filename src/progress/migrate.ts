// Applies prisma/migrations at start-up (and with `packetlab migrate`), recording each one in
// `_prisma_migrations` exactly as `prisma migrate deploy` does, so `prisma migrate status` run
// elsewhere agrees. The Prisma CLI's native schema engine is not needed at run time.
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database, RawTransaction } from "./database.ts";

export const defaultMigrationsDir = fileURLToPath(
  new URL("../../prisma/migrations", import.meta.url),
);

/** The key `prisma migrate` locks on; taking the same one keeps us from racing it too. */
const PRISMA_ADVISORY_LOCK = 72707369;

// The table as Prisma's schema engine creates it.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {
  override name = "MigrationError";
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir: string = defaultMigrationsDir): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the migrations not yet applied, all in one transaction under Prisma's advisory lock:
 * replicas starting together wait for each other, and the second finds nothing left to do.
 * Returns the names applied now.
 */
export async function migrate(
  db: Pick<Database, "rawTransaction">,
  dir: string = defaultMigrationsDir,
): Promise<string[]> {
  const files = readMigrations(dir);
  return db.rawTransaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [PRISMA_ADVISORY_LOCK]);
    await tx.exec(CREATE_MIGRATIONS_TABLE);
    const applied = await appliedMigrations(tx);
    const done: string[] = [];
    for (const file of files) {
      const row = applied.get(file.name);
      if (row) {
        if (row.checksum !== file.checksum) {
          throw new MigrationError(
            `migration ${file.name} was changed after it was applied (checksum ${row.checksum} in the database, ${file.checksum} on disk); restore the file and add a new migration instead`,
          );
        }
        continue;
      }
      const startedAt = new Date();
      try {
        await tx.exec(file.sql);
      } catch (error) {
        throw new MigrationError(`migration ${file.name} failed: ${(error as Error).message}`);
      }
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
         VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
        [randomUUID(), file.checksum, file.name, startedAt],
      );
      done.push(file.name);
    }
    const unknown = [...applied.keys()].filter((name) => !files.some((file) => file.name === name));
    if (unknown.length > 0 && done.length === 0 && files.length > 0) {
      // A newer release migrated this database; running older code against it is unsafe.
      throw new MigrationError(
        `the database has migrations this version does not know: ${unknown.join(", ")}`,
      );
    }
    return done;
  });
}

async function appliedMigrations(tx: RawTransaction): Promise<Map<string, AppliedRow>> {
  const rows = await tx.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
  );
  const applied = new Map<string, AppliedRow>();
  for (const row of rows) {
    if (row.rolled_back_at) continue;
    if (!row.finished_at) {
      throw new MigrationError(
        `migration ${row.migration_name} started but never finished; resolve it with \`prisma migrate resolve\``,
      );
    }
    applied.set(row.migration_name, row);
  }
  return applied;
}
