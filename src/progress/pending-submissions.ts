// Submissions accepted asynchronously (Prefer: respond-async) and not graded yet. The row is
// written before the 202 is sent, so the Location it gives can be read at once; grading stores
// the submissions row under the same id (its primary key makes that happen once, whoever
// grades), and this row goes. Claims are leases, as in the outbox: the replica grading a row
// renews its lease, and one killed mid-run leaves a lease that runs out, after which the next
// sweep (of any replica, or of the same one restarted) grades the row again.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Sql, Statement } from "./database.ts";
import { isUniqueViolation } from "./errors.ts";

export type PendingStatus = "queued" | "running" | "failed";

export interface PendingSubmission {
  id: string;
  learnerId: string;
  sessionId: string;
  lessonId: string;
  exerciseId: string;
  code: string;
  language: string;
  idempotencyKey: string | null;
  status: PendingStatus;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewPendingSubmission {
  id: string;
  learnerId: string;
  sessionId: string;
  lessonId: string;
  exerciseId: string;
  code: string;
  language: string;
  idempotencyKey?: string | undefined;
  leaseMs: number;
}

const columns = {
  id: true,
  learnerId: true,
  sessionId: true,
  lessonId: true,
  exerciseId: true,
  code: true,
  language: true,
  idempotencyKey: true,
  status: true,
  attempts: true,
  errorCode: true,
  errorMessage: true,
  createdAt: true,
  updatedAt: true,
} as const;

// The oldest rows nobody holds: never graded to the end, not failed, the lease run out (or
// handed back). SKIP LOCKED lets replicas sweep side by side; `held` are the ids this replica
// is grading, which it never claims from itself even if a renewal came late.
const claimStatement: Statement = {
  name: "packetlab_pending_claim",
  text: `UPDATE pending_submissions p SET lease_until = now() + make_interval(secs => $2::float8 / 1000),
      attempts = p.attempts + 1, status = 'queued', updated_at = now()
    WHERE p.id IN (
      SELECT c.id FROM pending_submissions c
      WHERE c.status <> 'failed' AND (c.lease_until IS NULL OR c.lease_until < now())
        AND c.attempts < $3::integer AND NOT (c.id = ANY ($4::uuid[]))
        AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.id = c.id)
      ORDER BY c.created_at
      LIMIT $1::integer
      FOR UPDATE SKIP LOCKED)
    RETURNING p.id`,
};

// Rows whose grading was cut short `maxAttempts` times (the replica died each time): a program
// that kills its grader must not take down one replica after another for ever.
const exhaustedStatement: Statement = {
  name: "packetlab_pending_exhausted",
  text: `UPDATE pending_submissions SET status = 'failed', lease_until = NULL, updated_at = now(),
      error_code = 'GRADING_INTERRUPTED',
      error_message = 'Grading was interrupted ' || attempts || ' times (the service restarted); submit the program again.'
    WHERE status <> 'failed' AND (lease_until IS NULL OR lease_until < now())
      AND attempts >= $1::integer AND NOT (id = ANY ($2::uuid[]))`,
};

// A replica that died between storing the grade and deleting its pending row left the row
// behind; the grade is what counts.
const settledStatement: Statement = {
  name: "packetlab_pending_settled",
  text: `DELETE FROM pending_submissions p USING submissions s WHERE s.id = p.id`,
};

const renewStatement: Statement = {
  name: "packetlab_pending_renew",
  text: `UPDATE pending_submissions SET lease_until = now() + make_interval(secs => $2::float8 / 1000)
    WHERE id = ANY ($1::uuid[]) AND status <> 'failed'`,
};

const releaseStatement: Statement = {
  name: "packetlab_pending_release",
  text: `UPDATE pending_submissions SET lease_until = now() + make_interval(secs => $2::float8 / 1000),
      status = 'queued', updated_at = now(),
      attempts = CASE WHEN $3::boolean THEN attempts ELSE GREATEST(attempts - 1, 0) END
    WHERE id = $1::uuid AND status <> 'failed'`,
};

export function createPendingSubmissions(prisma: PrismaClient, sql: Sql) {
  return {
    /**
     * Stores it, held by the caller for `leaseMs`. With an idempotency key another pending row
     * already has, returns that row instead (a concurrent duplicate won) and `created: false`.
     */
    async create(
      input: NewPendingSubmission,
    ): Promise<{ row: PendingSubmission; created: boolean }> {
      const { leaseMs, ...data } = input;
      try {
        const row = await prisma.pendingSubmission.create({
          data: { ...data, leaseUntil: new Date(Date.now() + leaseMs) },
          select: columns,
        });
        return { row: row as PendingSubmission, created: true };
      } catch (error) {
        if (input.idempotencyKey && isUniqueViolation(error)) {
          const existing = await prisma.pendingSubmission.findUnique({
            where: {
              learnerId_idempotencyKey: {
                learnerId: input.learnerId,
                idempotencyKey: input.idempotencyKey,
              },
            },
            select: columns,
          });
          if (existing) return { row: existing as PendingSubmission, created: false };
        }
        throw error;
      }
    },

    async find(id: string): Promise<PendingSubmission | null> {
      const row = await prisma.pendingSubmission.findUnique({ where: { id }, select: columns });
      return row as PendingSubmission | null;
    },

    async findByIdempotencyKey(
      learnerId: string,
      idempotencyKey: string,
    ): Promise<PendingSubmission | null> {
      const row = await prisma.pendingSubmission.findUnique({
        where: { learnerId_idempotencyKey: { learnerId, idempotencyKey } },
        select: columns,
      });
      return row as PendingSubmission | null;
    },

    async findMany(ids: string[]): Promise<PendingSubmission[]> {
      if (ids.length === 0) return [];
      const rows = await prisma.pendingSubmission.findMany({
        where: { id: { in: ids } },
        orderBy: { createdAt: "asc" },
        select: columns,
      });
      return rows as PendingSubmission[];
    },

    /** Its run left the queue for a sandbox (or a compiler). */
    async markRunning(id: string): Promise<void> {
      await prisma.pendingSubmission.updateMany({
        where: { id, status: "queued" },
        data: { status: "running", updatedAt: new Date() },
      });
    },

    /** Extends the leases of the rows this replica is grading. */
    async renew(ids: string[], leaseMs: number): Promise<void> {
      if (ids.length > 0) await sql.query(renewStatement, [ids, leaseMs]);
    },

    /**
     * Hands it back to be graded again in `delayMs` by whichever replica sweeps then. `counted`
     * false (shutdown, sandboxes busy) does not use up one of its attempts.
     */
    async release(id: string, delayMs: number, counted: boolean): Promise<void> {
      await sql.query(releaseStatement, [id, Math.max(0, delayMs), counted]);
    },

    /** It cannot be graded (its lesson is gone, its language is off…): the reason is kept. */
    async fail(id: string, code: string, message: string): Promise<void> {
      await prisma.pendingSubmission.updateMany({
        where: { id },
        data: {
          status: "failed",
          leaseUntil: null,
          errorCode: code.slice(0, 50),
          errorMessage: message.slice(0, 1000),
          updatedAt: new Date(),
        },
      });
    },

    /** Graded and stored (or never to be): the row goes. */
    async remove(id: string): Promise<void> {
      await prisma.pendingSubmission.deleteMany({ where: { id } });
    },

    /**
     * One sweep: drops rows already graded, fails rows interrupted `maxAttempts` times, and
     * claims up to `limit` of the rest for `leaseMs`. Returns the claimed ids, oldest first.
     */
    async claim(
      limit: number,
      leaseMs: number,
      maxAttempts: number,
      held: string[],
    ): Promise<string[]> {
      await sql.query(settledStatement, []);
      await sql.query(exhaustedStatement, [maxAttempts, held]);
      const rows = await sql.query<{ id: string }>(claimStatement, [
        limit,
        leaseMs,
        maxAttempts,
        held,
      ]);
      return rows.map((row) => row.id);
    },
  };
}

export type PendingSubmissions = ReturnType<typeof createPendingSubmissions>;
