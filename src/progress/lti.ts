// LTI 1.3 records: platform registrations, the tool's keys, OIDC login states, and how LMS
// courses and users map to packetlab classes, learners and teachers; AGS line items and the
// per-learner clock that keeps score timestamps increasing.
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { isUniqueViolation } from "./errors.ts";
import { hashToken, newJoinCode, newToken } from "./tokens.ts";

export interface RegistrationInput {
  name: string;
  issuer: string;
  clientId: string;
  deploymentIds: string[];
  authLoginUrl: string;
  tokenUrl: string;
  jwksUrl: string;
}

export interface RegistrationRecord extends RegistrationInput {
  id: string;
  teacherId: string;
  createdAt: Date;
}

export interface ToolKeyRecord {
  kid: string;
  status: "current" | "next" | "previous";
  privateJwk: Prisma.JsonValue;
  publicJwk: Prisma.JsonValue;
  createdAt: Date;
}

export type LaunchStateCheck =
  { ok: true; nonce: string; registrationId: string } | { ok: false; reason: string };

export function createLtiStore(prisma: PrismaClient) {
  async function issueToken(owner: { teacherId: string } | { learnerId: string }) {
    const token = newToken("teacherId" in owner ? "plt_t" : "plt_l");
    await prisma.apiToken.create({
      data: {
        tokenHash: hashToken(token),
        ...("teacherId" in owner
          ? { role: "teacher" as const, teacherId: owner.teacherId }
          : { role: "learner" as const, learnerId: owner.learnerId }),
      },
    });
    return token;
  }

  /** The learner an LMS user is, created and enrolled in the class on first sight. */
  async function learnerFor(registrationId: string, sub: string, name: string, classId: string) {
    const key = { registrationId_sub: { registrationId, sub } };
    let user = await prisma.ltiUser.findUnique({ where: key });
    if (!user?.learnerId) {
      const learner = await prisma.learner.create({
        data: { displayName: name.slice(0, 100) || "Learner" },
      });
      user = await prisma.ltiUser.upsert({
        where: key,
        create: { registrationId, sub, learnerId: learner.id },
        update: { learnerId: learner.id },
      });
    }
    const learnerId = user.learnerId!;
    await prisma.enrolment.createMany({
      data: [{ classId, learnerId }],
      skipDuplicates: true,
    });
    return learnerId;
  }

  return {
    /** A registration and the teacher account that owns its classes until an instructor does. */
    async createRegistration(input: RegistrationInput): Promise<RegistrationRecord> {
      const teacher = await prisma.teacher.create({ data: { name: `${input.name} (LTI)` } });
      return prisma.ltiRegistration.create({ data: { ...input, teacherId: teacher.id } });
    },

    listRegistrations(): Promise<RegistrationRecord[]> {
      return prisma.ltiRegistration.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    },

    findRegistration(id: string): Promise<RegistrationRecord | null> {
      return prisma.ltiRegistration.findUnique({ where: { id } });
    },

    /** Registrations of an issuer, narrowed to one client_id when the platform sent it. */
    registrationsOf(issuer: string, clientId?: string): Promise<RegistrationRecord[]> {
      return prisma.ltiRegistration.findMany({
        where: { issuer, ...(clientId ? { clientId } : {}) },
      });
    },

    async updateDeployments(id: string, deploymentIds: string[]): Promise<boolean> {
      const { count } = await prisma.ltiRegistration.updateMany({
        where: { id },
        data: { deploymentIds },
      });
      return count === 1;
    },

    async deleteRegistration(id: string): Promise<boolean> {
      const { count } = await prisma.ltiRegistration.deleteMany({ where: { id } });
      return count === 1;
    },

    async keys(): Promise<ToolKeyRecord[]> {
      const rows = await prisma.ltiKey.findMany({ orderBy: { createdAt: "asc" } });
      return rows as ToolKeyRecord[];
    },

    /**
     * Inserts keys made by `make` so that a current and a next key exist; replicas racing here
     * insert the same statuses, and the loser's rows are removed in favour of the first ones.
     */
    async ensureKeys(make: () => Promise<{ kid: string; privateJwk: object; publicJwk: object }>) {
      for (const status of ["current", "next"] as const) {
        if (await prisma.ltiKey.findFirst({ where: { status } })) continue;
        const key = await make();
        await prisma.ltiKey.create({ data: { ...key, status } });
        const rows = await prisma.ltiKey.findMany({
          where: { status },
          orderBy: { createdAt: "asc" },
        });
        if (rows.length > 1)
          await prisma.ltiKey.deleteMany({
            where: { kid: { in: rows.slice(1).map((r) => r.kid) } },
          });
      }
    },

    /** previous → dropped, current → previous, next → current, a new key → next. */
    async rotateKeys(key: { kid: string; privateJwk: object; publicJwk: object }) {
      await prisma.$transaction([
        prisma.ltiKey.deleteMany({ where: { status: "previous" } }),
        prisma.ltiKey.updateMany({ where: { status: "current" }, data: { status: "previous" } }),
        prisma.ltiKey.updateMany({ where: { status: "next" }, data: { status: "current" } }),
        prisma.ltiKey.create({ data: { ...key, status: "next" } }),
      ]);
    },

    async createLaunchState(input: {
      state: string;
      nonce: string;
      registrationId: string;
      browser: string;
      expiresAt: Date;
    }): Promise<void> {
      await prisma.ltiLaunchState.create({
        data: {
          stateHash: hashToken(input.state),
          nonce: input.nonce,
          registrationId: input.registrationId,
          browserHash: hashToken(input.browser),
          expiresAt: input.expiresAt,
        },
      });
      if (Math.random() < 0.05)
        await prisma.ltiLaunchState.deleteMany({ where: { expiresAt: { lt: new Date() } } });
    },

    /** Spends a state: only once, only before it expires, only from the browser it was given to. */
    async consumeLaunchState(
      state: string,
      browser: string | undefined,
    ): Promise<LaunchStateCheck> {
      const stateHash = hashToken(state);
      const row = await prisma.ltiLaunchState.findUnique({ where: { stateHash } });
      if (!row) return { ok: false, reason: "the state is not one this tool issued" };
      if (!browser || hashToken(browser) !== row.browserHash)
        return {
          ok: false,
          reason: "the state was issued to another browser (or its cookie was lost)",
        };
      const now = new Date();
      if (row.expiresAt <= now) return { ok: false, reason: "the state has expired" };
      const { count } = await prisma.ltiLaunchState.updateMany({
        where: { stateHash, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (count !== 1) return { ok: false, reason: "the state was already used" };
      return { ok: true, nonce: row.nonce, registrationId: row.registrationId };
    },

    /** The class of an LMS course, made on first launch; an instructor's launch claims it. */
    async classForContext(input: {
      registration: RegistrationRecord;
      contextId: string;
      title: string;
      membershipsUrl?: string | undefined;
      instructorTeacherId?: string | undefined;
    }): Promise<string> {
      const key = { registrationId: input.registration.id, contextId: input.contextId };
      let context = await prisma.ltiContext.findUnique({
        where: { registrationId_contextId: key },
      });
      if (!context) {
        const klass = await prisma.class.create({
          data: {
            teacherId: input.instructorTeacherId ?? input.registration.teacherId,
            name: input.title.slice(0, 200) || input.contextId.slice(0, 200),
            joinCode: newJoinCode(),
          },
        });
        try {
          context = await prisma.ltiContext.create({
            data: {
              ...key,
              classId: klass.id,
              membershipsUrl: input.membershipsUrl ?? null,
              instructorOwned: input.instructorTeacherId !== undefined,
            },
          });
          return klass.id;
        } catch (error) {
          // Two first launches at once: keep the other's class.
          await prisma.class.delete({ where: { id: klass.id } });
          if (!isUniqueViolation(error)) throw error;
          context = await prisma.ltiContext.findUniqueOrThrow({
            where: { registrationId_contextId: key },
          });
        }
      }
      if (input.instructorTeacherId && !context.instructorOwned) {
        await prisma.$transaction([
          prisma.class.update({
            where: { id: context.classId },
            data: { teacherId: input.instructorTeacherId },
          }),
          prisma.ltiContext.update({
            where: { registrationId_contextId: key },
            data: { instructorOwned: true },
          }),
        ]);
      }
      if (input.membershipsUrl && input.membershipsUrl !== context.membershipsUrl) {
        await prisma.ltiContext.update({
          where: { registrationId_contextId: key },
          data: { membershipsUrl: input.membershipsUrl },
        });
      }
      return context.classId;
    },

    contextOfClass(classId: string) {
      return prisma.ltiContext.findUnique({ where: { classId } });
    },

    learnerFor,

    /** The teacher an LMS instructor is, created on first sight. */
    async teacherFor(registrationId: string, sub: string, name: string) {
      const key = { registrationId_sub: { registrationId, sub } };
      const user = await prisma.ltiUser.findUnique({ where: key });
      if (user?.teacherId) return user.teacherId;
      const teacher = await prisma.teacher.create({
        data: { name: name.slice(0, 200) || "Instructor" },
      });
      await prisma.ltiUser.upsert({
        where: key,
        create: { registrationId, sub, teacherId: teacher.id },
        update: { teacherId: teacher.id },
      });
      return teacher.id;
    },

    issueToken,

    async upsertLineItem(input: {
      registrationId: string;
      classId: string;
      lessonId: string;
      exerciseId: string;
      url: string;
      scoreMaximum: number;
      scopes: string[];
    }): Promise<string> {
      const row = await prisma.ltiLineItem.upsert({
        where: { url: input.url },
        create: input,
        update: {
          lessonId: input.lessonId,
          exerciseId: input.exerciseId,
          scopes: input.scopes,
          scoreMaximum: input.scoreMaximum,
        },
      });
      return row.id;
    },

    /** What a score delivery needs: the line item, its platform, the user, the progress. */
    async scoreTarget(lineItemId: string, learnerId: string) {
      const lineItem = await prisma.ltiLineItem.findUnique({ where: { id: lineItemId } });
      if (!lineItem) return null;
      const [registration, user, progress] = await Promise.all([
        prisma.ltiRegistration.findUnique({ where: { id: lineItem.registrationId } }),
        prisma.ltiUser.findFirst({ where: { registrationId: lineItem.registrationId, learnerId } }),
        prisma.progress.findUnique({
          where: {
            learnerId_lessonId_exerciseId: {
              learnerId,
              lessonId: lineItem.lessonId,
              exerciseId: lineItem.exerciseId,
            },
          },
        }),
      ]);
      if (!registration || !user) return null;
      return { lineItem, registration, user, progress };
    },

    /** The timestamp of the next score: now, or a second after the last one if that is later. */
    async nextScoreTimestamp(lineItemId: string, learnerId: string): Promise<Date> {
      const [row] = await prisma.$queryRaw<{ at: Date }[]>`
        INSERT INTO lti_score_clocks (line_item_id, learner_id, last_sent_at)
        VALUES (${lineItemId}::uuid, ${learnerId}::uuid, now())
        ON CONFLICT (line_item_id, learner_id) DO UPDATE SET
          last_sent_at = GREATEST(now(), lti_score_clocks.last_sent_at + interval '1 second')
        RETURNING last_sent_at AS at`;
      return row!.at;
    },

    /** Roster sync: an LMS member as a learner of the class (instructors are left alone). */
    async enrolMember(registrationId: string, classId: string, sub: string, name: string) {
      const existing = await prisma.ltiUser.findUnique({
        where: { registrationId_sub: { registrationId, sub } },
      });
      const isNew = !existing?.learnerId;
      const learnerId = await learnerFor(registrationId, sub, name, classId);
      return { learnerId, isNew };
    },
  };
}

export type LtiStore = ReturnType<typeof createLtiStore>;
