// A Rust compiler for tests, configured as the service's defaults are (Debian's toolchain).
import { existsSync } from "node:fs";
import { createRustCompiler, type RustCompiler } from "../../src/compile/index.ts";
import { withCompiler } from "../../src/compile/compiling-runner.ts";
import { defaultTopology } from "../../src/netsim/index.ts";
import { createRunner } from "../../src/runner/index.ts";
import type { RunRequest, RunResult, Runner } from "../../src/runner/types.ts";

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

/** A one-worker runner that compiles Rust first, as the service builds it. */
export function rustRunner(compiler: RustCompiler = testCompiler()) {
  const pool = createRunner({ workers: 1 });
  const runner = withCompiler(pool, compiler);
  return {
    runner,
    /** The pool alone: a request's `wasm` reaches it as given (the compiler replaces it). */
    pool,
    compiler,
    close: async () => {
      await runner.close();
      await compiler.close();
    },
  };
}

/** A Rust program that must succeed: run after each attack to prove compiler and pool still work. */
export const HEALTHY_RUST = `use std::net::UdpSocket;
fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.send_to(b"ping", "10.0.0.7:1000")?;
    let mut buf = [0u8; 1500];
    let (n, _) = socket.recv_from(&mut buf)?;
    println!("{}", String::from_utf8_lossy(&buf[..n]));
    Ok(())
}
`;

/** Runs Rust through a compiling runner on the default network, with optional lower limits. */
export async function runRust(
  runner: Pick<Runner, "run">,
  code: string,
  limits: RunRequest["limits"] = {},
): Promise<RunResult & { lines: string[] }> {
  const result = await runner.run({
    code,
    language: "rust",
    topology: defaultTopology(),
    seed: 1,
    limits,
  });
  return { ...result, lines: result.output.map((line) => line.text) };
}

/** After an attack: the compiler and the pool must still compile and run a healthy program. */
export async function expectHealthyRust(runner: Pick<Runner, "run">): Promise<void> {
  const result = await runRust(runner, HEALTHY_RUST);
  if (
    result.outcome !== "ok" ||
    result.lines[0] !== "Hi, this is Alice. I got your message: ping"
  ) {
    throw new Error(`the next Rust run failed: ${result.outcome}: ${result.message}`);
  }
}
