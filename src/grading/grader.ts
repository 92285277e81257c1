// The grading service: instantiate the exercise's network for the learner's seed, run the code
// there, grade the run. The runner is reached only through its narrow interface.
import type { RunOptions, Runner } from "../runner/types.ts";
import { gradeRun } from "./grade-run.ts";
import type { LoadedCatalogue } from "./lesson.ts";
import type { GradedRun, GradeRequest, Grader } from "./types.ts";
import { summariseWire } from "./wire-summary.ts";

export type GradingErrorCode = "LESSON_NOT_FOUND" | "EXERCISE_NOT_FOUND";

export class GradingError extends Error {
  constructor(
    readonly code: GradingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "GradingError";
  }
}

export interface GraderDeps {
  catalogue: Pick<LoadedCatalogue, "lesson" | "exercise">;
  runner: Pick<Runner, "run">;
}

export function createGrader({ catalogue, runner }: GraderDeps): Grader {
  return {
    async gradeSubmission(request: GradeRequest, options?: RunOptions): Promise<GradedRun> {
      const lesson = catalogue.lesson(request.lessonId);
      if (!lesson) {
        throw new GradingError("LESSON_NOT_FOUND", `there is no lesson "${request.lessonId}"`);
      }
      const exercise = catalogue.exercise(request.lessonId, request.exerciseId);
      if (!exercise) {
        throw new GradingError(
          "EXERCISE_NOT_FOUND",
          `lesson "${request.lessonId}" has no exercise "${request.exerciseId}"`,
        );
      }
      const instance = lesson.topology(request.seed, request.exerciseId);
      const run = await runner.run(
        {
          code: request.code,
          language: request.language,
          topology: instance.topology,
          seed: request.seed,
          files: instance.files,
          ...(request.limits === undefined ? {} : { limits: request.limits }),
        },
        options,
      );
      return {
        lessonId: request.lessonId,
        lessonVersion: lesson.detail.version,
        exerciseId: request.exerciseId,
        run,
        grade: gradeRun(exercise, run, { ...instance, seed: request.seed }),
        wire: summariseWire(run.packets, instance.topology),
      };
    },
  };
}
