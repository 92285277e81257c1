// Grading is a pure function of the exercise, the run and the session's network: it never
// re-runs code, so a stored run can be re-graded and always gets the same grade.
import { hasFieldPath } from "../protocols/field-path.ts";
import type { RunResult } from "../runner/types.ts";
import type { CheckContext, CheckDefinition, CheckVerdict } from "./check.ts";
import { outcomeCheck } from "./outcome.ts";
import type { CheckResult, CheckSubject, Grade, InstantiatedExercise } from "./types.ts";

export interface GradableExercise {
  checks: readonly CheckDefinition[];
}

export interface GradeContext extends InstantiatedExercise {
  seed: number;
}

export function gradeRun(exercise: GradableExercise, run: RunResult, context: GradeContext): Grade {
  const results: CheckResult[] = [outcomeCheck(run)];
  const checkContext: CheckContext = { ...context, run };
  for (const definition of exercise.checks) {
    results.push(evaluate(definition, checkContext));
  }
  return summarise(results);
}

function evaluate(definition: CheckDefinition, context: CheckContext): CheckResult {
  const base = {
    id: definition.id,
    title: definition.title,
    required: definition.required,
    weight: definition.weight,
  };
  if (context.run.outcome === "compile-error") {
    // Nothing ran, so every check would fail for the same reason; say it once, above.
    return { ...base, passed: false, message: "Not checked: your program did not compile." };
  }
  try {
    const verdict = definition.check(context);
    const subject = checkedSubject(verdict, context.run);
    const result: CheckResult = { ...base, passed: verdict.passed, message: verdict.message };
    if (!verdict.passed && verdict.hint !== undefined) result.hint = verdict.hint;
    if (subject) result.subject = subject;
    return result;
  } catch (error) {
    // A check that throws is a bug in the lesson, not in the learner's code: fail it without
    // blaming them (and `packetlab lessons check` catches it on the reference solution).
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ...base,
      passed: false,
      message: `This check could not be evaluated (${detail}). This is a problem with the lesson, not your code.`,
    };
  }
}

/**
 * The verdict's subject as far as the run bears it out: a packet the trace has, and a field its
 * dissection has. A learner's malformed packet may lack the field a check names (a UDP header
 * cut short); the link then goes to the packet alone rather than nowhere.
 */
function checkedSubject(verdict: CheckVerdict, run: RunResult): CheckSubject | undefined {
  const subject = verdict.subject;
  if (!subject) return undefined;
  const packet = run.packets.find((p) => p.seq === subject.packet);
  if (!packet) return undefined;
  // Only the two properties go on: the grade is stored and served as it is.
  return subject.field !== undefined && hasFieldPath(packet, subject.field)
    ? { packet: subject.packet, field: subject.field }
    : { packet: subject.packet };
}

export function summarise(checks: CheckResult[]): Grade {
  let total = 0;
  let earned = 0;
  let passed = true;
  for (const check of checks) {
    total += check.weight;
    if (check.passed) earned += check.weight;
    else if (check.required) passed = false;
  }
  const score = total === 0 ? (passed ? 100 : 0) : Math.round((100 * earned) / total);
  return { passed, score, checks };
}
