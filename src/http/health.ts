// Liveness, readiness and metrics, for orchestrators and Prometheus.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { RouteDeps } from "./deps.ts";
import { ref } from "./schema-kit.ts";

const Health = Type.Object({ status: Type.Literal("ok") }, { $id: "Health" });

const Readiness = Type.Object(
  {
    status: Type.Union([Type.Literal("ready"), Type.Literal("not-ready")]),
    database: Type.Union([Type.Literal("up"), Type.Literal("down")]),
    runner: Type.Object({ workers: Type.Integer(), busy: Type.Integer(), queued: Type.Integer() }),
    shuttingDown: Type.Boolean(),
  },
  { $id: "Readiness" },
);

export const healthSchemas = [Health, Readiness];

// The bodies are small objects built right here, so JSON.stringify writes exactly what the
// schema says. Compiling a serializer for Readiness (its unions need Ajv) was ~0.2 s of CPU on
// the first /readyz, which an orchestrator asks before anything else.
const asJson = () => (data: unknown) => JSON.stringify(data);

export const healthRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    "/healthz",
    {
      schema: {
        tags: ["health"],
        operationId: "getHealth",
        summary: "The process is alive.",
        response: { 200: ref(Health) },
      },
      serializerCompiler: asJson,
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/readyz",
    {
      schema: {
        tags: ["health"],
        operationId: "getReadiness",
        summary: "The database answers and the sandbox pool has workers.",
        response: { 200: ref(Readiness), 503: ref(Readiness) },
      },
      serializerCompiler: asJson,
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
