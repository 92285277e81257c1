// A fresh, migrated database per caller: PGlite in memory by default, or a database of its own
// on the PostgreSQL server named by TEST_DATABASE_URL (dropped again on close), so the same
// tests run against both and never see each other's rows.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../../src/progress/database.ts";
import { migrate } from "../../src/progress/migrate.ts";

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

export interface ScratchDatabase {
  /** Connection string of an empty database; undefined when testing on PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

/** An empty PostgreSQL database of its own (only with TEST_DATABASE_URL). */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  if (!testDatabaseUrl) return { url: undefined, drop: async () => {} };
  const name = `packetlab_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface TestDatabase {
  db: Database;
  close(): Promise<void>;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const scratch = await createScratchDatabase();
  const db = await openDatabase({ url: scratch.url });
  await migrate(db);
  return {
    db,
    async close() {
      await db.close();
      await scratch.drop();
    },
  };
}
