// Liveness, readiness and metrics, for orchestrators and Prometheus.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { RouteDeps } from "./deps.ts";

const Readiness = Type.Object({
  status: Type.Union([Type.Literal("ready"), Type.Literal("not-ready")]),
  database: Type.Union([Type.Literal("up"), Type.Literal("down")]),
  runner: Type.Object({ workers: Type.Integer(), busy: Type.Integer(), queued: Type.Integer() }),
  shuttingDown: Type.Boolean(),
});

export const healthRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    "/healthz",
    {
      schema: {
        tags: ["health"],
        summary: "The process is alive.",
        response: { 200: Type.Object({ status: Type.Literal("ok") }) },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/readyz",
    {
      schema: {
        tags: ["health"],
        summary: "The database answers and the sandbox pool has workers.",
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const database = await deps.ping().then(
        () => "up" as const,
        () => "down" as const,
      );
      const { workers, busy, queued } = deps.runner.stats();
      const ready = database === "up" && workers > 0 && !deps.shutdown.aborted;
      return reply.status(ready ? 200 : 503).send({
        status: ready ? "ready" : "not-ready",
        database,
        runner: { workers, busy, queued },
        shuttingDown: deps.shutdown.aborted,
      });
    },
  );

  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    const body = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(body);
  });
};
