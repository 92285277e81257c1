// Per exercise, what a class has in common: pass rate, attempts to pass, which checks fail (root
// cause first) and the most common wrong answers, grouped by what they did on the wire.
import type { Static } from "typebox";
import type { CheckFailuresRow, ExerciseStatsRow, WrongAnswerRow } from "../progress/reports.ts";
import type { ExerciseStats } from "./class-report-schemas.ts";
import { checkRef, type MatrixExercise } from "./class-report.ts";

export const WRONG_ANSWERS_SHOWN = 5;

export interface ClassFacts {
  learners: number;
  stats: ExerciseStatsRow[];
  checkFailures: CheckFailuresRow[];
  wrongAnswers: WrongAnswerRow[];
}

const keyOf = (row: { lessonId: string; exerciseId: string }) =>
  `${row.lessonId}/${row.exerciseId}`;

function groupBy<T extends { lessonId: string; exerciseId: string }>(rows: T[]) {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return groups;
}

/**
 * Checks some learner failed, root cause first: most learners failing it first, then the
 * exercise's own (dependency) order, so a downstream check never wins a tie against its cause.
 */
function orderedChecks(exercise: MatrixExercise, rows: CheckFailuresRow[]) {
  const position = (id: string) => {
    const index = exercise.checks.findIndex((check) => check.id === id);
    return index === -1 ? exercise.checks.length : index;
  };
  return rows
    .toSorted(
      (a, b) =>
        b.learnersFirst - a.learnersFirst ||
        position(a.checkId) - position(b.checkId) ||
        a.checkId.localeCompare(b.checkId),
    )
    .map((row) => ({
      ...checkRef(exercise, row.checkId)!,
      required: exercise.checks.find((check) => check.id === row.checkId)?.required ?? true,
      learnersFailingFirst: row.learnersFirst,
      learnersFailing: row.learnersNow,
      learnersFailedEver: row.learnersEver,
    }));
}

export function exerciseStats(
  exercises: MatrixExercise[],
  facts: ClassFacts,
): Static<typeof ExerciseStats>[] {
  const stats = new Map(facts.stats.map((row) => [keyOf(row), row]));
  const failures = groupBy(facts.checkFailures);
  const wrong = groupBy(facts.wrongAnswers);
  return exercises.map((exercise) => {
    const key = keyOf(exercise);
    const row = stats.get(key);
    const checks = orderedChecks(exercise, failures.get(key) ?? []);
    const top = checks[0];
    return {
      lessonId: exercise.lessonId,
      exerciseId: exercise.exerciseId,
      title: exercise.title,
      learners: facts.learners,
      learnersAttempted: row?.learnersAttempted ?? 0,
      learnersPassed: row?.learnersPassed ?? 0,
      learnersStuck: row?.learnersStuck ?? 0,
      passRate: facts.learners === 0 ? 0 : (row?.learnersPassed ?? 0) / facts.learners,
      attempts: row?.attempts ?? 0,
      medianAttemptsToPass: row?.medianAttemptsToPass ?? null,
      averageBestScore: row?.averageBestScore ?? 0,
      mostFailedCheck:
        top && top.learnersFailingFirst > 0
          ? { id: top.id, title: top.title, failures: top.learnersFailingFirst }
          : null,
      checks,
      wrongAnswers: (wrong.get(key) ?? []).map((answer) => ({
        wire: answer.wire,
        learners: answer.learners,
        firstFailedCheck: checkRef(exercise, answer.firstFailedCheck),
      })),
    };
  });
}
