// A runner that compiles first: language "rust" goes through the compiler (its own pool and
// cache) and runs as the compiled module; a compile error never reaches a worker. Other
// languages pass straight through.
import { messages } from "../runner/messages.ts";
import { clampLimits, DEFAULT_LIMITS } from "../runner/limits.ts";
import { resultWithoutRun } from "../runner/results.ts";
import type { RunLimits, RunOptions, RunRequest, RunResult, Runner } from "../runner/types.ts";
import type { RustCompiler } from "./rust.ts";

export function withCompiler<R extends Runner>(
  runner: R,
  compiler: Pick<RustCompiler, "compile">,
  configuredLimits: Partial<RunLimits> = {},
): R {
  const configured = clampLimits({ ...DEFAULT_LIMITS, ...configuredLimits });

  async function run(request: RunRequest, options: RunOptions = {}): Promise<RunResult> {
    if (request.language !== "rust") return runner.run(request, options);
    options.onCompiling?.();
    const started = performance.now();
    // CompilerBusyError propagates: the caller answers 503 COMPILER_BUSY.
    const compiled = await compiler.compile(request.code);
    options.onCompiled?.();
    if (!compiled.ok) {
      const limits = clampLimits(configured, request.limits);
      const result = resultWithoutRun(
        "compile-error",
        messages.compileError(compiled.error),
        limits,
        request.topology,
        performance.now() - started,
      );
      return { ...result, error: compiled.error };
    }
    return runner.run({ ...request, wasm: compiled.wasm }, options);
  }

  return { ...runner, run };
}
