// A teacher manages a class's roster: rename a learner, remove one, merge a learner who joined
// twice into the other, delete the class. Someone else's class or learner answers 404.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { teacherIdOf } from "./auth.ts";
import type { RouteDeps } from "./deps.ts";
import { apiError, quote } from "./errors.ts";
import { ref } from "./schema-kit.ts";
import { Name, responses, Timestamp, Uuid } from "./schemas.ts";

export const ClassLearner = Type.Object(
  { id: Uuid, displayName: Type.String(), joinedAt: Timestamp },
  { $id: "ClassLearner", description: "A learner in a class's roster." },
);

export const RenameLearnerRequest = Type.Object(
  { displayName: Name },
  { $id: "RenameLearnerRequest", examples: [{ displayName: "Ada Lovelace" }] },
);

export const MergeLearnerRequest = Type.Object(
  {
    fromLearnerId: Uuid,
  },
  {
    $id: "MergeLearnerRequest",
    examples: [{ fromLearnerId: "0b6f3c1e-8a4d-4a51-9a63-1f5e2d7c9b20" }],
    description:
      "The duplicate: its sessions, submissions, tokens and progress move to the learner in the path, then it is deleted.",
  },
);

export const rosterSchemas = [ClassLearner, RenameLearnerRequest, MergeLearnerRequest];

const ClassParams = Type.Object({ classId: Uuid });
const LearnerParams = Type.Object({ classId: Uuid, learnerId: Uuid });

const view = (row: { id: string; displayName: string; joinedAt: Date }) => ({
  id: row.id,
  displayName: row.displayName,
  joinedAt: row.joinedAt.toISOString(),
});

export const rosterRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { accounts, roster } = deps.store;
  const preHandler = app.requireRole("teacher");

  async function ownClass(teacherId: string, classId: string) {
    if (!(await accounts.findTeachersClass(teacherId, classId))) {
      throw apiError("NOT_FOUND", `You have no class ${quote(classId)}.`);
    }
  }
  const noLearner = (learnerId: string) =>
    apiError("NOT_FOUND", `The class has no learner ${quote(learnerId)}.`);

  app.patch(
    "/v1/classes/:classId/learners/:learnerId",
    {
      preHandler,
      schema: {
        tags: ["classes"],
        operationId: "renameClassLearner",
        summary: "Rename a learner of the class.",
        params: LearnerParams,
        body: ref(RenameLearnerRequest),
        response: responses({ 200: ref(ClassLearner) }, 400, 401, 403, 404, 503),
      },
    },
    async (request) => {
      const { classId, learnerId } = request.params;
      await ownClass(teacherIdOf(request), classId);
      const renamed = await roster.renameLearner(
        classId,
        learnerId,
        request.body.displayName.trim(),
      );
      if (!renamed) throw noLearner(learnerId);
      return view(renamed);
    },
  );

  app.delete(
    "/v1/classes/:classId/learners/:learnerId",
    {
      preHandler,
      schema: {
        tags: ["classes"],
        operationId: "removeClassLearner",
        summary: "Remove a learner from the class.",
        description:
          "A learner in no other class is deleted with their sessions, submissions and tokens.",
        params: LearnerParams,
        response: responses(
          { 204: { type: "null", description: "Done." } },
          400,
          401,
          403,
          404,
          503,
        ),
      },
    },
    async (request, reply) => {
      const { classId, learnerId } = request.params;
      await ownClass(teacherIdOf(request), classId);
      if (!(await roster.removeLearner(classId, learnerId))) throw noLearner(learnerId);
      await app.forgetLearners([learnerId]);
      return reply.status(204).send();
    },
  );

  app.post(
    "/v1/classes/:classId/learners/:learnerId/merge",
    {
      preHandler,
      schema: {
        tags: ["classes"],
        operationId: "mergeClassLearner",
        summary: "Merge a learner who joined twice into this one.",
        description:
          "Attempts add up, the best score and first pass are kept, the latest attempt is the newer of the two; the duplicate's tokens now stand for this learner.",
        params: LearnerParams,
        body: ref(MergeLearnerRequest),
        response: responses({ 200: ref(ClassLearner) }, 400, 401, 403, 404, 503),
      },
    },
    async (request) => {
      const { classId, learnerId } = request.params;
      const { fromLearnerId } = request.body;
      await ownClass(teacherIdOf(request), classId);
      if (fromLearnerId === learnerId) {
        throw apiError("VALIDATION_FAILED", "A learner cannot be merged into themselves.");
      }
      if (!(await roster.mergeLearners(classId, learnerId, fromLearnerId))) {
        const missing = (await accounts.isEnrolled(classId, learnerId)) ? fromLearnerId : learnerId;
        throw noLearner(missing);
      }
      await app.forgetLearners([fromLearnerId]);
      const merged = await roster.findLearner(classId, learnerId);
      if (!merged) throw noLearner(learnerId);
      return view(merged);
    },
  );

  app.delete(
    "/v1/classes/:classId",
    {
      preHandler,
      schema: {
        tags: ["classes"],
        operationId: "deleteClass",
        summary: "Delete the class.",
        description:
          "Its learners who are in no other class are deleted with their sessions, submissions and tokens.",
        params: ClassParams,
        response: responses(
          { 204: { type: "null", description: "Done." } },
          400,
          401,
          403,
          404,
          503,
        ),
      },
    },
    async (request, reply) => {
      await ownClass(teacherIdOf(request), request.params.classId);
      await app.forgetLearners(await roster.deleteClass(request.params.classId));
      return reply.status(204).send();
    },
  );
};
