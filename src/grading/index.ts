// The grading area: lessons loaded from lessons/, checks over runs, and the grader service.
export * from "./types.ts";
export * from "./check.ts";
export * from "./lesson.ts";
export { gradeRun, type GradeContext, type GradableExercise } from "./grade-run.ts";
export { OUTCOME_CHECK_ID } from "./outcome.ts";
export { createCatalogue, loadLessons, LessonLoadError } from "./catalogue.ts";
export { inspectLessons } from "./loader/load-lessons.ts";
export { createGrader, GradingError, type GraderDeps } from "./grader.ts";
export { checkLessons, feedbackOf } from "./lessons-check.ts";
export { describeSubject, subjectMismatch } from "./subject-expectation.ts";
