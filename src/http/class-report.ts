// The class progress matrix (learner × exercise) and its CSV export.
import type { LessonCatalogue } from "../grading/types.ts";
import type { ClassLearner } from "../progress/reports.ts";
import type { ProgressRow } from "../progress/submissions.ts";
import type { ProgressStatus } from "./views.ts";

export interface MatrixExercise {
  lessonId: string;
  exerciseId: string;
  title: string;
}

export function catalogueExercises(catalogue: Pick<LessonCatalogue, "list">): MatrixExercise[] {
  return catalogue
    .list()
    .toSorted((a, b) => a.order - b.order)
    .flatMap((lesson) =>
      lesson.exercises
        .toSorted((a, b) => a.order - b.order)
        .map((exercise) => ({
          lessonId: lesson.id,
          exerciseId: exercise.id,
          title: exercise.title,
        })),
    );
}

export function progressMatrix(
  exercises: MatrixExercise[],
  learners: ClassLearner[],
  progress: ProgressRow[],
) {
  const byKey = new Map(
    progress.map((row) => [`${row.learnerId}/${row.lessonId}/${row.exerciseId}`, row]),
  );
  return {
    exercises,
    learners: learners.map((learner) => ({
      id: learner.id,
      displayName: learner.displayName,
      cells: exercises.map((exercise) => {
        const row = byKey.get(`${learner.id}/${exercise.lessonId}/${exercise.exerciseId}`);
        const status: ProgressStatus = !row ? "not-started" : row.passed ? "passed" : "attempted";
        return {
          status,
          attempts: row?.attempts ?? 0,
          bestScore: row?.bestScore ?? 0,
          lastActivityAt: row?.lastActivityAt.toISOString() ?? null,
        };
      }),
    })),
  };
}

// RFC 4180 quoting; a leading =, +, - or @ is prefixed so a spreadsheet never runs a learner's
// display name as a formula (CSV injection).
function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function progressCsv(matrix: ReturnType<typeof progressMatrix>): string {
  const header = [
    "learner_id",
    "display_name",
    "lesson_id",
    "exercise_id",
    "status",
    "attempts",
    "best_score",
    "last_activity_at",
  ];
  const lines = [header.join(",")];
  for (const learner of matrix.learners) {
    matrix.exercises.forEach((exercise, index) => {
      const cell = learner.cells[index]!;
      lines.push(
        [
          learner.id,
          learner.displayName,
          exercise.lessonId,
          exercise.exerciseId,
          cell.status,
          cell.attempts,
          cell.bestScore,
          cell.lastActivityAt,
        ]
          .map(csvField)
          .join(","),
      );
    });
  }
  return lines.join("\r\n") + "\r\n";
}
