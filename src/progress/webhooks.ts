// Webhook endpoints: where they are, what they want, the secrets that sign for them, and whether
// they still answer. Owned by a teacher (their learners' events) or by the operator (all).
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.ts";

export interface WebhookEndpointRecord {
  id: string;
  teacherId: string | null;
  url: string;
  events: string[];
  description: string;
  enabled: boolean;
  failureStreak: number;
  disabledReason: string | null;
  createdAt: Date;
}

/** What the relay needs to send: the endpoint with its signing secrets. */
export interface WebhookTarget extends WebhookEndpointRecord {
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
}

/** An endpoint's owner: a teacher, or the operator (null). */
export type WebhookOwner = { teacherId: string } | { operator: true };

const publicColumns = {
  id: true,
  teacherId: true,
  url: true,
  events: true,
  description: true,
  enabled: true,
  failureStreak: true,
  disabledReason: true,
  createdAt: true,
} as const;

/** Standard Webhooks: "whsec_" and the base64 of the key (24 to 64 bytes). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

const ownerWhere = (owner: WebhookOwner) =>
  "teacherId" in owner ? { teacherId: owner.teacherId } : { teacherId: null };

export function createWebhooks(prisma: PrismaClient) {
  return {
    async create(
      owner: WebhookOwner,
      input: { url: string; events: string[]; description: string },
    ): Promise<WebhookEndpointRecord & { secret: string }> {
      const secret = newWebhookSecret();
      const row = await prisma.webhookEndpoint.create({
        data: { ...input, ...ownerWhere(owner), secret },
        select: publicColumns,
      });
      return { ...row, secret };
    },

    list(owner: WebhookOwner): Promise<WebhookEndpointRecord[]> {
      return prisma.webhookEndpoint.findMany({
        where: ownerWhere(owner),
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: publicColumns,
      });
    },

    /** The owner's endpoint; others' are indistinguishable from absent. */
    find(owner: WebhookOwner, id: string): Promise<WebhookEndpointRecord | null> {
      return prisma.webhookEndpoint.findFirst({
        where: { id, ...ownerWhere(owner) },
        select: publicColumns,
      });
    },

    async remove(owner: WebhookOwner, id: string): Promise<boolean> {
      const { count } = await prisma.webhookEndpoint.deleteMany({
        where: { id, ...ownerWhere(owner) },
      });
      return count === 1;
    },

    /** Turns an endpoint back on (after fixing it) or off; resets its failure streak. */
    async setEnabled(owner: WebhookOwner, id: string, enabled: boolean): Promise<boolean> {
      const { count } = await prisma.webhookEndpoint.updateMany({
        where: { id, ...ownerWhere(owner) },
        data: {
          enabled,
          failureStreak: 0,
          disabledReason: enabled ? null : "disabled by its owner",
        },
      });
      return count === 1;
    },

    /**
     * A new secret; the old one keeps signing beside it (two signatures per delivery) for
     * `overlapMs`, so a receiver can switch without missing a delivery.
     */
    async rotateSecret(owner: WebhookOwner, id: string, overlapMs: number) {
      const found = await prisma.webhookEndpoint.findFirst({
        where: { id, ...ownerWhere(owner) },
        select: { secret: true },
      });
      if (!found) return null;
      const secret = newWebhookSecret();
      await prisma.webhookEndpoint.update({
        where: { id },
        data: {
          secret,
          previousSecret: found.secret,
          previousSecretUntil: new Date(Date.now() + overlapMs),
        },
      });
      return { secret };
    },

    target(id: string): Promise<WebhookTarget | null> {
      return prisma.webhookEndpoint.findUnique({
        where: { id },
        select: { ...publicColumns, secret: true, previousSecret: true, previousSecretUntil: true },
      });
    },

    /** Counts a failed attempt; true when this one crossed the limit and disabled it. */
    async recordFailure(id: string, disableAfter: number): Promise<boolean> {
      const row = await prisma.webhookEndpoint.update({
        where: { id },
        data: { failureStreak: { increment: 1 } },
        select: { failureStreak: true, enabled: true },
      });
      if (!row.enabled || row.failureStreak < disableAfter) return false;
      const { count } = await prisma.webhookEndpoint.updateMany({
        where: { id, enabled: true },
        data: {
          enabled: false,
          disabledReason: `disabled after ${row.failureStreak} failed attempts in a row`,
        },
      });
      return count === 1;
    },

    async recordSuccess(id: string): Promise<void> {
      await prisma.webhookEndpoint.updateMany({
        where: { id, failureStreak: { gt: 0 } },
        data: { failureStreak: 0 },
      });
    },
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;
