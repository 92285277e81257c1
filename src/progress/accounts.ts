// Who may do what: teachers, classes, learners joining with a code, bearer tokens and the
// short-lived tickets a browser trades for a WebSocket.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { isUniqueViolation } from "./errors.ts";
import { hashToken, newJoinCode, newToken, normaliseJoinCode } from "./tokens.ts";

export type Principal =
  | { role: "teacher"; teacherId: string; tokenId: string }
  | { role: "learner"; learnerId: string; tokenId: string };

export interface ClassRecord {
  id: string;
  name: string;
  joinCode: string;
  joinsOpen: boolean;
  createdAt: Date;
}

const classColumns = {
  id: true,
  name: true,
  joinCode: true,
  joinsOpen: true,
  createdAt: true,
} as const;

/** A class as its learner sees it: no join code (it is the teacher's to share). */
export interface LearnerClassRecord {
  id: string;
  name: string;
  teacherName: string;
  joinedAt: Date;
}

const TICKET_LIFETIME_MS = 60_000;

export interface JoinedClass {
  learnerId: string;
  classId: string;
  className: string;
  token: string;
}

export function createAccounts(prisma: PrismaClient) {
  /** The class a join code opens (case, spaces and dashes do not matter), or null. */
  function findClassByCode(
    joinCode: string,
  ): Promise<{ id: string; name: string; joinsOpen: boolean } | null> {
    return prisma.class.findUnique({
      where: { joinCode: normaliseJoinCode(joinCode) },
      select: { id: true, name: true, joinsOpen: true },
    });
  }

  async function enrol(
    found: { id: string; name: string },
    displayName: string,
  ): Promise<JoinedClass> {
    // The learner.joined webhook deliveries are written in the same transaction as the learner:
    // one outbox row per enabled endpoint that wants them (the operator's, the class teacher's).
    const learnerId = randomUUID();
    const joinedAt = new Date();
    const event = JSON.stringify({
      type: "learner.joined",
      timestamp: joinedAt.toISOString(),
      data: {
        learnerId,
        classId: found.id,
        // jsonb refuses NUL and lone surrogates, which a name may hold: U+FFFD stands in.
        displayName: displayName
          .replaceAll("\u0000", "\uFFFD")
          .replace(
            /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
            "\uFFFD",
          ),
        joinedAt: joinedAt.toISOString(),
      },
    });
    await prisma.$transaction([
      prisma.learner.create({
        data: {
          id: learnerId,
          displayName,
          createdAt: joinedAt,
          enrolments: { create: { classId: found.id, joinedAt } },
        },
      }),
      prisma.$executeRaw`INSERT INTO outbox (id, kind, target_id, ordering_key, event_type, payload)
        SELECT gen_random_uuid(), 'webhook', w.id, w.id::text || ':' || ${learnerId}, 'learner.joined',
          ${event}::jsonb
        FROM webhook_endpoints w
        WHERE w.enabled AND 'learner.joined' = ANY (w.events)
          AND (w.teacher_id IS NULL
            OR w.teacher_id = (SELECT teacher_id FROM classes WHERE id = ${found.id}::uuid))`,
    ]);
    const token = await issueToken({ learnerId });
    return { learnerId, classId: found.id, className: found.name, token };
  }

  async function issueToken(owner: { teacherId: string } | { learnerId: string }): Promise<string> {
    const token = newToken("teacherId" in owner ? "plt_t" : "plt_l");
    await prisma.apiToken.create({
      data: {
        tokenHash: hashToken(token),
        ...("teacherId" in owner
          ? { role: "teacher", teacherId: owner.teacherId }
          : { role: "learner", learnerId: owner.learnerId }),
      },
    });
    return token;
  }

  return {
    async createTeacher(name: string): Promise<{ id: string; name: string; token: string }> {
      const teacher = await prisma.teacher.create({ data: { name } });
      return {
        id: teacher.id,
        name: teacher.name,
        token: await issueToken({ teacherId: teacher.id }),
      };
    },

    /** The principal a bearer token stands for, or undefined for unknown or revoked tokens. */
    async resolveToken(token: string): Promise<Principal | undefined> {
      const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token) } });
      if (!row || row.revokedAt) return undefined;
      if (row.role === "teacher" && row.teacherId) {
        return { role: "teacher", teacherId: row.teacherId, tokenId: row.id };
      }
      if (row.role === "learner" && row.learnerId) {
        return { role: "learner", learnerId: row.learnerId, tokenId: row.id };
      }
      return undefined;
    },

    /** Revokes a token for good (logout); true if it was still valid. */
    async revokeToken(tokenId: string): Promise<boolean> {
      const { count } = await prisma.apiToken.updateMany({
        where: { id: tokenId, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      return count === 1;
    },

    async createClass(teacherId: string, name: string): Promise<ClassRecord> {
      // 8.2e14 possible codes (tokens.ts): a collision is rare, but retry on one.
      for (let attempt = 0; ; attempt++) {
        try {
          return await prisma.class.create({
            data: { teacherId, name, joinCode: newJoinCode() },
            select: classColumns,
          });
        } catch (error) {
          if (!isUniqueViolation(error) || attempt >= 4) throw error;
        }
      }
    },

    listClasses(teacherId: string): Promise<ClassRecord[]> {
      return prisma.class.findMany({
        where: { teacherId },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: classColumns,
      });
    },

    /** The class, if this teacher owns it (others' classes are indistinguishable from absent). */
    findTeachersClass(teacherId: string, classId: string): Promise<ClassRecord | null> {
      return prisma.class.findFirst({
        where: { id: classId, teacherId },
        select: classColumns,
      });
    },

    /** A new learner enrolled in the class with this code; undefined for an unknown code. */
    async joinClass(joinCode: string, displayName: string): Promise<JoinedClass | undefined> {
      const found = await findClassByCode(joinCode);
      return found ? enrol(found, displayName) : undefined;
    },

    findClassByCode,

    /** True when some class's code begins with these characters (of a normalised code). */
    async codePrefixInUse(prefix: string): Promise<boolean> {
      if (!/^[A-Z0-9]+$/.test(prefix)) return false;
      const found = await prisma.class.findFirst({
        where: { joinCode: { startsWith: prefix } },
        select: { id: true },
      });
      return found !== null;
    },

    /** A new learner enrolled in the class, with their token. */
    enrol,

    /** Opens or closes the teacher's class to new joins; null if it is not theirs. */
    /** Opens or closes the class, and tells its activity feed (a class-updated event). */
    async setJoinsOpen(
      teacherId: string,
      classId: string,
      joinsOpen: boolean,
    ): Promise<ClassRecord | null> {
      const [updated] = await prisma.$queryRaw<ClassRecord[]>`
        WITH updated AS (
          UPDATE classes SET joins_open = ${joinsOpen}
          WHERE id = ${classId}::uuid AND teacher_id = ${teacherId}::uuid
          RETURNING id, name, join_code, joins_open, created_at),
        told AS (
          INSERT INTO class_events (class_id, type, data)
          SELECT id, 'class-updated', jsonb_build_object('name', name, 'joinsOpen', joins_open)
          FROM updated)
        SELECT id, name, join_code AS "joinCode", joins_open AS "joinsOpen", created_at AS "createdAt"
        FROM updated`;
      return updated ?? null;
    },

    /** The teacher with their classes (oldest first), or null for an unknown id. */
    async teacherProfile(
      teacherId: string,
    ): Promise<{ id: string; name: string; classes: ClassRecord[] } | null> {
      const teacher = await prisma.teacher.findUnique({
        where: { id: teacherId },
        select: {
          id: true,
          name: true,
          classes: {
            orderBy: [{ createdAt: "asc" }, { id: "asc" }],
            select: classColumns,
          },
        },
      });
      return teacher;
    },

    /** The learner with the classes they joined (first joined first), or null. */
    async learnerProfile(
      learnerId: string,
    ): Promise<{ id: string; displayName: string; classes: LearnerClassRecord[] } | null> {
      const learner = await prisma.learner.findUnique({
        where: { id: learnerId },
        select: {
          id: true,
          displayName: true,
          enrolments: {
            orderBy: [{ joinedAt: "asc" }, { classId: "asc" }],
            select: {
              joinedAt: true,
              class: { select: { id: true, name: true, teacher: { select: { name: true } } } },
            },
          },
        },
      });
      if (!learner) return null;
      return {
        id: learner.id,
        displayName: learner.displayName,
        classes: learner.enrolments.map(({ joinedAt, class: joined }) => ({
          id: joined.id,
          name: joined.name,
          teacherName: joined.teacher.name,
          joinedAt,
        })),
      };
    },

    /** True when the learner is enrolled in one of the teacher's classes. */
    async teachesLearner(teacherId: string, learnerId: string): Promise<boolean> {
      const count = await prisma.enrolment.count({ where: { learnerId, class: { teacherId } } });
      return count > 0;
    },

    async isEnrolled(classId: string, learnerId: string): Promise<boolean> {
      return (await prisma.enrolment.count({ where: { classId, learnerId } })) > 0;
    },

    async createWsTicket(learnerId: string): Promise<{ ticket: string; expiresAt: Date }> {
      const ticket = newToken("plt_ws");
      const expiresAt = new Date(Date.now() + TICKET_LIFETIME_MS);
      await prisma.wsTicket.create({
        data: { ticketHash: hashToken(ticket), learnerId, expiresAt },
      });
      return { ticket, expiresAt };
    },

    /** Spends a ticket: the first caller gets the learner, later callers and late ones nothing. */
    async redeemWsTicket(ticket: string): Promise<string | undefined> {
      const ticketHash = hashToken(ticket);
      const now = new Date();
      const { count } = await prisma.wsTicket.updateMany({
        where: { ticketHash, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (count !== 1) return undefined;
      const row = await prisma.wsTicket.findUnique({ where: { ticketHash } });
      // Spent and expired tickets are only clutter; sweep them now and then.
      if (Math.random() < 0.05) {
        await prisma.wsTicket.deleteMany({ where: { expiresAt: { lt: now } } });
      }
      return row?.learnerId;
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
