// A new embedded data directory is unpacked from the template scripts/build.mjs makes, and holds
// data across a restart like one made by initdb; a directory already in use is never touched.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { templateFor, templatePath } from "../../src/progress/pglite-template.ts";

let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "packetlab-template-"));
  const empty = new PGlite();
  await empty.waitReady;
  const dump = await empty.dumpDataDir("gzip");
  await empty.close();
  writeFileSync(templatePath(scratch), Buffer.from(await dump.arrayBuffer()));
}, 180_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the embedded database's template", () => {
  it("starts a new data directory that keeps its data across a restart", async () => {
    const dataDir = join(scratch, "new");
    const template = templateFor(dataDir, scratch);
    expect(template).toBeInstanceOf(Blob);
    const first = new PGlite(dataDir, { loadDataDir: template! });
    await first.exec("CREATE TABLE kept (value text); INSERT INTO kept VALUES ('here')");
    await first.close();
    const again = new PGlite(dataDir);
    expect((await again.query("SELECT value FROM kept")).rows).toEqual([{ value: "here" }]);
    await again.close();
  }, 60_000);

  it("leaves a directory that already has files alone", () => {
    const used = join(scratch, "used");
    mkdirSync(used);
    writeFileSync(join(used, "PG_VERSION"), "17\n");
    expect(templateFor(used, scratch)).toBeUndefined();
  });

  it("is not used when none was built for this PGlite version", () => {
    expect(templateFor(join(scratch, "other"), join(scratch, "no-dist"))).toBeUndefined();
  });
});
