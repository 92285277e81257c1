// The Rust toolchain as configuration: which rustc, linker and sysroot compile a learner's
// program, and the host files the sandbox must show them (their shared libraries, the target's
// standard library). Nothing else of the host is visible to the compiler.
import { execFile } from "node:child_process";
import { realpathSync } from "node:fs";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface ToolchainConfig {
  /** rustc to run (Debian's /usr/bin/rustc 1.63 here; a rustup toolchain in other images). */
  rustc: string;
  /** Linker for the wasm target: lld (`lld-14`, `rust-lld`, `wasm-ld`). */
  linker: string;
  /** Target triple: wasm32-wasi (rustc ≤ 1.77) or wasm32-wasip1 (newer rustup toolchains). */
  target: string;
  /** Sysroot; empty: ask rustc (`--print sysroot`). */
  sysroot?: string;
  bwrap: string;
  prlimit: string;
}

export interface Toolchain extends ToolchainConfig {
  sysroot: string;
  /** `rustc -vV` output: part of every cache key, so a new compiler never reuses old modules. */
  version: string;
  /** Host path → path inside the sandbox, bound read-only. */
  binds: [string, string][];
}

/** Runs a host tool with an empty environment (nothing of the service's secrets leaks in). */
async function output(file: string, args: string[]): Promise<string> {
  const { stdout } = await run(file, args, { env: {}, timeout: 15_000, maxBuffer: 1 << 20 });
  return stdout;
}

/** Shared libraries a binary loads, from ldd (the loader itself included). */
async function sharedLibraries(binary: string): Promise<string[]> {
  const text = await output("ldd", [binary]);
  const paths = new Set<string>();
  for (const line of text.split("\n")) {
    const match = /(\/\S+)\s*\(0x/.exec(line);
    if (match?.[1]) paths.add(match[1]);
  }
  return [...paths];
}

export async function loadToolchain(config: ToolchainConfig): Promise<Toolchain> {
  // realpath synchronously (a few stat calls): each `await` is a turn of an event loop that is
  // busy loading code and opening the database at start-up, while the build waits on this.
  const rustc = realpathSync(config.rustc);
  const linker = realpathSync(config.linker);
  // The four questions are independent: asked at once, they cost the service's start-up one round
  // of processes instead of four in a row.
  const [version, sysroot, ...libraries] = await Promise.all([
    output(config.rustc, ["-vV"]).then((text) => text.trim()),
    config.sysroot || output(config.rustc, ["--print", "sysroot"]).then((text) => text.trim()),
    sharedLibraries(rustc),
    sharedLibraries(linker),
  ]);
  const binds = new Map<string, string>();
  // Bound at the paths the binaries ask for, from the files the symlinks point to.
  binds.set(config.rustc, rustc);
  binds.set(config.linker, linker);
  for (const library of libraries.flat()) binds.set(library, realpathSync(library));
  // rustc 1.63 keeps its own libraries beside the binary's prefix: <sysroot>/lib/rustlib/<host>.
  const targetLib = `${sysroot}/lib/rustlib/${config.target}`;
  binds.set(targetLib, realpathSync(targetLib));
  return {
    ...config,
    sysroot,
    version,
    binds: [...binds].map(([inside, host]) => [host, inside]),
  };
}
