// GET /v1/classes/{classId}/activity: the class's submissions as they happen, as Server-Sent
// Events, for a teacher's live feed. Every replica sees every submission because the feed reads
// the database (a light indexed query a second per open feed), not this process's memory.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { ServerResponse } from "node:http";
import { Type, type Static } from "typebox";
import type { ActivityRow } from "../progress/reports.ts";
import { teacherIdOf } from "./auth.ts";
import { checkRef, catalogueExercises } from "./class-report.ts";
import { CheckRef } from "./class-report-schemas.ts";
import type { RouteDeps } from "./deps.ts";
import { LinkQuery } from "./downloads.ts";
import { apiError, quote } from "./errors.ts";
import { nullable, ref } from "./schema-kit.ts";
import { responses, Timestamp, Uuid } from "./schemas.ts";

const POLL_MS = 1000;
const HEARTBEAT_MS = 15_000;
/** Submissions sent first when a feed opens (without Last-Event-ID). */
const BACKLOG = 20;
const BATCH = 200;
// A submission's created_at is its transaction's start: one that commits a moment after a
// later-stamped one is still found by looking back this far (ids already sent are skipped).
const LOOKBACK_MS = 5000;

export const ActivityEvent = Type.Object(
  {
    type: Type.Literal("submission"),
    submissionId: Uuid,
    learnerId: Uuid,
    displayName: Type.String(),
    lessonId: Type.String(),
    exerciseId: Type.String(),
    passed: Type.Boolean(),
    score: Type.Integer(),
    outcome: Type.String(),
    firstFailedCheck: nullable(ref(CheckRef)),
    createdAt: Timestamp,
  },
  {
    $id: "ActivityEvent",
    description:
      "The data of one `submission` event of a class's activity feed (its SSE id: createdAt and submissionId).",
  },
);

export const activitySchemas = [ActivityEvent];

export const activityRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const exercises = catalogueExercises(deps.catalogue);
  const byKey = new Map(exercises.map((e) => [`${e.lessonId}/${e.exerciseId}`, e]));

  const eventOf = (row: ActivityRow): Static<typeof ActivityEvent> => {
    const exercise = byKey.get(`${row.lessonId}/${row.exerciseId}`);
    const failed = row.passed ? null : row.firstFailedCheck;
    return {
      type: "submission",
      submissionId: row.submissionId,
      learnerId: row.learnerId,
      displayName: row.displayName,
      lessonId: row.lessonId,
      exerciseId: row.exerciseId,
      passed: row.passed,
      score: row.score,
      outcome: row.outcome,
      firstFailedCheck:
        failed === null
          ? null
          : exercise
            ? checkRef(exercise, failed)
            : { id: failed, title: failed },
      createdAt: row.createdAt.toISOString(),
    };
  };

  app.get(
    "/v1/classes/:classId/activity",
    {
      preHandler: app.requireRoleOrLink("teacher"),
      schema: {
        tags: ["classes"],
        operationId: "streamClassActivity",
        summary: "The class's submissions, live, as Server-Sent Events.",
        description: `text/event-stream: one \`submission\` event per submission (data: ActivityEvent, oldest first), the last ${BACKLOG} first, then each new one within about ${POLL_MS / 1000} s; a comment line every ${HEARTBEAT_MS / 1000} s keeps proxies from closing it. Reconnecting with Last-Event-ID resumes after that event (an event may come twice around it: dedupe by submissionId). A browser's EventSource cannot send a token: open it with a signed link (POST /v1/download-links).`,
        params: Type.Object({ classId: Uuid }),
        querystring: LinkQuery,
        response: responses(
          {
            200: {
              description: "Server-Sent Events; each event's data is an ActivityEvent.",
              content: { "text/event-stream": { schema: ref(ActivityEvent) } },
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
      const classId = request.params.classId;
      if (!(await deps.store.accounts.findTeachersClass(teacherIdOf(request), classId))) {
        throw apiError("NOT_FOUND", `You have no class ${quote(classId)}.`);
      }
      const resume = parseEventId(request.headers["last-event-id"]);
      // The first read happens before the stream opens, so a database outage is still a 503.
      const first = resume
        ? (await deps.store.reports.activity(classId, resume.at, BATCH)).filter(
            (row) => row.createdAt > resume.at || row.submissionId > resume.id,
          )
        : await deps.store.reports.activity(classId, new Date(0), BACKLOG);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
        // A feed's connection is never reused: when it ends, the socket goes with it.
        connection: "close",
      });
      raw.flushHeaders();
      await follow(raw, classId, first);
    },
  );

  async function follow(raw: ServerResponse, classId: string, first: ActivityRow[]) {
    const stop = new AbortController();
    const end = () => stop.abort();
    raw.on("close", end);
    deps.shutdown.addEventListener("abort", end);
    const sent = new Map<string, number>(); // submission id → createdAt ms, within the lookback
    let newest = 0;
    const send = (rows: ActivityRow[]) => {
      for (const row of rows.toReversed()) {
        if (sent.has(row.submissionId)) continue;
        const at = row.createdAt.getTime();
        sent.set(row.submissionId, at);
        newest = Math.max(newest, at);
        raw.write(
          `id: ${row.createdAt.toISOString()},${row.submissionId}\nevent: submission\ndata: ${JSON.stringify(eventOf(row))}\n\n`,
        );
      }
      for (const [id, at] of sent) if (at < newest - 2 * LOOKBACK_MS) sent.delete(id);
    };
    send(first);
    if (newest === 0) newest = Date.now();
    let quietSince = Date.now();
    try {
      while (!stop.signal.aborted) {
        await sleep(POLL_MS, stop.signal);
        if (stop.signal.aborted) break;
        const rows = await deps.store.reports
          .activity(classId, new Date(newest - LOOKBACK_MS), BATCH)
          .catch(() => []); // an outage: try again on the next tick
        const before = sent.size;
        send(rows);
        if (sent.size !== before) quietSince = Date.now();
        else if (Date.now() - quietSince >= HEARTBEAT_MS) {
          raw.write(": still here\n\n");
          quietSince = Date.now();
        }
      }
    } finally {
      raw.off("close", end);
      deps.shutdown.removeEventListener("abort", end);
      raw.end();
    }
  }
};

function parseEventId(header: string | string[] | undefined) {
  const text = Array.isArray(header) ? header[0] : header;
  const match = /^(\d{4}-\d\d-\d\dT[\d:.]+Z),([0-9a-f-]{36})$/.exec(text ?? "");
  if (!match) return undefined;
  const at = new Date(match[1]!);
  return Number.isNaN(at.getTime()) ? undefined : { at, id: match[2]! };
}

function sleep(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
