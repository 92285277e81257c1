// The class progress matrix (learner × exercise, with who is stuck and why) and its CSV export.
import type { Static } from "typebox";
import type { LessonCatalogue } from "../grading/types.ts";
import type { ClassLearner, MatrixRow } from "../progress/reports.ts";
import type { ProgressCell, StuckSignal } from "./class-report-schemas.ts";
import type { ProgressStatus } from "./views.ts";

export interface MatrixExercise {
  lessonId: string;
  lessonTitle: string;
  exerciseId: string;
  title: string;
  /** In dependency order (as the exercise declares them): the first failing one is the cause. */
  checks: { id: string; title: string; required: boolean }[];
}

/** When a learner who has not passed looks stuck. */
export const STUCK_AFTER = { sameCode: 3, sameFailure: 3, attempts: 5 } as const;

export function catalogueExercises(
  catalogue: Pick<LessonCatalogue, "list" | "get">,
): MatrixExercise[] {
  return catalogue
    .list()
    .toSorted((a, b) => a.order - b.order)
    .flatMap((lesson) => {
      const detail = catalogue.get(lesson.id);
      return lesson.exercises
        .toSorted((a, b) => a.order - b.order)
        .map((exercise) => ({
          lessonId: lesson.id,
          lessonTitle: lesson.title,
          exerciseId: exercise.id,
          title: exercise.title,
          checks: (detail?.exercises.find((e) => e.id === exercise.id)?.checks ?? []).map(
            ({ id, title, required }) => ({ id, title, required }),
          ),
        }));
    });
}

/** A check by id and title; a check the lesson no longer has keeps its id as title. */
export function checkRef(exercise: MatrixExercise, id: string | null) {
  if (id === null) return null;
  return { id, title: exercise.checks.find((check) => check.id === id)?.title ?? id };
}

export function stuckSignal(
  exercise: MatrixExercise,
  row: MatrixRow,
): Static<typeof StuckSignal> | null {
  if (row.passed) return null;
  if (row.sameCodeStreak >= STUCK_AFTER.sameCode) {
    return {
      reason: "repeated-code",
      message: `Sent the same program ${row.sameCodeStreak} times in a row.`,
    };
  }
  if (row.lastFailedCheck && row.sameFailureStreak >= STUCK_AFTER.sameFailure) {
    const title = checkRef(exercise, row.lastFailedCheck)!.title;
    return {
      reason: "same-check-failing",
      message: `Failed "${title}" first ${row.sameFailureStreak} times in a row.`,
    };
  }
  if (row.attempts >= STUCK_AFTER.attempts) {
    return {
      reason: "many-failed-attempts",
      message: `${row.attempts} attempts, none passed.`,
    };
  }
  return null;
}

export function cellOf(
  exercise: MatrixExercise,
  row: MatrixRow | undefined,
  now: number,
): Static<typeof ProgressCell> {
  if (!row) {
    const status: ProgressStatus = "not-started";
    return {
      status,
      attempts: 0,
      bestScore: 0,
      lastActivityAt: null,
      secondsSinceLastAttempt: null,
      latest: null,
      stuck: null,
    };
  }
  return {
    status: row.passed ? "passed" : "attempted",
    attempts: row.attempts,
    bestScore: row.bestScore,
    lastActivityAt: new Date(row.lastActivityMs).toISOString(),
    secondsSinceLastAttempt: Math.max(0, Math.floor((now - row.lastActivityMs) / 1000)),
    latest: {
      submissionId: row.lastSubmissionId,
      passed: row.lastPassed,
      score: row.lastScore,
      outcome: row.lastOutcome,
      firstFailedCheck: checkRef(exercise, row.lastFailedCheck),
    },
    stuck: stuckSignal(exercise, row),
  };
}

export function progressMatrix(
  exercises: MatrixExercise[],
  learners: ClassLearner[],
  progress: MatrixRow[],
  now = Date.now(),
) {
  // Thousands of cells per request: rows are placed by index, not looked up by string keys.
  const column = new Map(exercises.map((exercise, index) => [keyOf(exercise), index]));
  const rowsOf = new Map<string, (MatrixRow | undefined)[]>();
  for (const row of progress) {
    const index = column.get(keyOf(row));
    if (index === undefined) continue; // an exercise the lessons no longer have
    let rows = rowsOf.get(row.learnerId);
    if (!rows) rowsOf.set(row.learnerId, (rows = new Array(exercises.length)));
    rows[index] = row;
  }
  return {
    exercises: exercises.map(({ lessonId, lessonTitle, exerciseId, title }) => ({
      lessonId,
      lessonTitle,
      exerciseId,
      title,
    })),
    learners: learners.map((learner) => {
      const rows = rowsOf.get(learner.id);
      return {
        id: learner.id,
        displayName: learner.displayName,
        cells: exercises.map((exercise, index) => cellOf(exercise, rows?.[index], now)),
      };
    }),
  };
}

const keyOf = (row: { lessonId: string; exerciseId: string }) =>
  `${row.lessonId}/${row.exerciseId}`;

// RFC 4180 quoting; a leading =, +, - or @ is prefixed so a spreadsheet never runs a learner's
// display name as a formula (CSV injection).
function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const CSV_HEADER = [
  "learner_id",
  "display_name",
  "lesson_id",
  "lesson_title",
  "exercise_id",
  "exercise_title",
  "status",
  "attempts",
  "best_score",
  "last_activity_at",
  "latest_score",
  "first_failed_check",
  "first_failed_check_title",
  "stuck",
];

export function progressCsv(matrix: ReturnType<typeof progressMatrix>): string {
  const lines = [CSV_HEADER.join(",")];
  for (const learner of matrix.learners) {
    matrix.exercises.forEach((exercise, index) => {
      const cell = learner.cells[index]!;
      const failed = cell.latest?.firstFailedCheck ?? null;
      lines.push(
        [
          learner.id,
          learner.displayName,
          exercise.lessonId,
          exercise.lessonTitle,
          exercise.exerciseId,
          exercise.title,
          cell.status,
          cell.attempts,
          cell.bestScore,
          cell.lastActivityAt,
          cell.latest?.score ?? null,
          failed?.id ?? null,
          failed?.title ?? null,
          cell.stuck?.message ?? null,
        ]
          .map(csvField)
          .join(","),
      );
    });
  }
  return lines.join("\r\n") + "\r\n";
}
