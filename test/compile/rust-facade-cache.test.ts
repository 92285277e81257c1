// The std facade kept between processes (facadeCacheDir): a second compiler with the same
// toolchain takes it from the cache instead of running rustc at start-up, and what it compiles
// against it runs. Every rustc run goes through runSandboxed, counted here around the real one.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import {
  expectHealthyRust,
  rustAvailable,
  rustRunner,
  testCompiler,
  TOOLCHAIN,
} from "../helpers/rust.ts";

const sandbox = vi.hoisted(() => ({ runs: 0, commands: [] as string[][] }));
vi.mock("../../src/compile/sandbox.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/compile/sandbox.ts")>();
  return {
    ...real,
    runSandboxed: (...args: Parameters<typeof real.runSandboxed>) => {
      sandbox.runs++;
      sandbox.commands.push(args[4]);
      return real.runSandboxed(...args);
    },
  };
});

const scratch = mkdtempSync(join(tmpdir(), "packetlab-facade-cache-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!rustAvailable)("the Rust std facade kept between processes", () => {
  const cacheDir = join(scratch, "cache");

  it("is built by the first compiler and kept under a name of its toolchain", async () => {
    const first = testCompiler({ facadeCacheDir: cacheDir });
    const before = sandbox.runs;
    await first.warm();
    await first.close();
    expect(sandbox.runs - before).toBe(1);
    expect(readdirSync(cacheDir)).toEqual([expect.stringMatching(/^facade-[0-9a-f]{64}\.rlib$/)]);
  });

  it("is taken from the cache by the next one, which still checks that rustc runs in the sandbox", async () => {
    const { runner, compiler, close } = rustRunner(testCompiler({ facadeCacheDir: cacheDir }));
    try {
      const before = sandbox.runs;
      await compiler.warm();
      expect(sandbox.runs - before).toBe(1);
      expect(sandbox.commands.at(-1)!.slice(1)).toEqual(["-vV"]);
      await expectHealthyRust(runner);
      expect(sandbox.runs - before).toBe(2);
    } finally {
      await close();
    }
  });

  it("does not start when the sandbox fails, cached facade or not", async () => {
    const broken = testCompiler({
      facadeCacheDir: cacheDir,
      // prlimit is the sandbox's first step; this one fails as a host without it would.
      toolchain: { ...TOOLCHAIN, prlimit: "/bin/false" },
    });
    try {
      await expect(broken.warm()).rejects.toThrow(/rustc does not run in the sandbox/);
    } finally {
      await broken.close();
    }
  });

  it("is built as before when the cache directory cannot be written", async () => {
    const file = join(scratch, "a-file");
    writeFileSync(file, "");
    const { runner, compiler, close } = rustRunner(
      testCompiler({ facadeCacheDir: join(file, "cache") }),
    );
    try {
      const before = sandbox.runs;
      await compiler.warm();
      expect(sandbox.runs - before).toBe(1);
      await expectHealthyRust(runner);
    } finally {
      await close();
    }
  });
});
