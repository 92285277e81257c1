// Who a token stands for: a page asks once after login (or a reload) what to show, and whose.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type, type Static } from "typebox";
import { Class } from "./class-schemas.ts";
import type { RouteDeps } from "./deps.ts";
import { apiError } from "./errors.ts";
import { ref } from "./schema-kit.ts";
import { responses, Timestamp, Uuid } from "./schemas.ts";

const OperatorMe = Type.Object(
  { role: Type.Literal("operator") },
  { $id: "OperatorMe", description: "The operator: may create teachers, nothing else." },
);

const TeacherMe = Type.Object(
  {
    role: Type.Literal("teacher"),
    teacherId: Uuid,
    name: Type.String(),
    classes: Type.Array(ref(Class), { description: "The teacher's classes, oldest first." }),
  },
  { $id: "TeacherMe" },
);

const LearnerClass = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    teacherName: Type.String(),
    joinedAt: Timestamp,
  },
  {
    $id: "LearnerClass",
    description: "A class a learner joined (its join code is the teacher's).",
  },
);

const LearnerMe = Type.Object(
  {
    role: Type.Literal("learner"),
    learnerId: Uuid,
    name: Type.String({ description: "The display name the learner joined with." }),
    classes: Type.Array(ref(LearnerClass), { description: "First joined first." }),
  },
  { $id: "LearnerMe" },
);

const Me = Type.Union([ref(OperatorMe), ref(TeacherMe), ref(LearnerMe)], {
  $id: "Me",
  description: "Who the token stands for; `role` tells which of the three.",
});

export const meSchemas = [OperatorMe, TeacherMe, LearnerClass, LearnerMe, Me];

export const meRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { accounts } = deps.store;

  app.get(
    "/v1/me",
    {
      preHandler: app.requireRole("operator", "teacher", "learner"),
      schema: {
        tags: ["accounts"],
        operationId: "getMe",
        summary: "Who the token stands for: role, name, ids and classes.",
        response: responses({ 200: ref(Me) }, 401, 503),
      },
    },
    async (request): Promise<Static<typeof Me>> => {
      const principal = request.principal;
      if (principal?.role === "teacher") {
        const teacher = await accounts.teacherProfile(principal.teacherId);
        if (!teacher) throw apiError("UNAUTHENTICATED", "The token's account no longer exists.");
        return {
          role: "teacher",
          teacherId: teacher.id,
          name: teacher.name,
          classes: teacher.classes.map((row) => ({
            ...row,
            createdAt: row.createdAt.toISOString(),
          })),
        };
      }
      if (principal?.role === "learner") {
        const learner = await accounts.learnerProfile(principal.learnerId);
        if (!learner) throw apiError("UNAUTHENTICATED", "The token's account no longer exists.");
        return {
          role: "learner",
          learnerId: learner.id,
          name: learner.displayName,
          classes: learner.classes.map((row) => ({ ...row, joinedAt: row.joinedAt.toISOString() })),
        };
      }
      return { role: "operator" };
    },
  );
};
