// The compiler's address space (prlimit's RUST_COMPILE_MEMORY_MB) must not depend on how busy
// the machine is. rustc used to run an LLVM thread per core, each taking glibc heaps of 64 MB of
// address space, more of them the more its threads contended: the lessons' own solutions then
// failed as "out of memory" under load, at the service's 1024 MB. With one codegen unit they
// compile in far less, busy or not; this holds them to 448 MB, where, with a thread per core,
// they failed even on an idle machine.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rustAvailable, testCompiler } from "../helpers/rust.ts";

const TIGHT_MB = 448;
const compiler = testCompiler({
  limits: { cpuSeconds: 30, memoryMb: TIGHT_MB, fileMb: 64, wallMs: 120_000 },
  cacheMb: 0,
});
afterAll(() => compiler.close());

/** Every reference solution in Rust under lessons/. */
function rustSolutions(): string[] {
  const found: string[] = [];
  for (const lesson of readdirSync("lessons", { withFileTypes: true })) {
    if (!lesson.isDirectory()) continue;
    for (const exercise of readdirSync(join("lessons", lesson.name), { withFileTypes: true })) {
      const file = join("lessons", lesson.name, exercise.name, "solution.rs");
      if (exercise.isDirectory() && existsSync(file)) found.push(file);
    }
  }
  return found;
}

describe.skipIf(!rustAvailable)(`Rust compiles within ${TIGHT_MB} MB of address space`, () => {
  it("compiles every lesson's Rust solution", { timeout: 600_000 }, async () => {
    const files = rustSolutions();
    expect(files.length).toBeGreaterThanOrEqual(10);
    const failed: string[] = [];
    for (const file of files) {
      const result = await compiler.compile(readFileSync(file, "utf8"));
      if (!result.ok) failed.push(`${file}: ${result.error.name}: ${result.error.message}`);
    }
    expect(failed).toEqual([]);
  });
});
