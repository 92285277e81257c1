// Database rows → API objects. Kept apart from the routes so HTTP and WebSocket answer alike.
import type {
  ProgressRow,
  SubmissionRow,
  Submissions,
  TraceRecord,
} from "../progress/submissions.ts";
import type { PendingSubmission } from "../progress/pending-submissions.ts";
import type { CheckResult } from "../grading/types.ts";
import type { PacketEvent } from "../netsim/types.ts";
import { dissectPacket } from "../protocols/dissect.ts";
import { fromHex } from "../protocols/hex.ts";
import type { Language, LearnerError, Outcome, OutputLine } from "../runner/types.ts";
import type { Static } from "typebox";
import type { LocalState } from "./async-submitter.ts";
import { apiError, quote } from "./errors.ts";
import { sameType } from "./schema-kit.ts";
import type { PendingSubmission as PendingSubmissionSchema } from "./pending-schemas.ts";
import type { ProgressItem, Submission, SubmissionSummary } from "./schemas.ts";

export function submissionSummary(row: SubmissionRow) {
  return {
    id: row.id,
    sessionId: row.sessionId,
    learnerId: row.learnerId,
    lessonId: row.lessonId,
    exerciseId: row.exerciseId,
    lessonVersion: row.lessonVersion,
    // Written from a Language and an Outcome; the columns are plain text.
    language: row.language as Language,
    outcome: row.outcome as Outcome,
    passed: row.passed,
    score: row.score,
    packetCount: row.packetCount,
    createdAt: row.createdAt.toISOString(),
  };
}

export function submissionView(row: SubmissionRow) {
  return {
    ...submissionSummary(row),
    code: row.code,
    message: row.message,
    error: (row.error ?? null) as LearnerError | null,
    grade: { passed: row.passed, score: row.score, checks: row.checks as unknown as CheckResult[] },
    output: row.output as unknown as OutputLine[],
    outputTruncated: row.outputTruncated,
    timings: {
      cpuMs: row.cpuMs,
      wallMs: row.wallMs,
      virtualTimeUs: Number(row.virtualTimeUs),
      startedAt: row.startedAt.toISOString(),
      finishedAt: row.finishedAt.toISOString(),
    },
  };
}

/** A submission accepted asynchronously, as the API shows it while it is not graded. */
export function pendingView(row: PendingSubmission, local?: LocalState) {
  return {
    id: row.id,
    sessionId: row.sessionId,
    learnerId: row.learnerId,
    lessonId: row.lessonId,
    exerciseId: row.exerciseId,
    language: row.language as Language,
    // The replica grading it knows best; another one reads what the row says.
    status: local?.status ?? (row.status === "running" ? "running" : "queued"),
    queuePosition: local?.queuePosition ?? null,
    createdAt: row.createdAt.toISOString(),
  } as const;
}

/**
 * A stored trace's packets as the API describes them today. Packets stored before they said
 * their topProtocol (and marked quoted layers) are dissected again from their bytes; the rest
 * are sent as stored.
 */
export function currentPackets(stored: readonly unknown[]): PacketEvent[] {
  return stored.map((value) => {
    const packet = value as PacketEvent;
    if (packet.topProtocol !== undefined) return packet;
    const { layers, summary, topProtocol } = dissectPacket(fromHex(packet.hex));
    return { ...packet, layers, summary, topProtocol };
  });
}

/**
 * The submission result as JSON text, with the packets spliced in already serialised (they were
 * serialised once to be stored; at ~3.5 KB a packet that is the bulk of the response). `head`
 * is the route's compiled serialiser for everything but the packets.
 */
export function submissionResultJson(
  head: (value: unknown) => string,
  submitted: {
    row: SubmissionRow;
    trace: TraceRecord | null;
    packetsJson?: string;
    replayed: boolean;
  },
): string {
  const { row, trace, replayed } = submitted;
  const rest = head({
    ...submissionView(row),
    packetsTruncated: trace?.truncated ?? false,
    replayed,
  });
  const packets = submitted.packetsJson ?? JSON.stringify(currentPackets(trace?.packets ?? []));
  return `${rest.slice(0, -1)},"packets":${packets}}`;
}

export type ProgressStatus = "not-started" | "attempted" | "passed";

export function progressView(row: ProgressRow): Static<typeof ProgressItem> {
  return {
    lessonId: row.lessonId,
    exerciseId: row.exerciseId,
    status: (row.passed ? "passed" : "attempted") as ProgressStatus,
    attempts: row.attempts,
    bestScore: row.bestScore,
    firstPassedAt: row.firstPassedAt?.toISOString() ?? null,
    lastActivityAt: row.lastActivityAt.toISOString(),
  };
}

/** Opaque cursor: the (createdAt, id) of the last item of a page. */
export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");
}

// Exactly what encodeCursor writes: a UUID, and a timestamp as toISOString writes it for years
// 0000–9999 (inside PostgreSQL's range; a JS Date reaches ±275760, which the database refuses).
const CURSOR_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function decodeCursor(cursor: string): { createdAt: Date; id: string } | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [at, id] = value as unknown[];
    if (typeof at !== "string" || typeof id !== "string") return undefined;
    if (!CURSOR_ID.test(id) || !CURSOR_TIME.test(at)) return undefined;
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}

export interface PageRequest {
  cursor?: string | undefined;
  limit?: number | undefined;
  lessonId?: string | undefined;
  exerciseId?: string | undefined;
}

/**
 * One page of a learner's submissions, newest first, for the learner's own list and a teacher's
 * view of it: asks for one row more than the page to know whether another page follows.
 */
export async function pageOfSubmissions<Item>(
  submissions: Pick<Submissions, "listSubmissions">,
  learnerId: string,
  query: PageRequest,
  toItem: (row: SubmissionRow) => Item,
): Promise<{ items: Item[]; nextCursor: string | null }> {
  const { cursor, limit = 20, lessonId, exerciseId } = query;
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  if (cursor !== undefined && !after)
    throw apiError("INVALID_CURSOR", `Cursor ${quote(cursor)} is not one this API returned.`);
  const rows = await submissions.listSubmissions(learnerId, {
    limit: limit + 1,
    after,
    ...(lessonId ? { lessonId } : {}),
    ...(exerciseId ? { exerciseId } : {}),
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}

// The views are what the routes send: pinned to the published schemas.
sameType<Static<typeof SubmissionSummary>, ReturnType<typeof submissionSummary>>();
sameType<Static<typeof Submission>, ReturnType<typeof submissionView>>();
sameType<Static<typeof PendingSubmissionSchema>, ReturnType<typeof pendingView>>();
