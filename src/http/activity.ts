// GET /v1/classes/{classId}/activity: the class's submissions, joins and roster changes (a
// learner renamed, removed, merged; the class opened or closed) as they happen, as Server-Sent
// Events, for a teacher's live feed. Every replica sees every change because the feed reads the
// database (three light indexed queries a second per open feed), not this process's memory.
// Each submission carries the learner's matrix cell as it is now, so a dashboard keeps its
// matrix current from the feed alone. A deleted class takes its events with it, so the feed
// notices the class is gone by itself (the roster events' query answers that too) and ends
// with a `class-deleted` event.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { ServerResponse } from "node:http";
import { Type, type Static } from "typebox";
import type { ActivityRow, ClassEventRow, JoinRow } from "../progress/reports.ts";
import { teacherIdOf } from "./auth.ts";
import {
  ActivityClassDeletedEvent,
  ActivityClassUpdatedEvent,
  ActivityEvent,
  ActivityFeedEvent,
  ActivityJoinEvent,
  ActivityLearnerRemovedEvent,
  ActivityLearnerRenamedEvent,
  ActivityLearnersMergedEvent,
} from "./activity-schemas.ts";
import { catalogueExercises, cellOf, checkRef } from "./class-report.ts";
import type { RouteDeps } from "./deps.ts";
import { LinkQuery } from "./downloads.ts";
import { apiError, quote } from "./errors.ts";
import { ref } from "./schema-kit.ts";
import { responses, Uuid } from "./schemas.ts";

const POLL_MS = 1000;
const HEARTBEAT_MS = 15_000;
/** Events sent first when a feed opens (without Last-Event-ID). */
const BACKLOG = 20;
const BATCH = 200;
// A submission's created_at is its transaction's start: one that commits a moment after a
// later-stamped one is still found by looking back this far (ids already sent are skipped).
const LOOKBACK_MS = 5000;

/** A roster event's data as the feed sends it: its row's columns and its stored data. */
function rosterEventData(
  row: ClassEventRow,
):
  | Static<typeof ActivityLearnerRenamedEvent>
  | Static<typeof ActivityLearnerRemovedEvent>
  | Static<typeof ActivityLearnersMergedEvent>
  | Static<typeof ActivityClassUpdatedEvent> {
  // Written by src/progress (roster.ts, accounts.ts) in these shapes.
  const data = row.data as {
    displayName: string;
    fromLearnerId: string;
    name: string;
    joinsOpen: boolean;
  };
  const learnerId = row.learnerId ?? "";
  const time = row.createdAt.toISOString();
  switch (row.type) {
    case "learner-renamed":
      return { type: row.type, learnerId, displayName: data.displayName, at: time };
    case "learner-removed":
      return { type: row.type, learnerId, at: time };
    case "learners-merged":
      return {
        type: row.type,
        learnerId,
        fromLearnerId: data.fromLearnerId,
        displayName: data.displayName,
        at: time,
      };
    case "class-updated":
      return { type: row.type, name: data.name, joinsOpen: data.joinsOpen, at: time };
  }
}

const ActivityQuery = Type.Object({
  ...LinkQuery.properties,
  lastEventId: Type.Optional(
    Type.String({
      maxLength: 80,
      description:
        "Resume after this event id, as the Last-Event-ID header does (which wins when both are sent): for a new EventSource opened with a fresh signed link after the last one expired.",
    }),
  ),
});

/** One event of the feed, in send order: by time, then by key. */
interface FeedItem {
  at: Date;
  /** The submission's id, the learner's who joined, or the roster event's: the SSE id's second half. */
  id: string;
  /** Unique within the feed: the submission id, "joined:" and the learner id, or "roster:" and the event's id. */
  key: string;
  text: string;
}

export const activityRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const exercises = catalogueExercises(deps.catalogue);
  const byKey = new Map(exercises.map((e) => [`${e.lessonId}/${e.exerciseId}`, e]));

  const eventOf = (row: ActivityRow, now: number): Static<typeof ActivityEvent> => {
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
      cell: exercise ? cellOf(exercise, row.progress ?? undefined, now) : null,
    };
  };

  const itemsOf = (
    submissions: ActivityRow[],
    joins: JoinRow[],
    events: ClassEventRow[],
  ): FeedItem[] => {
    const now = Date.now();
    const items: FeedItem[] = [
      ...submissions.map((row) => ({
        at: row.createdAt,
        id: row.submissionId,
        key: row.submissionId,
        text: `id: ${row.createdAt.toISOString()},${row.submissionId}\nevent: submission\ndata: ${JSON.stringify(eventOf(row, now))}\n\n`,
      })),
      ...joins.map((row) => {
        const data: Static<typeof ActivityJoinEvent> = {
          type: "learner-joined",
          learnerId: row.learnerId,
          displayName: row.displayName,
          joinedAt: row.joinedAt.toISOString(),
        };
        return {
          at: row.joinedAt,
          id: row.learnerId,
          key: `joined:${row.learnerId}`,
          text: `id: ${row.joinedAt.toISOString()},${row.learnerId}\nevent: learner-joined\ndata: ${JSON.stringify(data)}\n\n`,
        };
      }),
      ...events.map((row) => ({
        at: row.createdAt,
        id: row.id,
        key: `roster:${row.id}`,
        text: `id: ${row.createdAt.toISOString()},${row.id}\nevent: ${row.type}\ndata: ${JSON.stringify(rosterEventData(row))}\n\n`,
      })),
    ];
    return items.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1));
  };

  /**
   * The events at or after `since`, oldest first, at most `limit` of each kind; null when the
   * class is gone.
   */
  const read = async (classId: string, since: Date, limit: number) => {
    const [submissions, joins, events] = await Promise.all([
      deps.store.reports.activity(classId, since, limit),
      deps.store.reports.joins(classId, since, limit),
      deps.store.reports.classEvents(classId, since, limit),
    ]);
    // What the other two read of a class deleted meanwhile is not worth sending.
    return events && itemsOf(submissions, joins, events);
  };

  app.get(
    "/v1/classes/:classId/activity",
    {
      preHandler: app.requireRoleOrLink("teacher"),
      schema: {
        tags: ["classes"],
        operationId: "streamClassActivity",
        summary: "The class's submissions, joins and roster changes, live, as Server-Sent Events.",
        description: `text/event-stream, oldest first: one \`submission\` event per submission (data: ActivityEvent, with the learner's matrix cell as it is now), one \`learner-joined\` event per learner who joins (data: ActivityJoinEvent), and one event per change to the roster or the class, whoever made it: \`learner-renamed\` (ActivityLearnerRenamedEvent), \`learner-removed\` (ActivityLearnerRemovedEvent), \`learners-merged\` (ActivityLearnersMergedEvent), \`class-updated\` (opened or closed: ActivityClassUpdatedEvent); when the class is deleted (by its teacher, or with the teacher's account), one \`class-deleted\` event (ActivityClassDeletedEvent) and the stream ends (opening it again gets 404); the last ${BACKLOG} first, then each new one within about ${POLL_MS / 1000} s; a comment line every ${HEARTBEAT_MS / 1000} s keeps proxies from closing it. Reconnecting with Last-Event-ID (or lastEventId) resumes after that event (an event may come twice around it: dedupe by submissionId, learnerId, or the SSE id for roster events; applying a roster event twice changes nothing). A browser's EventSource cannot send a token: open it with a signed link (POST /v1/download-links); when the link has expired (401), ask for a new one and open it with lastEventId.`,
        params: Type.Object({ classId: Uuid }),
        querystring: ActivityQuery,
        response: responses(
          {
            200: {
              description:
                "Server-Sent Events; each event's data is one of ActivityFeedEvent's, named by its `type`.",
              content: { "text/event-stream": { schema: ref(ActivityFeedEvent) } },
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
      const notFound = () => apiError("NOT_FOUND", `You have no class ${quote(classId)}.`);
      if (!(await deps.store.accounts.findTeachersClass(teacherIdOf(request), classId))) {
        throw notFound();
      }
      const resume = parseEventId(request.headers["last-event-id"] ?? request.query.lastEventId);
      // The first read happens before the stream opens, so a database outage is still a 503,
      // and a class deleted since it was found a moment ago is still a 404.
      const backlog = resume
        ? await read(classId, resume.at, BATCH)
        : await read(classId, new Date(0), BACKLOG);
      if (!backlog) throw notFound();
      const first = resume
        ? backlog.filter((item) => isAfter(item, resume))
        : backlog.slice(-BACKLOG);
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
      await follow(raw, classId, first, resume);
    },
  );

  /** `resume`: what the client has seen; the lookback must not send it again. */
  async function follow(
    raw: ServerResponse,
    classId: string,
    first: FeedItem[],
    resume: EventId | undefined,
  ) {
    const stop = new AbortController();
    const end = () => stop.abort();
    raw.on("close", end);
    deps.shutdown.addEventListener("abort", end);
    const sent = new Map<string, number>(); // item key → its time in ms, within the lookback
    let newest = 0;
    const send = (items: FeedItem[]) => {
      for (const item of items) {
        if (sent.has(item.key) || (resume && !isAfter(item, resume))) continue;
        const at = item.at.getTime();
        sent.set(item.key, at);
        newest = Math.max(newest, at);
        raw.write(item.text);
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
        // An outage: try again on the next tick.
        const items = await read(classId, new Date(newest - LOOKBACK_MS), BATCH).catch(() => []);
        if (!items) {
          raw.write(classDeletedText(classId, new Date()));
          break;
        }
        const before = sent.size;
        send(items);
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

/** The feed's last event: the class is gone. */
function classDeletedText(classId: string, now: Date): string {
  const at = now.toISOString();
  const data: Static<typeof ActivityClassDeletedEvent> = { type: "class-deleted", classId, at };
  return `id: ${at},${classId}\nevent: class-deleted\ndata: ${JSON.stringify(data)}\n\n`;
}

interface EventId {
  at: Date;
  id: string;
}

/** In send order (time, then id), is the item after the event the client saw last? */
const isAfter = (item: FeedItem, seen: EventId) =>
  item.at > seen.at || (item.at.getTime() === seen.at.getTime() && item.id > seen.id);

function parseEventId(header: string | string[] | undefined): EventId | undefined {
  // A submission's id, a learner's (learner-joined) or a roster event's: UUIDs after the time.
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
