// The outbox: every outgoing delivery, as rows a relay claims, sends and settles. Rows are
// written by the statement that stores a grade (submissions.ts), so a delivery exists exactly
// when its cause was committed. Claims are leases, not open transactions: a replica marks rows
// as its own until `lease_until` and commits at once, so nothing holds a lock while it waits on
// another system, and a replica killed mid-send leaves a lease that simply runs out.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Sql, Statement } from "./database.ts";

export type OutboxStatus = "pending" | "delivered" | "parked";

export interface OutboxMessage {
  id: string;
  kind: string;
  targetId: string;
  orderingKey: string;
  eventType: string;
  payload: unknown;
  /** This attempt's number (1 for the first); also the fencing token of the claim. */
  attempts: number;
  createdAt: Date;
}

export interface DeliveryRecord {
  id: string;
  kind: string;
  targetId: string;
  eventType: string;
  payload: unknown;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

// The oldest due rows whose (target, learner) has no older undelivered row: deliveries of one
// key go out one at a time, in order. SKIP LOCKED lets replicas claim side by side; the lock
// lives only for this statement, the lease (and the attempt count, the fencing token) after it.
const claimStatement: Statement = {
  name: "packetlab_outbox_claim",
  text: `UPDATE outbox o SET lease_until = now() + make_interval(secs => $2::float8 / 1000),
      attempts = o.attempts + 1
    WHERE o.id IN (
      SELECT c.id FROM outbox c
      WHERE c.status = 'pending' AND c.next_attempt_at <= now()
        AND (c.lease_until IS NULL OR c.lease_until < now())
        AND NOT EXISTS (SELECT 1 FROM outbox p
          WHERE p.ordering_key = c.ordering_key AND p.status = 'pending' AND p.seq < c.seq)
      ORDER BY c.seq
      LIMIT $1::integer
      FOR UPDATE SKIP LOCKED)
    RETURNING o.id, o.kind, o.target_id AS "targetId", o.ordering_key AS "orderingKey",
      o.event_type AS "eventType", o.payload, o.attempts, o.created_at AS "createdAt"`,
};

// Settling checks the attempt number: a replica whose lease ran out (and whose row another
// replica claimed since) cannot overwrite the newer attempt's outcome.
const deliveredStatement: Statement = {
  name: "packetlab_outbox_delivered",
  text: `UPDATE outbox SET status = 'delivered', delivered_at = now(), lease_until = NULL,
      last_status = $3::integer, last_error = NULL
    WHERE id = $1::uuid AND attempts = $2::integer AND status = 'pending'`,
};

const failedStatement: Statement = {
  name: "packetlab_outbox_failed",
  text: `UPDATE outbox SET lease_until = NULL, last_status = $3::integer, last_error = left($4, 1000),
      status = CASE WHEN $5::boolean THEN 'parked' ELSE 'pending' END,
      next_attempt_at = now() + make_interval(secs => $6::float8 / 1000)
    WHERE id = $1::uuid AND attempts = $2::integer AND status = 'pending'`,
};

const deliveryColumns = {
  id: true,
  kind: true,
  targetId: true,
  eventType: true,
  payload: true,
  status: true,
  attempts: true,
  nextAttemptAt: true,
  lastStatus: true,
  lastError: true,
  createdAt: true,
  deliveredAt: true,
} as const;

export function createOutbox(prisma: PrismaClient, sql: Sql) {
  return {
    /** Claims up to `limit` due messages for `leaseMs`; each comes with its attempt number. */
    claim(limit: number, leaseMs: number): Promise<OutboxMessage[]> {
      return sql.query<OutboxMessage>(claimStatement, [limit, leaseMs]);
    },

    /** Marks it delivered, if this attempt still owns it. */
    async delivered(message: Pick<OutboxMessage, "id" | "attempts">, status: number) {
      await sql.query(deliveredStatement, [message.id, message.attempts, status]);
    },

    /** Schedules another attempt after `retryInMs`, or parks the message for good. */
    async failed(
      message: Pick<OutboxMessage, "id" | "attempts">,
      outcome: { status: number | null; error: string; park: boolean; retryInMs: number },
    ): Promise<void> {
      await sql.query(failedStatement, [
        message.id,
        message.attempts,
        outcome.status,
        outcome.error,
        outcome.park,
        outcome.retryInMs,
      ]);
    },

    /** Newest first; the delivery log of one target (a webhook endpoint). */
    async listForTarget(targetId: string, limit: number): Promise<DeliveryRecord[]> {
      const rows = await prisma.outboxMessage.findMany({
        where: { targetId },
        orderBy: [{ seq: "desc" }],
        take: limit,
        select: deliveryColumns,
      });
      return rows as DeliveryRecord[];
    },

    async find(id: string): Promise<DeliveryRecord | null> {
      const row = await prisma.outboxMessage.findUnique({ where: { id }, select: deliveryColumns });
      return row as DeliveryRecord | null;
    },

    /** Sends a message again (same id, same body): parked or delivered, it becomes due now. */
    async replay(id: string): Promise<boolean> {
      const { count } = await prisma.outboxMessage.updateMany({
        where: { id },
        data: { status: "pending", attempts: 0, nextAttemptAt: new Date(), leaseUntil: null },
      });
      return count === 1;
    },

    /** Parks what is still pending for a target (its endpoint was disabled or deleted). */
    async parkPending(targetId: string, reason: string): Promise<number> {
      const { count } = await prisma.outboxMessage.updateMany({
        where: { targetId, status: "pending" },
        data: { status: "parked", lastError: reason.slice(0, 1000), leaseUntil: null },
      });
      return count;
    },

    /** Messages by status, for metrics and tests. */
    async counts(): Promise<Record<OutboxStatus, number>> {
      const groups = await prisma.outboxMessage.groupBy({ by: ["status"], _count: true });
      const counts: Record<OutboxStatus, number> = { pending: 0, delivered: 0, parked: 0 };
      for (const group of groups) counts[group.status as OutboxStatus] = group._count;
      return counts;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
