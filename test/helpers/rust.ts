// A Rust compiler for tests, configured as the service's defaults are (Debian's toolchain).
import { existsSync } from "node:fs";
import { createRustCompiler, type RustCompiler } from "../../src/compile/index.ts";

export const TOOLCHAIN = {
  rustc: process.env.RUSTC ?? "/usr/bin/rustc",
  linker: process.env.RUST_LINKER ?? "/usr/bin/lld-14",
  target: process.env.RUST_TARGET ?? "wasm32-wasi",
  bwrap: "/usr/bin/bwrap",
  prlimit: "/usr/bin/prlimit",
};

/** The Rust tests need the toolchain (CI installs it with apt); elsewhere they are skipped. */
export const rustAvailable =
  existsSync(TOOLCHAIN.rustc) && existsSync(TOOLCHAIN.linker) && existsSync(TOOLCHAIN.bwrap);

export function testCompiler(
  overrides: Partial<Parameters<typeof createRustCompiler>[0]> = {},
): RustCompiler {
  return createRustCompiler({
    toolchain: TOOLCHAIN,
    limits: { cpuSeconds: 10, memoryMb: 1024, fileMb: 64, wallMs: 20_000 },
    pool: { concurrency: 1, maxQueue: 8, maxWaitMs: 30_000 },
    maxMemoryMb: 64,
    cacheMb: 32,
    ...overrides,
  });
}
