// Submissions: graded synchronously (with a cap on waiting) or, with `Prefer: respond-async`,
// accepted with a 202 and graded in the background (async-submitter.ts); listed with a cursor,
// fetched one by one with their packet trace. A learner sees their own; a teacher those of
// their learners.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { writePcap } from "../protocols/pcap.ts";
import { learnerIdOf } from "./auth.ts";
import type { RouteDeps } from "./deps.ts";
import { LinkQuery } from "./downloads.ts";
import type { Accepted } from "./async-submitter.ts";
import { apiError, quote } from "./errors.ts";
import { Trace } from "./packet-schemas.ts";
import { pendingResponse } from "./pending-schemas.ts";
import { parsePrefer } from "./prefer.ts";
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
  pendingView,
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
  const { submissions, accounts, pending } = deps.store;

  async function mayView(request: FastifyRequest, learnerId: string): Promise<boolean> {
    const principal = request.principal;
    return (
      (principal?.role === "learner" && principal.learnerId === learnerId) ||
      (principal?.role === "teacher" &&
        (await accounts.teachesLearner(principal.teacherId, learnerId)))
    );
  }

  const notFound = (id: string) =>
    apiError("SUBMISSION_NOT_FOUND", `No submission ${quote(id)} that you may see.`);

  /** The submission if the caller may see it; otherwise 404, whether it exists or not. */
  async function visibleSubmission(request: FastifyRequest, id: string) {
    const row = await submissions.findSubmission(id);
    if (!row || !(await mayView(request, row.learnerId))) throw notFound(id);
    return row;
  }

  /** Graded, or still pending (an asynchronous submission); 404 as visibleSubmission. */
  async function visibleSubmissionOrPending(request: FastifyRequest, id: string) {
    // The grade is stored before the pending row goes: reading the pending row first, then the
    // submissions again, cannot miss one that was graded between the reads.
    const graded = await submissions.findSubmission(id);
    const waiting = graded ? null : await pending.find(id);
    const row = graded ?? waiting ?? (await submissions.findSubmission(id));
    if (!row || !(await mayView(request, row.learnerId))) throw notFound(id);
    return row === waiting ? { pending: waiting } : { graded: row as NonNullable<typeof graded> };
  }

  /** The answer to a submission accepted asynchronously: 202 and where to poll it. */
  function sendPending(reply: FastifyReply, accepted: Extract<Accepted, { kind: "pending" }>) {
    const view = pendingView(accepted.row, accepted.local);
    return reply
      .status(202)
      .header("location", `/v1/submissions/${view.id}`)
      .header("retry-after", view.status === "running" ? "1" : "2")
      .send(view);
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
          "Send an `Idempotency-Key` header to retry safely: the same key returns the stored submission instead of grading again. Waits at most SYNC_WAIT_MS for a sandbox (503 RUNNER_BUSY past it).\n\nWith `Prefer: respond-async` (RFC 7240) it answers 202 once the submission is stored and its run is queued, with `Location` to poll (GET /v1/submissions/{id}: 202 while pending, then 200 with the graded submission, same id) and `Preference-Applied: respond-async`. Refusals are the same as without it (429, 503 when the queue is full), before any 202. `Prefer: respond-async, wait=N` answers 201 with the graded submission if it is graded within N seconds (at most SYNC_WAIT_MS), else 202. A key whose submission is still pending answers 202 for it.",
        params: Type.Object({ sessionId: Uuid }),
        headers: Type.Object({
          "idempotency-key": Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          prefer: Type.Optional(
            Type.String({
              description:
                "RFC 7240 preferences: `respond-async` and `wait=N` (seconds) are honoured; anything else is ignored.",
            }),
          ),
        }),
        body: ref(SubmitBody),
        response: responses(
          {
            200: ref(SubmissionResult),
            201: ref(SubmissionResult),
            202: pendingResponse(
              "Accepted (`Prefer: respond-async`): stored and queued, not graded yet.",
              true,
            ),
          },
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
      const idempotencyKey = request.headers["idempotency-key"];
      const prefer = parsePrefer(request.headers.prefer);
      const input = {
        learnerId,
        session,
        exerciseId: request.body.exerciseId,
        code: request.body.code,
        language: request.body.language,
        idempotencyKey,
        channel: "http" as const,
      };
      // A retry of an asynchronous submission gets its pending state back, whatever it prefers.
      const pendingOfKey =
        !prefer.respondAsync && idempotencyKey
          ? await pending.findByIdempotencyKey(learnerId, idempotencyKey)
          : null;
      if (prefer.respondAsync || (pendingOfKey && pendingOfKey.status !== "failed")) {
        const waitSeconds = prefer.respondAsync ? prefer.waitSeconds : undefined;
        const waitMs = Math.min((waitSeconds ?? 0) * 1000, deps.config.SYNC_WAIT_MS);
        const accepted = await deps.asyncSubmitter.accept(input, waitMs);
        const applied = [
          ...(accepted.kind === "pending" && prefer.respondAsync ? ["respond-async"] : []),
          ...(waitSeconds !== undefined ? [`wait=${waitSeconds}`] : []),
        ];
        if (applied.length > 0) void reply.header("preference-applied", applied.join(", "));
        if (accepted.kind === "pending") return sendPending(reply, accepted);
        const json = submissionResultJson(serializeHead(reply), accepted.submitted);
        return reply
          .status(accepted.submitted.replayed ? 200 : 201)
          .header("location", `/v1/submissions/${accepted.submitted.row.id}`)
          .type("application/json; charset=utf-8")
          .send(json as never);
      }
      const controller = new AbortController();
      // A client that hangs up does not need its run any more.
      request.raw.once("close", () => {
        if (!reply.sent && request.raw.destroyed) controller.abort();
      });
      const submitted = await deps.submitter.submit({ ...input, signal: controller.signal });
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
        description:
          "An asynchronous submission (POST …/submissions with `Prefer: respond-async`) answers 202 with its pending state and `Retry-After` until it is graded, then 200 like any other. One that could not be graded answers 410 SUBMISSION_NOT_GRADED, saying why.",
        params: SubmissionParams,
        response: responses(
          {
            200: ref(Submission),
            202: pendingResponse("Accepted asynchronously, not graded yet: poll again.", false),
          },
          400,
          401,
          403,
          404,
          410,
          503,
        ),
      },
    },
    async (request, reply) => {
      const id = request.params.submissionId;
      const found = await visibleSubmissionOrPending(request, id);
      if (found.graded) return submissionView(found.graded);
      const waiting = found.pending;
      if (waiting.status === "failed") {
        throw apiError(
          "SUBMISSION_NOT_GRADED",
          `Submission ${quote(id)} could not be graded: ${waiting.errorMessage ?? "unknown reason"}`,
        );
      }
      return sendPending(reply, {
        kind: "pending",
        row: waiting,
        local: deps.asyncSubmitter.local(id),
      });
    },
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
