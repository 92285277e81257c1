// Sessions, submissions with their traces, and the progress they add up to. A submission and
// the progress it changes are written in one transaction, after the run: a caller is only told
// "stored" once both are committed.
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { GradedRun } from "../grading/types.ts";
import type { Language } from "../runner/types.ts";
import { isUniqueViolation } from "./errors.ts";
import { newSeed } from "./tokens.ts";

export interface SessionRecord {
  id: string;
  learnerId: string;
  lessonId: string;
  seed: number;
  createdAt: Date;
}

export interface NewSubmission {
  learnerId: string;
  sessionId: string;
  code: string;
  language: Language;
  idempotencyKey?: string | undefined;
  startedAt: Date;
  finishedAt: Date;
  graded: GradedRun;
  /** Packets of the trace kept; the rest are counted but dropped. */
  traceMaxPackets: number;
}

const submissionColumns = {
  id: true,
  learnerId: true,
  sessionId: true,
  lessonId: true,
  exerciseId: true,
  lessonVersion: true,
  code: true,
  language: true,
  outcome: true,
  message: true,
  error: true,
  passed: true,
  score: true,
  checks: true,
  output: true,
  outputTruncated: true,
  packetCount: true,
  cpuMs: true,
  wallMs: true,
  virtualTimeUs: true,
  idempotencyKey: true,
  startedAt: true,
  finishedAt: true,
  createdAt: true,
} as const;

export type SubmissionRow = Prisma.SubmissionGetPayload<{ select: typeof submissionColumns }>;

export interface TraceRecord {
  packets: unknown[];
  totalPackets: number;
  truncated: boolean;
}

/** Position in a newest-first list: the last item of the previous page. */
export interface SubmissionCursor {
  createdAt: Date;
  id: string;
}

export interface ProgressRow {
  learnerId: string;
  lessonId: string;
  exerciseId: string;
  attempts: number;
  bestScore: number;
  passed: boolean;
  firstPassedAt: Date | null;
  lastActivityAt: Date;
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

export function createSubmissions(prisma: PrismaClient) {
  async function findByKey(learnerId: string, idempotencyKey: string) {
    return prisma.submission.findUnique({
      where: { learnerId_idempotencyKey: { learnerId, idempotencyKey } },
      select: submissionColumns,
    });
  }

  return {
    createSession(learnerId: string, lessonId: string): Promise<SessionRecord> {
      return prisma.session.create({ data: { learnerId, lessonId, seed: newSeed() } });
    },

    /** The learner's own session; other learners' sessions are indistinguishable from absent. */
    findSession(learnerId: string, sessionId: string): Promise<SessionRecord | null> {
      return prisma.session.findFirst({ where: { id: sessionId, learnerId } });
    },

    findByIdempotencyKey: findByKey,

    /**
     * Stores a graded run and updates progress, atomically. With an idempotency key that is
     * already stored (a concurrent duplicate won the race), returns the stored one instead.
     */
    async record(input: NewSubmission): Promise<{ row: SubmissionRow; replayed: boolean }> {
      const { graded } = input;
      const { run, grade } = graded;
      const packets = run.packets.slice(0, input.traceMaxPackets);
      const create = prisma.submission.create({
        select: submissionColumns,
        data: {
          learnerId: input.learnerId,
          sessionId: input.sessionId,
          lessonId: graded.lessonId,
          exerciseId: graded.exerciseId,
          lessonVersion: graded.lessonVersion,
          code: input.code,
          language: input.language,
          outcome: run.outcome,
          message: run.message,
          error: run.error ? json(run.error) : undefined,
          passed: grade.passed,
          score: grade.score,
          checks: json(grade.checks),
          output: json(run.output),
          outputTruncated: run.outputTruncated,
          packetCount: run.packets.length,
          cpuMs: run.cpuMs,
          wallMs: run.wallMs,
          virtualTimeUs: BigInt(Math.round(run.virtualTimeUs)),
          idempotencyKey: input.idempotencyKey ?? null,
          startedAt: input.startedAt,
          finishedAt: input.finishedAt,
          trace: {
            create: {
              packets: json(packets),
              totalPackets: run.packets.length,
              truncated: packets.length < run.packets.length,
            },
          },
        },
      });
      const at = input.finishedAt;
      // One statement, so concurrent submissions for the same exercise cannot lose an attempt
      // or lower the best score.
      const upsert = prisma.$executeRaw`
        INSERT INTO progress (learner_id, lesson_id, exercise_id, attempts, best_score, passed, first_passed_at, last_activity_at)
        VALUES (${input.learnerId}::uuid, ${graded.lessonId}, ${graded.exerciseId}, 1, ${grade.score}, ${grade.passed},
                ${grade.passed ? at : null}::timestamptz, ${at}::timestamptz)
        ON CONFLICT (learner_id, lesson_id, exercise_id) DO UPDATE SET
          attempts = progress.attempts + 1,
          best_score = GREATEST(progress.best_score, EXCLUDED.best_score),
          passed = progress.passed OR EXCLUDED.passed,
          first_passed_at = COALESCE(progress.first_passed_at, EXCLUDED.first_passed_at),
          last_activity_at = GREATEST(progress.last_activity_at, EXCLUDED.last_activity_at)`;
      try {
        const [row] = await prisma.$transaction([create, upsert]);
        return { row, replayed: false };
      } catch (error) {
        if (input.idempotencyKey && isUniqueViolation(error)) {
          const existing = await findByKey(input.learnerId, input.idempotencyKey);
          if (existing) return { row: existing, replayed: true };
        }
        throw error;
      }
    },

    findSubmission(id: string): Promise<SubmissionRow | null> {
      return prisma.submission.findUnique({ where: { id }, select: submissionColumns });
    },

    /** Newest first, stable under concurrent inserts: ordered by (createdAt, id). */
    listSubmissions(
      learnerId: string,
      page: {
        limit: number;
        after?: SubmissionCursor | undefined;
        lessonId?: string;
        exerciseId?: string;
      },
    ): Promise<SubmissionRow[]> {
      const { after } = page;
      return prisma.submission.findMany({
        where: {
          learnerId,
          ...(page.lessonId ? { lessonId: page.lessonId } : {}),
          ...(page.exerciseId ? { exerciseId: page.exerciseId } : {}),
          ...(after
            ? {
                OR: [
                  { createdAt: { lt: after.createdAt } },
                  { createdAt: after.createdAt, id: { lt: after.id } },
                ],
              }
            : {}),
        },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: page.limit,
        select: submissionColumns,
      });
    },

    async findTrace(submissionId: string): Promise<TraceRecord | null> {
      const row = await prisma.submissionTrace.findUnique({ where: { submissionId } });
      if (!row) return null;
      return {
        packets: row.packets as unknown[],
        totalPackets: row.totalPackets,
        truncated: row.truncated,
      };
    },

    learnerProgress(learnerId: string): Promise<ProgressRow[]> {
      return prisma.progress.findMany({
        where: { learnerId },
        orderBy: [{ lessonId: "asc" }, { exerciseId: "asc" }],
      });
    },
  };
}

export type Submissions = ReturnType<typeof createSubmissions>;
