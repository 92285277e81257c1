// The lessons on offer (public: no token needed to read them).
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { ExerciseDetail as DomainExerciseDetail } from "../grading/types.ts";
import type { Language } from "../runner/types.ts";
import type { RouteDeps } from "./deps.ts";
import { apiError, quote } from "./errors.ts";
import { Lesson, LessonSummary, type ExerciseDetail } from "./lesson-schemas.ts";
import { ref } from "./schema-kit.ts";
import { responses } from "./schemas.ts";

const LessonList = Type.Object(
  { items: Type.Array(ref(LessonSummary)) },
  { $id: "LessonList", description: "The lessons on offer, in order." },
);

export const lessonListSchemas = [LessonList];

/**
 * The languages an exercise runs in here, in `runnable`'s order: every language the server runs,
 * but Rust only where the exercise has a Rust starter (a JavaScript program runs as TypeScript,
 * so the two share the exercise's one starter; a Rust program is a different one).
 */
export function exerciseLanguages(
  exercise: Pick<DomainExerciseDetail, "starterCodeByLanguage">,
  runnable: readonly Language[],
): Language[] {
  return runnable.filter(
    (language) => language !== "rust" || exercise.starterCodeByLanguage.rust !== undefined,
  );
}

export const lessonRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    "/v1/lessons",
    {
      schema: {
        tags: ["lessons"],
        operationId: "listLessons",
        summary: "The lessons, in order.",
        response: { 200: ref(LessonList) },
      },
    },
    async () => ({ items: deps.catalogue.list().toSorted((a, b) => a.order - b.order) }),
  );

  app.get(
    "/v1/lessons/:lessonId",
    {
      schema: {
        tags: ["lessons"],
        operationId: "getLesson",
        summary:
          "One lesson with its exercises, instructions, starter code and the learner API's types.",
        params: Type.Object({ lessonId: Type.String({ maxLength: 100 }) }),
        response: responses({ 200: ref(Lesson) }, 400, 404),
      },
    },
    async (request) => {
      const lesson = deps.catalogue.get(request.params.lessonId);
      if (!lesson)
        throw apiError(
          "LESSON_NOT_FOUND",
          `No lesson has the id ${quote(request.params.lessonId)}.`,
        );
      const exercises: ExerciseDetail[] = lesson.exercises.map((exercise) => ({
        ...exercise,
        languages: exerciseLanguages(exercise, deps.languages),
      }));
      return { ...lesson, exercises, learnerApi: deps.learnerApi };
    },
  );
};
