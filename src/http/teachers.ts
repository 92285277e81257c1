// The operator creates teachers; each gets a bearer token, shown once.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { RouteDeps } from "./deps.ts";
import { responses, Uuid } from "./schemas.ts";

export const teacherRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.post(
    "/v1/teachers",
    {
      preHandler: app.requireRole("operator"),
      schema: {
        tags: ["teachers"],
        summary: "Create a teacher (operator only). The token is shown once.",
        security: [{ bearer: [] }],
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: responses(
          { 201: Type.Object({ id: Uuid, name: Type.String(), token: Type.String() }) },
          400,
          401,
          403,
          503,
        ),
      },
    },
    async (request, reply) => {
      const teacher = await deps.store.accounts.createTeacher(request.body.name.trim());
      return reply.status(201).send(teacher);
    },
  );
};
