import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/progress/database.ts";
import { defaultMigrationsDir, migrate, readMigrations } from "../../src/progress/migrate.ts";
import { createScratchDatabase, testDatabaseUrl } from "../helpers/database.ts";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function freshDatabase() {
  const scratch = await createScratchDatabase();
  const db = await openDatabase({ url: scratch.url });
  cleanups.push(async () => {
    await db.close();
    await scratch.drop();
  });
  return { db, url: scratch.url };
}

describe("migrate", () => {
  it("applies every migration once and records it as Prisma does; a second run is a no-op", async () => {
    const { db } = await freshDatabase();
    const names = readMigrations().map((file) => file.name);
    expect(await migrate(db)).toEqual(names);
    expect(await migrate(db)).toEqual([]);
    const rows = await db.rawTransaction((tx) =>
      tx.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        applied_steps_count: number;
      }>(
        `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
      ),
    );
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    expect(rows.map((row) => row.checksum)).toEqual(readMigrations().map((file) => file.checksum));
    expect(rows.every((row) => row.finished_at !== null && row.applied_steps_count === 1)).toBe(
      true,
    );
    expect(await db.prisma.teacher.count()).toBe(0);
  });

  it("refuses to start when an applied migration's file was changed", async () => {
    const { db } = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), "packetlab-migrations-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    cpSync(defaultMigrationsDir, dir, { recursive: true });
    await migrate(db, dir);
    const [first] = readMigrations(dir);
    appendFileSync(join(dir, first!.name, "migration.sql"), "\n-- edited later\n");
    await expect(migrate(db, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it("rolls back a failing migration entirely and names it", async () => {
    const { db } = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), "packetlab-migrations-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    cpSync(defaultMigrationsDir, dir, { recursive: true });
    const broken = join(dir, "99990101000000_broken");
    cpSync(join(dir, readMigrations(dir)[0]!.name), broken, { recursive: true });
    writeFileSync(
      join(broken, "migration.sql"),
      "CREATE TABLE oops (id int);\nSELECT no_such_function();\n",
    );
    await expect(migrate(db, dir)).rejects.toThrow(/99990101000000_broken failed/);
    // Nothing of the batch stayed: the next good run still applies the first migration.
    expect(await migrate(db)).toEqual(readMigrations().map((file) => file.name));
  });

  it.runIf(testDatabaseUrl)(
    "lets two migrators start at once on PostgreSQL without colliding",
    async () => {
      const { url } = await freshDatabase();
      const a = await openDatabase({ url });
      const b = await openDatabase({ url });
      cleanups.push(async () => {
        await a.close();
        await b.close();
      });
      const results = await Promise.all([migrate(a), migrate(b)]);
      const names = readMigrations().map((file) => file.name);
      expect(results.flat().sort()).toEqual(names);
      expect([results[0]!.length, results[1]!.length].sort()).toEqual([0, names.length]);
    },
  );
});
