// POST /v1/download-links: a short-lived link to a download (a class's CSV, a trace's pcap) that
// a page can put in a plain <a href download>, since a link cannot carry a bearer token.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { RouteDeps } from "./deps.ts";
import { LINK_LIFETIME_SECONDS } from "./download-links.ts";
import { apiError, quote } from "./errors.ts";
import { ref } from "./schema-kit.ts";
import { responses, Timestamp } from "./schemas.ts";

const CreateDownloadLinkRequest = Type.Object(
  {
    path: Type.String({
      minLength: 1,
      maxLength: 300,
      description:
        "The download's path: /v1/classes/{classId}/progress.csv or /v1/submissions/{submissionId}/trace.pcap.",
    }),
  },
  {
    $id: "CreateDownloadLinkRequest",
    examples: [{ path: "/v1/submissions/8a3f2c1e-4b5d-4e6f-9a0b-1c2d3e4f5a6b/trace.pcap" }],
  },
);

const DownloadLink = Type.Object(
  {
    url: Type.String({
      description:
        "The path with its signature, relative to the API's base URL: fetch it or link to it without a token.",
    }),
    expiresAt: Timestamp,
  },
  {
    $id: "DownloadLink",
    description: `Works for ${LINK_LIFETIME_SECONDS / 60} minutes, as the account that asked for it; it grants nothing that account could not fetch.`,
  },
);

/** Query parameters of a signed link, on the routes that accept one. */
export const LinkQuery = Type.Object({
  expires: Type.Optional(Type.String({ maxLength: 20, description: "Of a signed link." })),
  principal: Type.Optional(Type.String({ maxLength: 60, description: "Of a signed link." })),
  signature: Type.Optional(Type.String({ maxLength: 100, description: "Of a signed link." })),
});

export const downloadSchemas = [CreateDownloadLinkRequest, DownloadLink];

export const downloadRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.post(
    "/v1/download-links",
    {
      preHandler: app.requireRole("teacher", "learner"),
      schema: {
        tags: ["downloads"],
        operationId: "createDownloadLink",
        summary: "A signed link to a download, usable without a token for a few minutes.",
        description: `For a plain <a href download> on a page: the link (url) fetches the path as you for ${LINK_LIFETIME_SECONDS} s. Downloads send Content-Disposition (exposed to pages by CORS).`,
        body: ref(CreateDownloadLinkRequest),
        response: responses({ 201: ref(DownloadLink) }, 400, 401, 403, 503),
      },
    },
    async (request, reply) => {
      const { path } = request.body;
      const route = app.linkRoutes.find((candidate) => candidate.pattern.test(path));
      if (!route) {
        throw apiError(
          "NOT_DOWNLOADABLE",
          `${quote(path)} has no download link; these do: ${app.linkRoutes.map((r) => r.url).join(", ")}.`,
        );
      }
      const principal = request.principal;
      if (principal?.role !== "teacher" && principal?.role !== "learner")
        throw apiError("UNAUTHENTICATED");
      if (!route.roles.includes(principal.role)) {
        throw apiError(
          "FORBIDDEN",
          `${route.url} is for ${route.roles.join(" or ")} accounts, not ${principal.role}s.`,
        );
      }
      const { query, expiresAt } = await deps.downloadLinks.sign(path, principal);
      return reply
        .status(201)
        .send({ url: `${path}?${query}`, expiresAt: expiresAt.toISOString() });
    },
  );
};
