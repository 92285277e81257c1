// A learner starts a session on a lesson: the seed fixes the session's addresses, and each
// exercise's topology view says what the learner may know of the network.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type, type Static } from "typebox";
import type { LessonCatalogue } from "../grading/types.ts";
import type { SessionRecord } from "../progress/submissions.ts";
import { learnerIdOf } from "./auth.ts";
import type { RouteDeps } from "./deps.ts";
import { apiError, quote } from "./errors.ts";
import { Session } from "./lesson-schemas.ts";
import { ref } from "./schema-kit.ts";
import { responses, Uuid } from "./schemas.ts";

export const CreateSessionRequest = Type.Object(
  { lessonId: Type.String({ minLength: 1, maxLength: 100 }) },
  { $id: "CreateSessionRequest", examples: [{ lessonId: "exchanging-messages" }] },
);

export const sessionRequestSchemas = [CreateSessionRequest];

export function sessionView(
  catalogue: Pick<LessonCatalogue, "get" | "instantiate">,
  session: SessionRecord,
): Static<typeof Session> {
  const lesson = catalogue.get(session.lessonId);
  const exercises = (lesson?.exercises ?? []).flatMap((exercise) => {
    const instance = catalogue.instantiate(session.lessonId, exercise.id, session.seed);
    return instance ? [{ id: exercise.id, title: exercise.title, topology: instance.view }] : [];
  });
  return {
    id: session.id,
    lessonId: session.lessonId,
    seed: session.seed,
    createdAt: session.createdAt.toISOString(),
    exercises,
  };
}

export const sessionRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const learnerOnly = { preHandler: app.requireRole("learner") };

  app.post(
    "/v1/sessions",
    {
      ...learnerOnly,
      schema: {
        tags: ["sessions"],
        operationId: "createSession",
        summary: "Start a session on a lesson.",
        body: ref(CreateSessionRequest),
        response: responses({ 201: ref(Session) }, 400, 401, 403, 404, 503),
      },
    },
    async (request, reply) => {
      const { lessonId } = request.body;
      if (!deps.catalogue.get(lessonId))
        throw apiError("LESSON_NOT_FOUND", `No lesson has the id ${quote(lessonId)}.`);
      const session = await deps.store.submissions.createSession(learnerIdOf(request), lessonId);
      return reply.status(201).send(sessionView(deps.catalogue, session));
    },
  );

  app.get(
    "/v1/sessions/:sessionId",
    {
      ...learnerOnly,
      schema: {
        tags: ["sessions"],
        operationId: "getSession",
        summary: "One of your sessions.",
        params: Type.Object({ sessionId: Uuid }),
        response: responses({ 200: ref(Session) }, 400, 401, 403, 404, 503),
      },
    },
    async (request) => {
      const session = await deps.store.submissions.findSession(
        learnerIdOf(request),
        request.params.sessionId,
      );
      if (!session)
        throw apiError(
          "SESSION_NOT_FOUND",
          `You have no session ${quote(request.params.sessionId)}.`,
        );
      return sessionView(deps.catalogue, session);
    },
  );
};
