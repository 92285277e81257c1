// The command line's runner: the sandbox pool, compiling Rust first when the environment's
// RUST_* configuration finds a toolchain (as the service does). Without one, Rust is skipped
// with a line saying so.
import type { CliIo } from "../cli/io.ts";
import { loadConfig } from "../config.ts";
import type { Language, Runner } from "../runner/types.ts";
import { withCompiler } from "./compiling-runner.ts";
import { compilerFromConfig } from "./from-config.ts";

export async function compilingRunnerFromEnv(
  pool: Runner,
  io: Pick<CliIo, "err">,
  env: Record<string, string | undefined> = process.env,
): Promise<{ runner: Runner; languages: readonly Language[]; close: () => Promise<void> }> {
  const interpreted: Language[] = ["javascript", "typescript"];
  // Kept on disk: the same files are compiled run after run (`lessons check`, a learner's file).
  const compiler = compilerFromConfig(loadConfig(env), { keepModules: true });
  if (compiler) {
    try {
      await compiler.warm();
      return {
        runner: withCompiler(pool, compiler),
        languages: [...interpreted, "rust"],
        close: async () => {
          await pool.close();
          await compiler.close();
        },
      };
    } catch (error) {
      await compiler.close();
      io.err(`Rust is off: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  } else {
    io.err(
      "Rust is off: no toolchain (RUSTC, RUST_LINKER, BWRAP, PRLIMIT) or RUST_ENABLED=false\n",
    );
  }
  return { runner: pool, languages: interpreted, close: () => pool.close() };
}
