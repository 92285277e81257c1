// A learner or teacher revokes their own bearer token (logout, or a token they fear leaked).
// The operator's token comes from the environment and is changed there, not here.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { RouteDeps } from "./deps.ts";
import { bearerToken } from "./auth.ts";
import { apiError } from "./errors.ts";
import { responses } from "./schemas.ts";

export const tokenRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app) => {
  app.delete(
    "/v1/tokens/current",
    {
      preHandler: app.requireRole("learner", "teacher"),
      schema: {
        tags: ["tokens"],
        operationId: "revokeCurrentToken",
        summary: "Revoke the token this request is made with; it stops working at once.",
        description:
          'Later requests with it get 401, from every replica (README "Quotas": with SHARED_STATE=memory, other replicas may accept it for up to 30 s). Open WebSocket connections stay open; tickets already issued stay valid for their 60 s.',
        response: responses({ 204: { type: "null", description: "Revoked." } }, 401, 403, 503),
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (!bearerToken(request) || !principal || principal.role === "operator")
        throw apiError("UNAUTHENTICATED");
      await app.revokeToken(principal.tokenId);
      return reply.status(204).send();
    },
  );
};
