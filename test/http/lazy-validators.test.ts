// Validators compiled on first use must validate, coerce and report exactly as fastify's own
// (eagerly compiled) Ajv validators do: the same app, once with each.
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { lazyValidators } from "../../src/http/lazy-validators.ts";

function appWith(lazy: boolean): FastifyInstance {
  const app = Fastify(
    lazy ? { schemaController: { compilersFactory: { buildValidator: lazyValidators() } } } : {},
  );
  app.post(
    "/items/:id",
    {
      schema: {
        params: {
          type: "object",
          properties: { id: { type: "integer" } },
          required: ["id"],
        },
        querystring: {
          type: "object",
          properties: { tags: { type: "array", items: { type: "string" } }, n: { type: "number" } },
        },
        headers: {
          type: "object",
          properties: { "idempotency-key": { type: "string", minLength: 3 } },
        },
        body: {
          type: "object",
          properties: {
            name: { type: "string", maxLength: 5 },
            size: { type: "integer", default: 1 },
          },
          required: ["name"],
          additionalProperties: false,
        },
      },
    },
    async (request) => ({ params: request.params, query: request.query, body: request.body }),
  );
  return app;
}

const requests = [
  { url: "/items/7?tags=a&n=2", payload: { name: "abc", extra: true } },
  { url: "/items/seven", payload: { name: "abc" } },
  { url: "/items/7", payload: { name: "too long" } },
  { url: "/items/7", payload: {} },
  { url: "/items/7", payload: { name: "abc" }, headers: { "Idempotency-Key": "k" } },
  { url: "/items/7", payload: { name: "abc" }, headers: { "idempotency-key": "key" } },
];

describe("lazy request validators", () => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it("answer every request as the eager ones do", async () => {
    const eager = appWith(false);
    const lazy = appWith(true);
    apps.push(eager, lazy);
    for (const request of requests) {
      const [expected, actual] = await Promise.all(
        [eager, lazy].map((app) => app.inject({ method: "POST", ...request })),
      );
      expect({ status: actual!.statusCode, body: actual!.json() }).toEqual({
        status: expected!.statusCode,
        body: expected!.json(),
      });
    }
  });

  it("compile nothing until a request needs it", async () => {
    let built = 0;
    const counting = lazyValidators(() => {
      built++;
      return () => Object.assign(() => true, { errors: null });
    });
    const app = Fastify({ schemaController: { compilersFactory: { buildValidator: counting } } });
    apps.push(app);
    app.post("/", { schema: { body: { type: "object" } } }, async () => "ok");
    await app.ready();
    expect(built).toBe(0);
    await app.inject({ method: "POST", url: "/", payload: {} });
    expect(built).toBe(1);
  });
});
