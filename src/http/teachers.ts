// The operator creates teachers; each gets a bearer token, shown once.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { CreatedTeacher, CreateTeacherRequest } from "./class-schemas.ts";
import type { RouteDeps } from "./deps.ts";
import { ref } from "./schema-kit.ts";
import { responses } from "./schemas.ts";

export const teacherRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.post(
    "/v1/teachers",
    {
      preHandler: app.requireRole("operator"),
      schema: {
        tags: ["teachers"],
        operationId: "createTeacher",
        summary: "Create a teacher (operator only). The token is shown once.",
        body: ref(CreateTeacherRequest),
        response: responses({ 201: ref(CreatedTeacher) }, 400, 401, 403, 503),
      },
    },
    async (request, reply) => {
      const teacher = await deps.store.accounts.createTeacher(request.body.name.trim());
      return reply.status(201).send(teacher);
    },
  );
};
