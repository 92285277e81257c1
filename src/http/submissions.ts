// Submissions: graded synchronously (with a cap on waiting), listed with a cursor, fetched one
// by one with their packet trace. A learner sees their own; a teacher those of their learners.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { writePcap } from "../protocols/pcap.ts";
import { learnerIdOf } from "./auth.ts";
import type { RouteDeps } from "./deps.ts";
import { LinkQuery } from "./downloads.ts";
import { apiError, quote } from "./errors.ts";
import { Trace } from "./packet-schemas.ts";
import { ref } from "./schema-kit.ts";
import {
  PageQuery,
  responses,
  Submission,
  SubmissionPage,
  SubmissionResult,
  SubmissionResultHead,
  SubmitBody,
  Uuid,
} from "./schemas.ts";
import {
  currentPackets,
  pageOfSubmissions,
  submissionResultJson,
  submissionSummary,
  submissionView,
} from "./views.ts";

const SubmissionParams = Type.Object({ submissionId: Uuid });

/** The compiled serialiser of SubmissionResultHead (fastify compiles it once and caches it). */
const serializeHead = (reply: FastifyReply) =>
  reply.compileSerializationSchema(SubmissionResultHead as unknown as Record<string, unknown>) as (
    value: unknown,
  ) => string;

export const submissionRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { submissions, accounts } = deps.store;

  /** The submission if the caller may see it; otherwise 404, whether it exists or not. */
  async function visibleSubmission(request: FastifyRequest, id: string) {
    const row = await submissions.findSubmission(id);
    const principal = request.principal;
    const visible =
      row &&
      ((principal?.role === "learner" && principal.learnerId === row.learnerId) ||
        (principal?.role === "teacher" &&
          (await accounts.teachesLearner(principal.teacherId, row.learnerId))));
    if (!row || !visible)
      throw apiError("SUBMISSION_NOT_FOUND", `No submission ${quote(id)} that you may see.`);
    return row;
  }

  app.post(
    "/v1/sessions/:sessionId/submissions",
    {
      preHandler: app.requireRole("learner"),
      schema: {
        tags: ["submissions"],
        operationId: "createSubmission",
        summary:
          "Submit a program for an exercise; returns its grade, output and packets once stored.",
        description:
          "Send an `Idempotency-Key` header to retry safely: the same key returns the stored submission instead of grading again. Waits at most SYNC_WAIT_MS for a sandbox (503 RUNNER_BUSY past it).",
        params: Type.Object({ sessionId: Uuid }),
        headers: Type.Object({
          "idempotency-key": Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        }),
        body: ref(SubmitBody),
        response: responses(
          { 200: ref(SubmissionResult), 201: ref(SubmissionResult) },
          400,
          401,
          403,
          404,
          409,
          413,
          415,
          422,
          429,
          503,
        ),
      },
    },
    async (request, reply) => {
      const learnerId = learnerIdOf(request);
      const session = await submissions.findSession(learnerId, request.params.sessionId);
      if (!session)
        throw apiError(
          "SESSION_NOT_FOUND",
          `You have no session ${quote(request.params.sessionId)}.`,
        );
      const controller = new AbortController();
      // A client that hangs up does not need its run any more.
      request.raw.once("close", () => {
        if (!reply.sent && request.raw.destroyed) controller.abort();
      });
      const submitted = await deps.submitter.submit({
        learnerId,
        session,
        exerciseId: request.body.exerciseId,
        code: request.body.code,
        language: request.body.language,
        idempotencyKey: request.headers["idempotency-key"],
        channel: "http",
        signal: controller.signal,
      });
      // Already JSON text (fastify sends a string with a JSON type as is): the type provider
      // expects the object it would have serialised, hence the cast.
      const json = submissionResultJson(serializeHead(reply), submitted);
      return reply
        .status(submitted.replayed ? 200 : 201)
        .header("location", `/v1/submissions/${submitted.row.id}`)
        .type("application/json; charset=utf-8")
        .send(json as never);
    },
  );

  app.get(
    "/v1/submissions",
    {
      preHandler: app.requireRole("learner"),
      schema: {
        tags: ["submissions"],
        operationId: "listSubmissions",
        summary: "Your submissions, newest first.",
        querystring: PageQuery,
        response: responses({ 200: ref(SubmissionPage) }, 400, 401, 403, 503),
      },
    },
    async (request) =>
      pageOfSubmissions(submissions, learnerIdOf(request), request.query, submissionSummary),
  );

  app.get(
    "/v1/submissions/:submissionId",
    {
      preHandler: app.requireRole("learner", "teacher"),
      schema: {
        tags: ["submissions"],
        operationId: "getSubmission",
        summary: "One submission with its code, grade and output.",
        params: SubmissionParams,
        response: responses({ 200: ref(Submission) }, 400, 401, 403, 404, 503),
      },
    },
    async (request) =>
      submissionView(await visibleSubmission(request, request.params.submissionId)),
  );

  app.get(
    "/v1/submissions/:submissionId/trace",
    {
      preHandler: app.requireRole("learner", "teacher"),
      schema: {
        tags: ["submissions"],
        operationId: "getSubmissionTrace",
        summary: "The run's packets, for replay (at most TRACE_MAX_PACKETS are kept).",
        params: SubmissionParams,
        response: responses({ 200: ref(Trace) }, 400, 401, 403, 404, 503),
      },
    },
    async (request) => {
      const row = await visibleSubmission(request, request.params.submissionId);
      const trace = await submissions.findTrace(row.id);
      if (!trace) return { packets: [], totalPackets: 0, truncated: false };
      return { ...trace, packets: currentPackets(trace.packets) };
    },
  );

  app.get(
    "/v1/submissions/:submissionId/trace.pcap",
    {
      preHandler: app.requireRoleOrLink("learner", "teacher"),
      schema: {
        tags: ["submissions"],
        operationId: "getSubmissionTracePcap",
        summary: "The run's packets as a pcap file (raw IPv4), for Wireshark.",
        description:
          "Timestamps are the submission's start plus each packet's virtual send time. An attachment (Content-Disposition); a page can link to it without a token: POST /v1/download-links.",
        params: SubmissionParams,
        querystring: LinkQuery,
        response: responses(
          {
            200: {
              description: "A classic pcap file, LINKTYPE_RAW.",
              content: {
                "application/vnd.tcpdump.pcap": { schema: { type: "string", format: "binary" } },
              },
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
      const row = await visibleSubmission(request, request.params.submissionId);
      const trace = await submissions.findTrace(row.id);
      const startUs = row.startedAt.getTime() * 1000;
      const records = ((trace?.packets ?? []) as { hex?: unknown; sentUs?: unknown }[]).flatMap(
        (packet) =>
          typeof packet.hex === "string" && typeof packet.sentUs === "number"
            ? [{ timeUs: startUs + packet.sentUs, bytes: Buffer.from(packet.hex, "hex") }]
            : [],
      );
      return reply
        .type("application/vnd.tcpdump.pcap")
        .header("content-disposition", `attachment; filename="submission-${row.id}.pcap"`)
        .send(Buffer.from(writePcap(records)));
    },
  );
};
