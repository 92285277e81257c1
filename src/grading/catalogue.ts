// The catalogue the service reads: lessons in order, their public views, and one exercise's
// network for one session seed.
import type { LessonProblem, LoadedCatalogue, LoadedLesson } from "./lesson.ts";
import { formatProblem } from "./lesson.ts";
import { inspectLessons } from "./loader/load-lessons.ts";
import type { InstantiatedExercise, LessonDetail, LessonSummary } from "./types.ts";

export class LessonLoadError extends Error {
  readonly code = "LESSONS_INVALID";
  constructor(readonly problems: LessonProblem[]) {
    super(
      `the lessons have ${problems.length} problem(s):\n${problems.map(formatProblem).join("\n")}`,
    );
    this.name = "LessonLoadError";
  }
}

/** Loads every lesson under `dir`; throws LessonLoadError listing all problems if any. */
export async function loadLessons(dir: string): Promise<LoadedCatalogue> {
  const { lessons, problems } = await inspectLessons(dir);
  if (problems.length > 0) throw new LessonLoadError(problems);
  return createCatalogue(lessons);
}

export function createCatalogue(lessons: readonly LoadedLesson[]): LoadedCatalogue {
  const byId = new Map(lessons.map((lesson) => [lesson.detail.id, lesson]));
  const summaries: LessonSummary[] = lessons.map(({ detail }) => ({
    id: detail.id,
    title: detail.title,
    version: detail.version,
    order: detail.order,
    summary: detail.summary,
    exercises: detail.exercises.map(({ id, title, order }) => ({ id, title, order })),
  }));
  return {
    list: () => summaries,
    get: (lessonId: string): LessonDetail | undefined => byId.get(lessonId)?.detail,
    lessons: () => [...lessons],
    lesson: (lessonId) => byId.get(lessonId),
    exercise: (lessonId, exerciseId) =>
      byId.get(lessonId)?.exercises.find((exercise) => exercise.detail.id === exerciseId),
    instantiate(lessonId, exerciseId, seed): InstantiatedExercise | undefined {
      const lesson = byId.get(lessonId);
      if (!lesson?.exercises.some((exercise) => exercise.detail.id === exerciseId))
        return undefined;
      return lesson.topology(seed, exerciseId);
    },
  };
}
