// A new embedded data directory is unpacked from the template scripts/build.mjs makes (a cluster
// with the migrations applied), onto the disk, and PGlite then opens it like one made by initdb
// and migrated; a directory already in use is never touched, and one left half-unpacked by an
// interrupted start is unpacked again.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultMigrationsDir, migrate, readMigrations } from "../../src/progress/migrate.ts";
import {
  makeTemplate,
  pgliteRawTransaction,
  templatePath,
  UNPACKING_MARKER,
  unpackTemplate,
} from "../../src/progress/pglite-template.ts";

let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "packetlab-template-"));
  mkdirSync(join(scratch, "dist"));
  writeFileSync(templatePath(join(scratch, "dist")), await makeTemplate());
}, 180_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A ustar archive of these entries, gzipped, as a dist directory's template. */
function distWith(name: string, entries: { name: string; body?: string; type?: string }[]): string {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? "");
    const header = Buffer.alloc(512);
    header.write(entry.name, 0, 100);
    header.write("0000644\0", 100);
    header.write(body.length.toString(8).padStart(11, "0") + "\0", 124);
    header.write(entry.type ?? "0", 156);
    header.write("ustar\u000000", 257);
    header.fill(" ", 148, 156);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  const dist = join(scratch, name);
  mkdirSync(dist);
  writeFileSync(templatePath(dist), gzipSync(Buffer.concat(blocks)));
  return dist;
}

describe("the embedded database's template", () => {
  it("starts a new data directory that keeps its data across a restart", async () => {
    const dataDir = join(scratch, "new");
    expect(await unpackTemplate(dataDir, join(scratch, "dist"))).toBe(true);
    expect(readFileSync(join(dataDir, "PG_VERSION"), "utf8").trim()).toMatch(/^\d+$/);
    expect(existsSync(join(dataDir, UNPACKING_MARKER))).toBe(false);
    expect(existsSync(join(dataDir, "postmaster.pid"))).toBe(false);
    const first = new PGlite(dataDir);
    await first.exec("CREATE TABLE kept (value text); INSERT INTO kept VALUES ('here')");
    await first.close();
    const again = new PGlite(dataDir);
    expect((await again.query("SELECT value FROM kept")).rows).toEqual([{ value: "here" }]);
    await again.close();
    // In use now: a second start leaves it as it is.
    expect(await unpackTemplate(dataDir, join(scratch, "dist"))).toBe(false);
  }, 60_000);

  it("holds every migration, so the service's migrator finds nothing left to apply", async () => {
    const dataDir = join(scratch, "migrated");
    expect(await unpackTemplate(dataDir, join(scratch, "dist"))).toBe(true);
    const db = new PGlite(dataDir);
    const applied = await db.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(applied.rows.map((row) => row.migration_name)).toEqual(
      readMigrations().map((file) => file.name),
    );
    expect(await migrate({ rawTransaction: (fn) => pgliteRawTransaction(db, fn) })).toEqual([]);
    // The schema is there, empty.
    expect((await db.query(`SELECT count(*)::int AS n FROM submissions`)).rows).toEqual([{ n: 0 }]);
    await db.close();
  }, 60_000);

  it("is named after the migrations: a new migration is never served an older template", () => {
    const migrations = join(scratch, "migrations");
    cpSync(defaultMigrationsDir, migrations, { recursive: true });
    const dist = join(scratch, "dist");
    expect(templatePath(dist, migrations)).toBe(templatePath(dist));
    mkdirSync(join(migrations, "99990101000000_more"));
    writeFileSync(join(migrations, "99990101000000_more", "migration.sql"), "SELECT 1;\n");
    expect(templatePath(dist, migrations)).not.toBe(templatePath(dist));
  });

  it("leaves a directory that already has files alone", async () => {
    const used = join(scratch, "used");
    mkdirSync(used);
    writeFileSync(join(used, "notes.txt"), "mine");
    expect(await unpackTemplate(used, join(scratch, "dist"))).toBe(false);
    expect(readdirSync(used)).toEqual(["notes.txt"]);
  });

  it("is not used when none was built for this PGlite version", async () => {
    const dataDir = join(scratch, "other");
    expect(await unpackTemplate(dataDir, join(scratch, "no-dist"))).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
  });

  it("unpacks again, from scratch, a directory an interrupted start left half-unpacked", async () => {
    const dataDir = join(scratch, "interrupted");
    mkdirSync(join(dataDir, "base"), { recursive: true });
    writeFileSync(join(dataDir, UNPACKING_MARKER), "");
    writeFileSync(join(dataDir, "base", "half-written"), "x");
    expect(await unpackTemplate(dataDir, join(scratch, "dist"))).toBe(true);
    expect(existsSync(join(dataDir, "base", "half-written"))).toBe(false);
    expect(existsSync(join(dataDir, UNPACKING_MARKER))).toBe(false);
    const db = new PGlite(dataDir);
    expect((await db.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await db.close();
  }, 60_000);

  it("refuses a template with a path outside the directory, and writes nothing there", async () => {
    const dist = distWith("escape-dist", [
      { name: "/base", type: "5" },
      { name: "/../escaped.txt", body: "out" },
      { name: "/PG_VERSION", body: "17\n" },
    ]);
    const dataDir = join(scratch, "escape", "data");
    await expect(unpackTemplate(dataDir, dist)).rejects.toThrow(/path outside the directory/);
    expect(existsSync(join(scratch, "escape", "escaped.txt"))).toBe(false);
    // Not a cluster: the next start unpacks again instead of opening it.
    expect(existsSync(join(dataDir, UNPACKING_MARKER))).toBe(true);
    expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(false);
  });

  it("refuses a template cut short, leaving the directory to be unpacked again", async () => {
    const dist = join(scratch, "short-dist");
    mkdirSync(dist);
    const whole = readFileSync(templatePath(join(scratch, "dist")));
    writeFileSync(templatePath(dist), whole.subarray(0, whole.length >> 1));
    const dataDir = join(scratch, "short");
    await expect(unpackTemplate(dataDir, dist)).rejects.toThrow();
    expect(existsSync(join(dataDir, UNPACKING_MARKER))).toBe(true);
    expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(false);
  });

  it("refuses entries it does not know (a symbolic link)", async () => {
    const dist = distWith("link-dist", [{ name: "/pg_wal", body: "", type: "2" }]);
    await expect(unpackTemplate(join(scratch, "link"), dist)).rejects.toThrow(/tar type "2"/);
  });
});
