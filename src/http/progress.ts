// A learner's own progress across every exercise on offer, started or not.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { learnerIdOf } from "./auth.ts";
import { catalogueExercises } from "./class-report.ts";
import type { RouteDeps } from "./deps.ts";
import { ref } from "./schema-kit.ts";
import { ProgressItem, responses, Timestamp } from "./schemas.ts";

const ProgressList = Type.Object(
  { items: Type.Array(ref(ProgressItem)) },
  { $id: "ProgressList", description: "Every exercise on offer, started or not." },
);

const WsTicket = Type.Object(
  {
    ticket: Type.String({ description: "Open the stream with ?ticket=… within 60 s; single use." }),
    expiresAt: Timestamp,
  },
  { $id: "WsTicket" },
);

export const progressSchemas = [ProgressList, WsTicket];
import { progressView } from "./views.ts";

export const progressRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    "/v1/progress",
    {
      preHandler: app.requireRole("learner"),
      schema: {
        tags: ["progress"],
        operationId: "getProgress",
        summary: "Your progress on every exercise.",
        response: responses({ 200: ref(ProgressList) }, 401, 403, 503),
      },
    },
    async (request) => {
      const rows = await deps.store.submissions.learnerProgress(learnerIdOf(request));
      const byKey = new Map(rows.map((row) => [`${row.lessonId}/${row.exerciseId}`, row]));
      const offered = catalogueExercises(deps.catalogue);
      const items = offered.map(({ lessonId, exerciseId }) => {
        const row = byKey.get(`${lessonId}/${exerciseId}`);
        byKey.delete(`${lessonId}/${exerciseId}`);
        return row
          ? progressView(row)
          : {
              lessonId,
              exerciseId,
              status: "not-started" as const,
              attempts: 0,
              bestScore: 0,
              firstPassedAt: null,
              lastActivityAt: null,
            };
      });
      // Progress on exercises no longer offered is still the learner's.
      return { items: [...items, ...[...byKey.values()].map(progressView)] };
    },
  );

  app.post(
    "/v1/ws-tickets",
    {
      preHandler: app.requireRole("learner"),
      schema: {
        tags: ["stream"],
        operationId: "createWsTicket",
        summary:
          "A single-use ticket (valid 60 s) to open the session stream from a browser: ?ticket=…",
        response: responses({ 201: ref(WsTicket) }, 401, 403, 503),
      },
    },
    async (request, reply) => {
      const { ticket, expiresAt } = await deps.store.accounts.createWsTicket(learnerIdOf(request));
      return reply.status(201).send({ ticket, expiresAt: expiresAt.toISOString() });
    },
  );
};
