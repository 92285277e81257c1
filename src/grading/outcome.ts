// The check every exercise gets first: did the program run to its end? A run that stopped early
// is still graded on what it did, but cannot pass, and this check says why in words a learner
// can act on.
import type { Outcome, RunResult } from "../runner/types.ts";
import type { CheckResult } from "./types.ts";

export const OUTCOME_CHECK_ID = "program-finished";

const hints: Record<Exclude<Outcome, "ok">, string> = {
  "compile-error": "Fix the syntax error at the line shown, then run again.",
  "runtime-error": "Look at the line shown: the error happened there while your program ran.",
  "time-limit":
    "Your program ran too long. A recvFrom() with no read timeout waits forever if no answer comes; check that you sent the request first, or set a read timeout.",
  "memory-limit": "Your program used too much memory; look for a loop that keeps growing an array.",
  "output-limit": "Your program printed too much; look for a print inside a loop that never ends.",
  "network-limit":
    "Your program sent more packets or bytes than the exercise allows; look for a send inside a loop.",
  "internal-error":
    "Something went wrong on our side, not in your code. Run it again; if it keeps happening, tell your teacher.",
};

/** "TypeError: x is not a function (line 7)", or the run's own message when there is no error. */
export function describeStop(run: RunResult): string {
  const error = run.error;
  if (!error) return run.message;
  const where = error.line === undefined ? "" : ` (line ${error.line})`;
  return `Your program stopped with ${error.name}: ${error.message}${where}.`;
}

export function outcomeCheck(run: RunResult): CheckResult {
  const base = {
    id: OUTCOME_CHECK_ID,
    title: "Your program ran to its end",
    required: true,
    // It weighs like any other check: a program that crashes after doing everything right
    // should not score 100.
    weight: 1,
  };
  if (run.outcome === "ok") {
    return { ...base, passed: true, message: "Your program finished without errors." };
  }
  return { ...base, passed: false, message: describeStop(run), hint: hints[run.outcome] };
}
