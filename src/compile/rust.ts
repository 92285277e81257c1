// Rust → wasm32-wasi for the runner: rustc in the sandbox (sandbox.ts), with packetlab's `std`
// facade (sandbox/rust/std.rs, built in the same sandbox once per process, or once per toolchain
// with a facade cache directory), behind a bounded pool, with results cached by a key over
// everything that decides them.
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LearnerError } from "../runner/types.ts";
import { createLruCache } from "./cache.ts";
import { compileErrorFrom, SOURCE_FILE, withoutPaths } from "./diagnostics.ts";
import { ALLOWED_IMPORTS, IMPORT_HINTS } from "./imports.ts";
import { createCompilePool, type CompilePoolOptions } from "./pool.ts";
import { JOB_DIR, runSandboxed, type SandboxLimits, type SandboxResult } from "./sandbox.ts";
import { loadToolchain, type Toolchain, type ToolchainConfig } from "./toolchain.ts";
import { checkModule } from "./wasm-module.ts";

const FACADE_SOURCE = fileURLToPath(new URL("../../sandbox/rust/std.rs", import.meta.url));
const FACADE_INSIDE = "/facade/libstd.rlib";
const OUTPUT_FILE = "main.wasm";

export interface RustCompilerOptions {
  toolchain: ToolchainConfig;
  limits: SandboxLimits;
  pool: CompilePoolOptions;
  /** Cap of a program's linear memory, set at link time and checked before every run. */
  maxMemoryMb: number;
  cacheMb: number;
  /** Where job directories are made (default: the OS's temporary directory). */
  workDir?: string;
  /**
   * Where a built facade is kept for the next process with the same toolchain, flags and source
   * (whose start-up then copies it instead of compiling it, ~0.4 s of rustc's CPU); absent:
   * built by every process.
   */
  facadeCacheDir?: string;
  /**
   * Where compiled programs are kept for later processes (the command line's: `lessons check`
   * compiles the same sixty files every time), a file per cache key, the least recently used
   * removed past maxBytes. Only modules are kept, not compile errors: rustc's output is decided
   * by the key alone, and a kept module is checked (checkModule) again when read, so this
   * packetlab's rules judge it. Absent: nothing outlives the process.
   */
  moduleCache?: { dir: string; maxBytes: number };
}

export type CompileResult =
  | { ok: true; wasm: Uint8Array; key: string; cached: boolean }
  | { ok: false; error: LearnerError; key: string; cached: boolean };

type Stored = { wasm: Uint8Array; bytes: number } | { error: LearnerError; bytes: number };

export function createRustCompiler(options: RustCompilerOptions) {
  const pool = createCompilePool(options.pool);
  const cache = createLruCache<Stored>(options.cacheMb * 1024 * 1024);
  const inFlight = new Map<string, Promise<CompileResult>>();
  const maxMemoryBytes = options.maxMemoryMb * 1024 * 1024;
  const workDir = options.workDir ?? tmpdir();
  let ready: Promise<{ toolchain: Toolchain; facade: string; facadeHash: string; root: string }>;

  function codegenFlags(toolchain: Toolchain): string[] {
    return [
      "--sysroot",
      toolchain.sysroot,
      "--target",
      toolchain.target,
      "--edition",
      "2021",
      "-C",
      "opt-level=s",
      // One LLVM thread instead of one per core: a quarter less CPU for the same wall time on a
      // learner's small crate, and a bounded address space. With a thread per core, rustc took
      // more glibc heaps (64 MB of address space each) the busier the machine, and past the
      // prlimit's RUST_COMPILE_MEMORY_MB a correct program came back "out of memory": 7 of 20
      // compiles at 640 MB beside a CPU hog, none with this (down to 448 MB).
      "-C",
      "codegen-units=1",
      // Without it the .wasm is 5.9 MB of DWARF instead of ~130 KB.
      "-C",
      "strip=debuginfo",
      "--error-format=json",
      "-A",
      "warnings",
    ];
  }

  function programFlags(toolchain: Toolchain): string[] {
    return [
      ...codegenFlags(toolchain),
      "-C",
      `linker=${toolchain.linker}`,
      // Linear memory is outside the isolate's heap limit: the module must carry its own cap.
      "-C",
      `link-arg=--max-memory=${maxMemoryBytes}`,
      "--extern",
      `std=${FACADE_INSIDE}`,
      "--crate-type",
      "bin",
      "--crate-name",
      "main",
    ];
  }

  async function prepare() {
    // The service's start-up waits for this build, and each `await` here is a turn of an event
    // loop then busy loading code and opening the database (for 0.1 s at a time): the few small
    // files are written synchronously, so rustc starts as soon as the toolchain has answered.
    const toolchain = await loadToolchain(options.toolchain);
    const source = readFileSync(FACADE_SOURCE, "utf8");
    const facadeHash = sha256(source);
    const flags = [
      ...codegenFlags(toolchain),
      "--crate-type",
      "rlib",
      "--crate-name",
      "std",
      // A crate named std beside the real one: its own metadata keeps their symbols apart.
      "-C",
      "metadata=packetlab-facade",
    ];
    const root = mkdtempSync(join(workDir, "packetlab-rust-"));
    const facade = join(root, "libstd.rlib");
    // Named by everything the build depends on: rustc's -vV (version, commit, LLVM), the
    // sysroot, target and flags, and the source. A different toolchain never finds this one.
    const cached =
      options.facadeCacheDir &&
      join(
        options.facadeCacheDir,
        `facade-${sha256(JSON.stringify([toolchain.version, flags, source]))}.rlib`,
      );
    if (cached && copied(cached, facade)) {
      // The cache spares the build, not the check that rustc runs in the sandbox on this host
      // (user namespaces allowed, prlimit and bwrap working): a cheap `rustc -vV` in it.
      await checkSandbox(toolchain, root);
      return { toolchain, facade, facadeHash, root };
    }
    const job = mkdtempSync(join(root, "facade-"));
    writeFileSync(join(job, "lib.rs"), source);
    const result = await runSandboxed(
      toolchain,
      options.limits,
      job,
      [],
      [toolchain.rustc, ...flags, "lib.rs", "-o", "libstd.rlib"],
    );
    if (result.exitCode !== 0) {
      throw new Error(`the std facade did not compile: ${result.stderr.slice(0, 2000)}`);
    }
    renameSync(join(job, "libstd.rlib"), facade);
    rmSync(job, { recursive: true, force: true });
    if (cached) keep(facade, cached);
    return { toolchain, facade, facadeHash, root };
  }

  async function checkSandbox(toolchain: Toolchain, root: string): Promise<void> {
    const job = mkdtempSync(join(root, "check-"));
    const result = await runSandboxed(toolchain, options.limits, job, [], [toolchain.rustc, "-vV"]);
    rmSync(job, { recursive: true, force: true });
    if (result.exitCode !== 0) {
      throw new Error(`rustc does not run in the sandbox: ${result.stderr.slice(0, 2000)}`);
    }
  }

  function start() {
    ready ??= prepare();
    // A failed preparation (no toolchain) is retried by the next compile, not cached forever.
    ready.catch(() => {
      ready = undefined as never;
    });
    return ready;
  }

  async function compile(source: string): Promise<CompileResult> {
    const { toolchain, facadeHash } = await start();
    const key = sha256(
      JSON.stringify([source, toolchain.version, programFlags(toolchain), facadeHash]),
    );
    const stored = cache.get(key);
    if (stored) {
      return "wasm" in stored
        ? { ok: true, wasm: stored.wasm, key, cached: true }
        : { ok: false, error: stored.error, key, cached: true };
    }
    let pending = inFlight.get(key);
    if (!pending) {
      const kept = readKept(key);
      if (kept) {
        cache.set(key, { wasm: kept, bytes: kept.length });
        return { ok: true, wasm: kept, key, cached: true };
      }
      pending = pool.run(() => compileNow(source, key)).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  }

  /** A module kept by an earlier process, if it is there and still passes checkModule. */
  function readKept(key: string): Uint8Array | undefined {
    if (!options.moduleCache) return undefined;
    const file = join(options.moduleCache.dir, `${key}.wasm`);
    let wasm: Uint8Array;
    try {
      wasm = new Uint8Array(readFileSync(file));
    } catch {
      return undefined;
    }
    // Anything else (a damaged file, rules that changed) is compiled again and judged afresh.
    if (!("wasm" in judgeModule(wasm))) return undefined;
    try {
      // Read again is used again: the bound removes the least recently used first.
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      // a cache that cannot be written still serves
    }
    return wasm;
  }

  async function compileNow(source: string, key: string): Promise<CompileResult> {
    const { toolchain, facade, root } = await start();
    const job = await mkdtemp(join(root, "job-"));
    try {
      await writeFile(join(job, SOURCE_FILE), source);
      const result = await runSandboxed(
        toolchain,
        options.limits,
        job,
        [[facade, FACADE_INSIDE]],
        [toolchain.rustc, ...programFlags(toolchain), SOURCE_FILE, "-o", OUTPUT_FILE],
      );
      const outcome = await judge(result, job);
      if (outcome.cacheable) {
        const entry: Stored =
          "wasm" in outcome
            ? { wasm: outcome.wasm, bytes: outcome.wasm.length }
            : { error: outcome.error, bytes: 2 * JSON.stringify(outcome.error).length };
        cache.set(key, entry);
        if ("wasm" in outcome && options.moduleCache) {
          keepModule(options.moduleCache, `${key}.wasm`, outcome.wasm);
        }
      }
      return "wasm" in outcome
        ? { ok: true, wasm: outcome.wasm, key, cached: false }
        : { ok: false, error: outcome.error, key, cached: false };
    } finally {
      await rm(job, { recursive: true, force: true });
    }
  }

  type Judged = { cacheable: boolean } & ({ wasm: Uint8Array } | { error: LearnerError });

  async function judge(result: SandboxResult, job: string): Promise<Judged> {
    const { limits } = options;
    if (result.timedOut || result.signal === "SIGXCPU" || result.signal === "SIGKILL") {
      return {
        cacheable: false,
        error: {
          name: "CompilerLimit",
          message: `The compiler ran past its limits (${limits.cpuSeconds} s of CPU, ${limits.wallMs / 1000} s in all): a macro, a const or a type that never ends?`,
        },
      };
    }
    if (result.signal === "SIGXFSZ") {
      return {
        cacheable: false,
        error: {
          name: "CompilerLimit",
          message: `The compiler's output grew past ${limits.fileMb} MB: a very large static or array?`,
        },
      };
    }
    if (result.exitCode === 0) {
      return judgeModule(new Uint8Array(await readFile(join(job, OUTPUT_FILE))));
    }
    const error = compileErrorFrom(result.stderr);
    if (error && !/internal compiler error/.test(error.message)) return { cacheable: true, error };
    // A crash (trait recursion segfaults rustc 1.63, an allocation past its address space
    // aborts it) is the program's doing: a compile error, without the compiler's own paths.
    const memory = /memory allocation of \d+ bytes failed|out of memory/i.test(result.stderr);
    return {
      cacheable: false,
      error: {
        name: "CompilerCrash",
        message: memory
          ? `The compiler ran out of memory (${limits.memoryMb} MB) on this program.`
          : `The compiler crashed on this program${result.signal ? ` (${result.signal})` : ""}: simplify the code around your last change.`,
        ...(error?.stack ? { stack: withoutPaths(error.stack) } : {}),
      },
    };
  }

  /** A module rustc made: runnable here, or the reason it is not. */
  function judgeModule(wasm: Uint8Array): Judged {
    const verdict = checkModule(wasm, { allowedImports: ALLOWED_IMPORTS, maxMemoryBytes });
    if (verdict.ok) return { cacheable: true, wasm };
    const name = /imports \S+\.(\w+)/.exec(verdict.reason)?.[1];
    const hint = name ? IMPORT_HINTS[name] : undefined;
    return {
      cacheable: true,
      error: {
        name: "CompileError",
        message: hint ?? `The compiled program cannot run here: ${verdict.reason}.`,
      },
    };
  }

  async function close(): Promise<void> {
    if (!ready) return;
    const prepared = await ready.catch(() => null);
    if (prepared) await rm(prepared.root, { recursive: true, force: true });
  }

  return {
    compile,
    /** Builds the facade now (the first compile would otherwise pay for it). */
    warm: async () => {
      await start();
    },
    toolchainVersion: async () => (await start()).toolchain.version,
    stats: () => ({ ...pool.stats(), cache: cache.stats() }),
    close,
    /** Inside the sandbox the job's directory: stated for tests of the no-host-path rule. */
    jobDir: JOB_DIR,
  };
}

export type RustCompiler = ReturnType<typeof createRustCompiler>;

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Copies a cached facade into place; false when there is none (or it cannot be read). */
function copied(from: string, to: string): boolean {
  try {
    copyFileSync(from, to);
    return true;
  } catch {
    return false;
  }
}

/**
 * mkdir -p, one level at a time: Node's own `recursive: true` loops forever (synchronously, so
 * the whole service hangs) where the system answers ENOENT for a parent that exists, as /proc
 * does.
 */
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let at = dir; !existsSync(at) && dirname(at) !== at; at = dirname(at)) missing.unshift(at);
  for (const path of missing) mkdirSync(path, { mode: 0o700 });
}

/**
 * Writes a file for later processes: beside its name and renamed, so a reader never sees half a
 * file, whoever else writes it at the same time. A cache that cannot be written (read-only, no
 * home directory) only means the next process does the work again: false then.
 */
function writeKept(path: string, write: (partial: string) => void): boolean {
  const partial = `${path}.${process.pid}.${Date.now()}.partial`;
  try {
    makeDirectories(dirname(path));
    write(partial);
    renameSync(partial, path);
    return true;
  } catch {
    try {
      rmSync(partial, { force: true });
    } catch {
      // its directory could not be made: there is no partial file either
    }
    return false;
  }
}

/** Keeps a built facade for the next start with the same toolchain. */
function keep(facade: string, cached: string): void {
  writeKept(cached, (partial) => copyFileSync(facade, partial));
}

/** A partial file this old was left by a process that died while writing it. */
const ABANDONED_MS = 10 * 60_000;

/**
 * Keeps a compiled module, then removes the least recently used past maxBytes in all, and
 * partial files abandoned by a process that died mid-write.
 */
function keepModule(
  { dir, maxBytes }: { dir: string; maxBytes: number },
  name: string,
  wasm: Uint8Array,
): void {
  if (wasm.length > maxBytes) return;
  if (!writeKept(join(dir, name), (partial) => writeFileSync(partial, wasm))) return;
  try {
    const files = readdirSync(dir).flatMap((file) => {
      const stat = statSync(join(dir, file), { throwIfNoEntry: false });
      return stat ? [{ file, bytes: stat.size, used: stat.mtimeMs }] : [];
    });
    const abandoned = Date.now() - ABANDONED_MS;
    for (const { file, used } of files) {
      if (file.endsWith(".partial") && used < abandoned) rmSync(join(dir, file), { force: true });
    }
    const kept = files.filter(({ file }) => file.endsWith(".wasm")).sort((a, b) => b.used - a.used);
    let total = 0;
    for (const { file, bytes } of kept) {
      total += bytes;
      if (total > maxBytes) rmSync(join(dir, file), { force: true });
    }
  } catch {
    // another process pruning at the same time, or a directory gone: the next write prunes
  }
}
