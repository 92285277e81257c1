// A lesson module's copy in dist/lessons (bundled by `npm run build`) is used only while every
// file it was made from has the content the manifest recorded; otherwise the module is bundled
// again at start-up, so an edited lesson is never graded by its old checks.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { prebuiltModule } from "../../src/grading/loader/prebuilt.ts";

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** A checkout with one lesson module, its kit file, and a manifest made from them. */
function checkout() {
  const root = mkdtempSync(join(tmpdir(), "packetlab-prebuilt-"));
  roots.push(root);
  const dir = join(root, "dist", "lessons");
  mkdirSync(join(root, "lessons", "demo"), { recursive: true });
  mkdirSync(join(root, "src"), { recursive: true });
  mkdirSync(dir, { recursive: true });
  const checks = "export default [];\n";
  const kit = "export const kit = 1;\n";
  writeFileSync(join(root, "lessons", "demo", "checks.ts"), checks);
  writeFileSync(join(root, "src", "kit.ts"), kit);
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({
      modules: {
        "lessons/demo/checks.ts": {
          output: "lessons/demo/checks.js",
          inputs: { "lessons/demo/checks.ts": sha256(checks), "src/kit.ts": sha256(kit) },
        },
      },
    }),
  );
  return { root, dir, file: join(root, "lessons", "demo", "checks.ts") };
}

describe("prebuilt lesson modules", () => {
  it("are used while every input has the content they were built from", async () => {
    const { root, dir, file } = checkout();
    expect(await prebuiltModule(file, { root, dir })).toBe(
      pathToFileURL(join(dir, "lessons", "demo", "checks.js")).href,
    );
  });

  it("are not used once an input changed, even one the module only imports", async () => {
    const { root, dir, file } = checkout();
    expect(await prebuiltModule(file, { root, dir })).toBeDefined();
    const kit = join(root, "src", "kit.ts");
    writeFileSync(kit, "export const kit = 2;\n");
    // A later modification time, as an editor's save gives it (the hash is kept per mtime).
    utimesSync(kit, new Date(), new Date(Date.now() + 5_000));
    expect(await prebuiltModule(file, { root, dir })).toBeUndefined();
  });

  it("are not used for a module the manifest does not list, or without a manifest", async () => {
    const { root, dir } = checkout();
    expect(await prebuiltModule(join(root, "lessons", "other", "checks.ts"), { root, dir })).toBe(
      undefined,
    );
    const bare = checkout();
    rmSync(join(bare.dir, "manifest.json"));
    expect(await prebuiltModule(bare.file, { root: bare.root, dir: bare.dir })).toBeUndefined();
  });
});
