// The lessons on offer (public: no token needed to read them).
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { RouteDeps } from "./deps.ts";
import { apiError, quote } from "./errors.ts";
import { responses } from "./schemas.ts";

const ExerciseSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  order: Type.Integer(),
});

const LessonSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  version: Type.String(),
  order: Type.Integer(),
  summary: Type.String(),
  exercises: Type.Array(ExerciseSummary),
});

const ExerciseDetail = Type.Object({
  ...ExerciseSummary.properties,
  instructions: Type.String({ description: "Markdown." }),
  starterCode: Type.String(),
  language: Type.String(),
  checks: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      weight: Type.Number(),
      required: Type.Boolean(),
    }),
  ),
});

const LessonDetail = Type.Object({
  id: Type.String(),
  title: Type.String(),
  version: Type.String(),
  order: Type.Integer(),
  summary: Type.String(),
  introduction: Type.String({ description: "Markdown." }),
  exercises: Type.Array(ExerciseDetail),
  learnerApi: Type.String({
    description: "TypeScript declarations of the `net` module learners program against.",
  }),
});

export const lessonRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    "/v1/lessons",
    {
      schema: {
        tags: ["lessons"],
        summary: "The lessons, in order.",
        response: { 200: Type.Object({ items: Type.Array(LessonSummary) }) },
      },
    },
    async () => ({ items: deps.catalogue.list().toSorted((a, b) => a.order - b.order) }),
  );

  app.get(
    "/v1/lessons/:lessonId",
    {
      schema: {
        tags: ["lessons"],
        summary:
          "One lesson with its exercises, instructions, starter code and the learner API's types.",
        params: Type.Object({ lessonId: Type.String({ maxLength: 100 }) }),
        response: responses({ 200: LessonDetail }, 400, 404),
      },
    },
    async (request) => {
      const lesson = deps.catalogue.get(request.params.lessonId);
      if (!lesson)
        throw apiError(
          "LESSON_NOT_FOUND",
          `No lesson has the id ${quote(request.params.lessonId)}.`,
        );
      return { ...lesson, learnerApi: deps.learnerApi };
    },
  );
};
