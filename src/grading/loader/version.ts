// A lesson's version is the semver its author wrote plus a hash of everything that decides a
// grade: "1.0.0+3f9a01c2d4". Editing a check, the topology, or the shared check kit therefore
// changes the version stored with every new grade, whether or not the author remembered to bump
// the semver; the semver is for humans, the hash is the guarantee.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const KIT_DIR = fileURLToPath(new URL("../kit/", import.meta.url));
// Learner-side code and examples of mistakes do not decide a grade.
const NOT_GRADING = new Set(["starter.ts", "solution.ts"]);

export async function checksHash(lessonDir: string, exerciseIds: string[]): Promise<string> {
  const hash = createHash("sha256");
  hash.update(`exercises:${exerciseIds.join(",")}\n`);
  const lessonFiles = await gradingFiles(lessonDir);
  const kitFiles = await gradingFiles(KIT_DIR);
  for (const [base, files, label] of [
    [lessonDir, lessonFiles, "lesson"],
    [KIT_DIR, kitFiles, "kit"],
  ] as const) {
    for (const file of files) {
      // Paths use "/" so the hash is the same on every platform.
      const name = relative(base, file).split(sep).join("/");
      hash.update(`${label}/${name}\n`);
      hash.update(await readFile(file));
      hash.update("\n");
    }
  }
  return hash.digest("hex").slice(0, 10);
}

async function gradingFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string): Promise<void> => {
    const entries = await readdir(current, { withFileTypes: true });
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "wrong" && !entry.name.startsWith(".")) await walk(path);
      } else if (entry.name.endsWith(".ts") && !NOT_GRADING.has(entry.name)) {
        found.push(path);
      }
    }
  };
  await walk(dir);
  return found.sort();
}
