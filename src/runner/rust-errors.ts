// How a Rust program ended, in the contract's outcomes. Rust reports through stderr before it
// stops: a panic prints "thread 'main' panicked at 'message', main.rs:L:C" and aborts (a wasm
// `unreachable` trap); an allocation past the module's memory cap prints "memory allocation of
// N bytes failed"; `main` returning Err prints "Error: …" and exits with 1.
import type { LearnerError, Outcome, OutputLine } from "./types.ts";

const PANIC = /panicked at '([\s\S]*)', ([^\s:]+):(\d+):(\d+)/;
const ALLOCATION = /memory allocation of \d+ bytes failed/;

function stderrText(output: OutputLine[]): string {
  return output
    .filter((line) => line.stream === "stderr")
    .map((line) => line.text)
    .join("\n");
}

function panicError(stderr: string): LearnerError | null {
  const panic = PANIC.exec(stderr);
  if (!panic) return null;
  // A panic inside the standard library (capacity overflow) has no line of the learner's.
  const own = panic[2] === "main.rs";
  return {
    name: "panic",
    message: panic[1]!,
    ...(own ? { line: Number(panic[3]), column: Number(panic[4]) } : {}),
  };
}

/** The program called exit (or returned from main) with `code`. */
export function exitedOutcome(
  code: number,
  output: OutputLine[],
): { outcome: Outcome; error?: LearnerError } {
  if (code === 0) return { outcome: "ok" };
  const stderr = stderrText(output);
  if (ALLOCATION.test(stderr)) return { outcome: "memory-limit" };
  const panic = panicError(stderr);
  if (panic) return { outcome: "runtime-error", error: panic };
  const returned = /^Error: (.*)$/m.exec(stderr);
  return {
    outcome: "runtime-error",
    error: {
      name: "Error",
      message: returned ? returned[1]! : `the program exited with code ${code}`,
    },
  };
}

/** The module trapped or the isolate threw while it ran (timeouts are classified before). */
export function trappedOutcome(
  thrown: unknown,
  output: OutputLine[],
): { outcome: Outcome; error?: LearnerError } {
  const stderr = stderrText(output);
  if (ALLOCATION.test(stderr)) return { outcome: "memory-limit" };
  const panic = panicError(stderr);
  if (panic) return { outcome: "runtime-error", error: panic };
  const text = thrown instanceof Error ? thrown.message : String(thrown);
  if (/memory limit|Array buffer allocation failed|Out of memory/i.test(text)) {
    return { outcome: "memory-limit" };
  }
  if (/Maximum call stack size exceeded/.test(text)) {
    return {
      outcome: "runtime-error",
      error: {
        name: "StackOverflow",
        message: "the program overflowed its stack (recursion too deep?)",
      },
    };
  }
  return {
    outcome: "runtime-error",
    error: { name: "RuntimeError", message: `the program stopped: ${text.slice(0, 200)}` },
  };
}
