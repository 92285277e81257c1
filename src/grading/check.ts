// What a lesson's checks.ts exports: small functions over one run, each judging one thing the
// exercise asks for. They are pure (no I/O, no clock) so a grade can be recomputed from a stored
// RunResult and always comes out the same.
import type { RunResult } from "../runner/types.ts";
import type { InstantiatedExercise } from "./types.ts";

/** Everything a check may look at: the run, and the session's network it ran against. */
export interface CheckContext extends InstantiatedExercise {
  run: RunResult;
  seed: number;
}

export type CheckVerdict =
  { passed: true; message: string } | { passed: false; message: string; hint?: string };

export interface CheckDefinition {
  /** Stable, kebab-case: wrong-answer manifests and stored grades refer to it. */
  id: string;
  title: string;
  /** Share of the score, relative to the exercise's other checks. */
  weight: number;
  /** Required checks decide whether the exercise is passed; the others are bonus points. */
  required: boolean;
  check(context: CheckContext): CheckVerdict;
}

export function pass(message: string): CheckVerdict {
  return { passed: true, message };
}

export function fail(message: string, hint?: string): CheckVerdict {
  return hint === undefined ? { passed: false, message } : { passed: false, message, hint };
}

/** Identity with a type: lets a checks.ts file be written without importing the interface. */
export function defineChecks(checks: CheckDefinition[]): CheckDefinition[] {
  return checks;
}
