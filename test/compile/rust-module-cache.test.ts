// Compiled programs kept between processes (moduleCache, the command line's): a second
// compiler takes a module an earlier one kept instead of running rustc, and it runs; compile
// errors and damaged files are compiled again; the least recently used go past the bound. Every
// rustc run goes through runSandboxed, counted here around the real one.
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { compilingRunnerFromEnv } from "../../src/compile/cli-runner.ts";
import { compilerFromConfig } from "../../src/compile/from-config.ts";
import { loadConfig } from "../../src/config.ts";
import { createRunner } from "../../src/runner/index.ts";
import {
  expectHealthyRust,
  HEALTHY_RUST,
  rustAvailable,
  rustRunner,
  testCompiler,
} from "../helpers/rust.ts";

const sandbox = vi.hoisted(() => ({ compiles: 0 }));
vi.mock("../../src/compile/sandbox.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/compile/sandbox.ts")>();
  return {
    ...real,
    runSandboxed: (...args: Parameters<typeof real.runSandboxed>) => {
      // A program's compile, not the facade's build or the sandbox's `rustc -vV` check.
      if (args[4].includes("main.rs")) sandbox.compiles++;
      return real.runSandboxed(...args);
    },
  };
});

const scratch = mkdtempSync(join(tmpdir(), "packetlab-module-cache-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Compiles each source with a new compiler, as a new process would; counts rustc's runs. */
async function compileInNewProcess(options: Parameters<typeof testCompiler>[0], code: string) {
  const compiler = testCompiler(options);
  const before = sandbox.compiles;
  try {
    const result = await compiler.compile(code);
    return { result, compiled: sandbox.compiles - before };
  } finally {
    await compiler.close();
  }
}

const keep = (dir: string) => ({ moduleCache: { dir, maxBytes: 64 * 1024 * 1024 } });
const kept = (dir: string) => readdirSync(dir).filter((file) => file.endsWith(".wasm"));

describe.skipIf(!rustAvailable)("compiled Rust programs kept between processes", () => {
  it("are compiled once, then taken from the directory by the next compiler, and run", async () => {
    const dir = join(scratch, "reuse");
    const first = await compileInNewProcess(keep(dir), HEALTHY_RUST);
    expect(first).toMatchObject({ result: { ok: true, cached: false }, compiled: 1 });
    expect(kept(dir)).toEqual([`${first.result.key}.wasm`]);

    const second = await compileInNewProcess(keep(dir), HEALTHY_RUST);
    expect(second).toMatchObject({ result: { ok: true, cached: true }, compiled: 0 });
    expect(second.result.key).toBe(first.result.key);

    const { runner, close } = rustRunner(testCompiler(keep(dir)));
    try {
      const before = sandbox.compiles;
      await expectHealthyRust(runner);
      expect(sandbox.compiles - before).toBe(0);
    } finally {
      await close();
    }
  });

  it("keep no compile error: the next compiler reports it from rustc again", async () => {
    const dir = join(scratch, "errors");
    const broken = 'fn main() { let x: u8 = "no"; }\n';
    const first = await compileInNewProcess(keep(dir), broken);
    expect(first).toMatchObject({ result: { ok: false, cached: false }, compiled: 1 });
    const second = await compileInNewProcess(keep(dir), broken);
    expect(second).toMatchObject({ result: { ok: false, cached: false }, compiled: 1 });
    expect(second.result).toEqual(first.result);
  });

  it("compile a damaged file again, and replace it", async () => {
    const dir = join(scratch, "damaged");
    const first = await compileInNewProcess(keep(dir), HEALTHY_RUST);
    const file = join(dir, `${first.result.key}.wasm`);
    writeFileSync(file, "not a module");
    const second = await compileInNewProcess(keep(dir), HEALTHY_RUST);
    expect(second).toMatchObject({ result: { ok: true, cached: false }, compiled: 1 });
    expect(statSync(file).size).toBe((first.result as { wasm: Uint8Array }).wasm.length);
  });

  it("go least recently used first past the bound", async () => {
    const dir = join(scratch, "bound");
    const other = HEALTHY_RUST.replace("ping", "pong");
    const a = await compileInNewProcess(keep(dir), HEALTHY_RUST);
    const b = await compileInNewProcess(keep(dir), other);
    expect(kept(dir).sort()).toEqual([`${a.result.key}.wasm`, `${b.result.key}.wasm`].sort());
    // a was used an hour ago, b two: a stays when room is left for one more module only.
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    utimesSync(join(dir, `${a.result.key}.wasm`), hoursAgo(1), hoursAgo(1));
    utimesSync(join(dir, `${b.result.key}.wasm`), hoursAgo(2), hoursAgo(2));
    const size = (a.result as { wasm: Uint8Array }).wasm.length;
    const third = HEALTHY_RUST.replace("ping", "pang");
    const c = await compileInNewProcess({ moduleCache: { dir, maxBytes: 2.5 * size } }, third);
    expect(kept(dir).sort()).toEqual([`${a.result.key}.wasm`, `${c.result.key}.wasm`].sort());
  });

  it("remove a partial file left by a process that died mid-write, not one being written", async () => {
    const dir = join(scratch, "partial");
    await compileInNewProcess(keep(dir), HEALTHY_RUST);
    const abandoned = join(dir, "0123.wasm.999.1.partial");
    const writing = join(dir, "4567.wasm.998.2.partial");
    writeFileSync(abandoned, "half");
    writeFileSync(writing, "half");
    const elevenMinutesAgo = new Date(Date.now() - 11 * 60_000);
    utimesSync(abandoned, elevenMinutesAgo, elevenMinutesAgo);
    await compileInNewProcess(keep(dir), HEALTHY_RUST.replace("ping", "pung"));
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(writing)).toBe(true);
  });

  it("are kept by the command line's runner, in modules/ of the facade's directory; not by the service's compiler", async () => {
    const env = { RUST_FACADE_CACHE_DIR: join(scratch, "config") };
    const modules = join(scratch, "config", "modules");
    const io = { err: vi.fn() };
    const cli = await compilingRunnerFromEnv(createRunner({ workers: 1 }), io, env);
    try {
      expect(cli.languages).toContain("rust");
      await expectHealthyRust(cli.runner);
    } finally {
      await cli.close();
    }
    expect(kept(modules)).toHaveLength(1);

    rmSync(modules, { recursive: true });
    const service = compilerFromConfig(loadConfig(env))!;
    try {
      expect((await service.compile(HEALTHY_RUST)).ok).toBe(true);
    } finally {
      await service.close();
    }
    expect(existsSync(modules)).toBe(false);
  });
});
