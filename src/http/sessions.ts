// A learner starts a session on a lesson: the seed fixes the session's addresses, and each
// exercise's topology view says what the learner may know of the network. A page that reloads
// resumes the latest session of its lesson (POST with resume: true), so Alice keeps her address.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type, type Static } from "typebox";
import type { LessonCatalogue } from "../grading/types.ts";
import type { SessionRecord } from "../progress/submissions.ts";
import { learnerIdOf } from "./auth.ts";
import type { RouteDeps } from "./deps.ts";
import { apiError, quote } from "./errors.ts";
import { Session } from "./lesson-schemas.ts";
import { nullable, ref } from "./schema-kit.ts";
import { decodeCursor, encodeCursor } from "./views.ts";
import { ID_PATTERN, responses, Uuid } from "./schemas.ts";

export const CreateSessionRequest = Type.Object(
  {
    lessonId: Type.String({ minLength: 1, maxLength: 100 }),
    resume: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "True: answer your latest session on this lesson if you have one (200), and start one only if not (201).",
      }),
    ),
  },
  {
    $id: "CreateSessionRequest",
    examples: [{ lessonId: "exchanging-messages", resume: true }],
  },
);

export const SessionPage = Type.Object(
  {
    items: Type.Array(ref(Session)),
    nextCursor: nullable(Type.String(), {
      description: "Pass as `cursor` for the next page; null at the end.",
    }),
  },
  { $id: "SessionPage", description: "Your sessions, newest first." },
);

const SessionQuery = Type.Object({
  lessonId: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: ID_PATTERN,
      description: "Only this lesson's.",
    }),
  ),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const sessionRequestSchemas = [CreateSessionRequest, SessionPage];

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
        summary: "Start a session on a lesson, or resume your latest one on it.",
        description:
          "Each new session has a new seed, so new addresses (Alice's among them). A page that reloads should send `resume: true`: it gets the latest session of the lesson (200) and the learner keeps their network; only a learner with none gets a new one (201).",
        body: ref(CreateSessionRequest),
        response: responses({ 200: ref(Session), 201: ref(Session) }, 400, 401, 403, 404, 503),
      },
    },
    async (request, reply) => {
      const { lessonId, resume } = request.body;
      if (!deps.catalogue.get(lessonId))
        throw apiError("LESSON_NOT_FOUND", `No lesson has the id ${quote(lessonId)}.`);
      const learnerId = learnerIdOf(request);
      if (resume) {
        const [latest] = await deps.store.submissions.listSessions(learnerId, {
          limit: 1,
          lessonId,
        });
        if (latest) return reply.status(200).send(sessionView(deps.catalogue, latest));
      }
      const session = await deps.store.submissions.createSession(learnerId, lessonId);
      return reply.status(201).send(sessionView(deps.catalogue, session));
    },
  );

  app.get(
    "/v1/sessions",
    {
      ...learnerOnly,
      schema: {
        tags: ["sessions"],
        operationId: "listSessions",
        summary: "Your sessions, newest first; `lessonId` keeps one lesson's.",
        querystring: SessionQuery,
        response: responses({ 200: ref(SessionPage) }, 400, 401, 403, 503),
      },
    },
    async (request) => {
      const { cursor, limit = 20, lessonId } = request.query;
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      if (cursor !== undefined && !after)
        throw apiError("INVALID_CURSOR", `Cursor ${quote(cursor)} is not one this API returned.`);
      const rows = await deps.store.submissions.listSessions(learnerIdOf(request), {
        limit: limit + 1,
        after,
        lessonId,
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((session) => sessionView(deps.catalogue, session)),
        nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
      };
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
