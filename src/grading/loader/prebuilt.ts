// Lesson modules (topology.ts, checks.ts) that scripts/build.mjs bundled into dist/lessons/, with
// a manifest of every file each was made from and its SHA-256. The service imports that copy
// while each of those files still has the same content, instead of bundling the module again
// with esbuild at every start (~0.4 s of CPU over the three lessons); an edited lesson or kit
// file, or a lesson outside this checkout, is bundled as before.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const PREBUILT_DIR = join(ROOT, "dist", "lessons");

export interface PrebuiltManifest {
  /** By the module's path from the repository's root, with "/". */
  modules: Record<string, { output: string; inputs: Record<string, string> }>;
}

const manifests = new Map<string, Promise<PrebuiltManifest | null>>();
// A file's hash, kept while its size and modification time stay the same: the kit's files are
// inputs of every module.
const hashes = new Map<string, { size: number; mtimeMs: number; hash: string }>();

// Synchronous: the inputs are small files (the kit's are shared by every module), a few hundred
// stat calls in all, and at start-up each `await` waited its turn on a thread busy loading code
// and opening the database, which made the lessons the last thing start-up waited for.
function hashOf(path: string): string | null {
  try {
    const { size, mtimeMs } = statSync(path);
    const known = hashes.get(path);
    if (known && known.size === size && known.mtimeMs === mtimeMs) return known.hash;
    const hash = createHash("sha256").update(readFileSync(path)).digest("hex");
    hashes.set(path, { size, mtimeMs, hash });
    return hash;
  } catch {
    return null;
  }
}

/**
 * The URL of the prebuilt copy of `file`, if there is one made from the files as they are now.
 * (`root` and `dir`, the checkout and its dist/lessons, are for tests.)
 */
export async function prebuiltModule(
  file: string,
  { root = ROOT, dir = PREBUILT_DIR }: { root?: string; dir?: string } = {},
): Promise<string | undefined> {
  let manifest = manifests.get(dir);
  if (!manifest) {
    manifest = readFile(join(dir, "manifest.json"), "utf8").then(
      (text) => JSON.parse(text) as PrebuiltManifest,
      () => null,
    );
    manifests.set(dir, manifest);
  }
  const entry = (await manifest)?.modules[relative(root, file).split(sep).join("/")];
  if (!entry) return undefined;
  for (const [input, hash] of Object.entries(entry.inputs)) {
    if (hashOf(join(root, input)) !== hash) return undefined;
  }
  return pathToFileURL(join(dir, entry.output)).href;
}
