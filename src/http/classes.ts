// Classes: teachers create them and follow their learners; learners join with the code.
// A teacher asking about a class (or learner) that is not theirs gets 404, as if it did not exist.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { teacherIdOf } from "./auth.ts";
import { exerciseStats, WRONG_ANSWERS_SHOWN } from "./class-insight.ts";
import { catalogueExercises, progressCsv, progressMatrix, STUCK_AFTER } from "./class-report.ts";
import { ClassProgress, ClassStats } from "./class-report-schemas.ts";
import type { RouteDeps } from "./deps.ts";
import { LinkQuery } from "./downloads.ts";
import { apiError, quote } from "./errors.ts";
import {
  Class,
  ClassList,
  CreateClassRequest,
  JoinClassRequest,
  JoinedClass,
  LearnerSubmissionPage,
  UpdateClassRequest,
} from "./class-schemas.ts";
import type { ClassRecord } from "../progress/accounts.ts";
import { ref } from "./schema-kit.ts";
import { PageQuery, responses, Uuid } from "./schemas.ts";
import { pageOfSubmissions, submissionView } from "./views.ts";

const ClassParams = Type.Object({ classId: Uuid });

const view = (row: ClassRecord) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
});

const joinRateLimited = (retryAfterSeconds: number) =>
  apiError(
    "JOIN_RATE_LIMITED",
    `Too many failed join attempts from your address; retry in ${retryAfterSeconds} s.`,
    { "retry-after": String(retryAfterSeconds) },
  );

export const classRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { accounts, reports } = deps.store;
  const teacherOnly = { preHandler: app.requireRole("teacher") };
  // The catalogue is read-only once loaded: the matrix's columns are worked out once.
  const exercises = catalogueExercises(deps.catalogue);

  async function ownClass(teacherId: string, classId: string) {
    const found = await accounts.findTeachersClass(teacherId, classId);
    if (!found) throw apiError("NOT_FOUND", `You have no class ${quote(classId)}.`);
    return found;
  }

  async function matrixOf(classId: string) {
    const [learners, progress] = await Promise.all([
      reports.classLearners(classId),
      reports.classProgress(classId),
    ]);
    return progressMatrix(exercises, learners, progress);
  }

  app.post(
    "/v1/classes",
    {
      ...teacherOnly,
      schema: {
        tags: ["classes"],
        operationId: "createClass",
        summary: "Create a class; learners join it with its code.",
        body: ref(CreateClassRequest),
        response: responses({ 201: ref(Class) }, 400, 401, 403, 503),
      },
    },
    async (request, reply) => {
      const created = await accounts.createClass(teacherIdOf(request), request.body.name.trim());
      return reply.status(201).send(view(created));
    },
  );

  app.get(
    "/v1/classes",
    {
      ...teacherOnly,
      schema: {
        tags: ["classes"],
        operationId: "listClasses",
        summary: "Your classes.",
        response: responses({ 200: ref(ClassList) }, 401, 403, 503),
      },
    },
    async (request) => ({ items: (await accounts.listClasses(teacherIdOf(request))).map(view) }),
  );

  app.post(
    "/v1/classes/join",
    {
      schema: {
        tags: ["classes"],
        operationId: "joinClass",
        summary: "Join a class with its code; returns a new learner's token (shown once).",
        description:
          "Unknown codes are limited per client address (JOIN_FAILURE_LIMIT a minute, ten times as many near a real class's code; then 429 JOIN_RATE_LIMITED with Retry-After), so codes cannot be guessed by brute force. Successful joins are limited per address and per class (JOIN_LIMIT_PER_ADDRESS, JOIN_LIMIT_PER_CLASS an hour; then 429 TOO_MANY_JOINS). A class its teacher closed answers 403 CLASS_CLOSED.",
        body: ref(JoinClassRequest),
        response: responses({ 201: ref(JoinedClass) }, 400, 403, 404, 429, 503),
      },
    },
    async (request, reply) => {
      const { joinCode } = request.body;
      const quotas = deps.joinQuotas;
      // Checked before the lookup, so an address that is guessing learns nothing, even from a
      // right code. Typos near a real code are counted apart (join-quotas.ts).
      const guessing = await quotas.guessing(request.ip, joinCode);
      if (guessing) throw joinRateLimited(guessing.retryAfterSeconds);
      const found = await accounts.findClassByCode(joinCode);
      if (!found) {
        const near = await accounts.codePrefixInUse(quotas.prefixOf(joinCode));
        const refused = await quotas.failed(request.ip, joinCode, near);
        if (refused) throw joinRateLimited(refused.retryAfterSeconds);
        throw apiError("CLASS_NOT_FOUND", `No class has the join code ${quote(joinCode)}.`);
      }
      if (!found.joinsOpen)
        throw apiError(
          "CLASS_CLOSED",
          `The class ${quote(found.name)} is closed to new learners; ask your teacher.`,
        );
      const over = await quotas.admit(request.ip, found.id);
      if (over) {
        throw apiError(
          "TOO_MANY_JOINS",
          over.refused === "address"
            ? `Too many learners joined from your address this hour; retry in ${over.retryAfterSeconds} s.`
            : `Too many learners joined this class this hour; retry in ${over.retryAfterSeconds} s.`,
          { "retry-after": String(over.retryAfterSeconds) },
        );
      }
      try {
        const joined = await accounts.enrol(found, request.body.displayName.trim());
        return reply.status(201).send(joined);
      } catch (error) {
        await quotas.release(request.ip, found.id);
        throw error;
      }
    },
  );

  app.patch(
    "/v1/classes/:classId",
    {
      ...teacherOnly,
      schema: {
        tags: ["classes"],
        operationId: "updateClass",
        summary: "Open or close your class to new learners (joinsOpen).",
        description:
          "A closed class keeps its learners and their progress; joining it answers 403 CLASS_CLOSED until it is opened again.",
        params: ClassParams,
        body: ref(UpdateClassRequest),
        response: responses({ 200: ref(Class) }, 400, 401, 403, 404, 503),
      },
    },
    async (request) => {
      const updated = await accounts.setJoinsOpen(
        teacherIdOf(request),
        request.params.classId,
        request.body.joinsOpen,
      );
      if (!updated)
        throw apiError("NOT_FOUND", `You have no class ${quote(request.params.classId)}.`);
      return view(updated);
    },
  );

  app.get(
    "/v1/classes/:classId/progress",
    {
      ...teacherOnly,
      schema: {
        tags: ["classes"],
        operationId: "getClassProgress",
        summary: "The class's progress: one row per learner, one cell per exercise.",
        params: ClassParams,
        response: responses({ 200: ref(ClassProgress) }, 400, 401, 403, 404, 503),
      },
    },
    async (request, reply) => {
      const found = await ownClass(teacherIdOf(request), request.params.classId);
      // Thousands of cells: JSON.stringify is several times faster here than the schema's
      // serialiser (which checks each nullable field against both branches); the rows are built
      // to the schema (ProgressCell) and tests validate the answer against the published document.
      const body = { class: view(found), ...(await matrixOf(found.id)) };
      return reply.type("application/json; charset=utf-8").serializer(JSON.stringify).send(body);
    },
  );

  app.get(
    "/v1/classes/:classId/progress.csv",
    {
      preHandler: app.requireRoleOrLink("teacher"),
      schema: {
        tags: ["classes"],
        operationId: "getClassProgressCsv",
        summary: "The progress matrix as CSV, one line per learner and exercise.",
        description:
          "An attachment (Content-Disposition). A page can link to it without a token: POST /v1/download-links.",
        params: ClassParams,
        querystring: LinkQuery,
        response: responses(
          {
            200: {
              description: "RFC 4180 CSV with a header line.",
              content: { "text/csv": { schema: { type: "string" } } },
            },
          },
          400,
          401,
          403,
          404,
          503,
        ),
      },
    },
    async (request, reply) => {
      const found = await ownClass(teacherIdOf(request), request.params.classId);
      const filename = `class-${found.id}-progress.csv`;
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${filename}"`)
        .send(progressCsv(await matrixOf(found.id)));
    },
  );

  app.get(
    "/v1/classes/:classId/stats",
    {
      ...teacherOnly,
      schema: {
        tags: ["classes"],
        operationId: "getClassStats",
        summary:
          "Per exercise: pass rate, median attempts to pass, checks failed (root cause first), common wrong answers.",
        params: ClassParams,
        response: responses({ 200: ref(ClassStats) }, 400, 401, 403, 404, 503),
      },
    },
    async (request) => {
      const found = await ownClass(teacherIdOf(request), request.params.classId);
      const [stats, checkFailures, wrongAnswers, learners] = await Promise.all([
        reports.exerciseStats(found.id, STUCK_AFTER),
        reports.checkFailures(found.id),
        reports.wrongAnswers(found.id, WRONG_ANSWERS_SHOWN),
        reports.classLearners(found.id),
      ]);
      const facts = { learners: learners.length, stats, checkFailures, wrongAnswers };
      return { items: exerciseStats(exercises, facts) };
    },
  );

  app.get(
    "/v1/classes/:classId/learners/:learnerId/submissions",
    {
      ...teacherOnly,
      schema: {
        tags: ["classes"],
        operationId: "listClassLearnerSubmissions",
        summary:
          "A learner's submissions with code, newest first; traces at /v1/submissions/{id}/trace.",
        params: Type.Object({ classId: Uuid, learnerId: Uuid }),
        querystring: PageQuery,
        response: responses({ 200: ref(LearnerSubmissionPage) }, 400, 401, 403, 404, 503),
      },
    },
    async (request) => {
      const { classId, learnerId } = request.params;
      await ownClass(teacherIdOf(request), classId);
      if (!(await accounts.isEnrolled(classId, learnerId))) {
        throw apiError("NOT_FOUND", `The class has no learner ${quote(learnerId)}.`);
      }
      return pageOfSubmissions(deps.store.submissions, learnerId, request.query, submissionView);
    },
  );
};
