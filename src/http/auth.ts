// Bearer-token authentication as a named plugin. Three kinds of account: the operator (one
// token from the environment; creates teachers), teachers (create classes, see their learners)
// and learners (see only their own work). Routes declare who may call them with
// `preHandler: app.requireRole("learner")`; the same call publishes the roles in the route's
// OpenAPI `security` (one bearer scheme per role), so the document cannot say other than the code.
// Downloads use `app.requireRoleOrLink(...)`: a bearer token, or a signed link made for one of
// those roles (download-links.ts), so a page can offer them as plain links.
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import fp from "fastify-plugin";
import type { Accounts, Principal } from "../progress/accounts.ts";
import type { DownloadLinks } from "./download-links.ts";
import { apiError } from "./errors.ts";
import { createTokenCache, type TokenGenerations } from "./token-cache.ts";

export type AuthPrincipal = Principal | { role: "operator"; tokenId: "operator" };
export type Role = AuthPrincipal["role"];

/** The security schemes of the OpenAPI document: one per role (bearer tokens), and links. */
export const securitySchemes = {
  operator: {
    type: "http",
    scheme: "bearer",
    description:
      "The operator's token (OPERATOR_TOKEN in the environment). Creates teachers, nothing else.",
  },
  teacher: {
    type: "http",
    scheme: "bearer",
    description:
      "A teacher's token (from POST /v1/teachers or `packetlab create-teacher`). Creates classes and follows their learners.",
  },
  learner: {
    type: "http",
    scheme: "bearer",
    description:
      "A learner's token (from POST /v1/classes/join). Starts sessions, submits, sees only their own work.",
  },
  downloadLink: {
    type: "apiKey",
    in: "query",
    name: "signature",
    description:
      "A signed download link from POST /v1/download-links (with its `expires` and `principal` parameters): works without a token for 5 minutes, as the teacher or learner who asked for it.",
  },
} as const satisfies Record<Role | "downloadLink", object>;

/** A route that accepts signed links: its path as a pattern, and the roles it admits. */
export interface LinkRoute {
  url: string;
  pattern: RegExp;
  roles: readonly Role[];
}

/** The roles a requireRole() hook admits, read back when the route is documented. */
const rolesOfHook = new WeakMap<object, { roles: readonly Role[]; links: boolean }>();

declare module "fastify" {
  interface FastifyInstance {
    requireRole(...roles: Role[]): preHandlerAsyncHookHandler;
    /** requireRole, or a signed download link made for one of these roles (GET downloads). */
    requireRoleOrLink(...roles: ("teacher" | "learner")[]): preHandlerAsyncHookHandler;
    /** The routes that accept signed links, for POST /v1/download-links to check a path. */
    linkRoutes: LinkRoute[];
    /** The principal a raw token stands for (the WebSocket's first message carries one). */
    resolveToken(token: string): Promise<AuthPrincipal | undefined>;
    /**
     * After learners were deleted or merged away (committed): their tokens are looked up again
     * on every replica before they are trusted.
     */
    forgetLearners(learnerIds: readonly string[]): Promise<void>;
    /** Revokes an account's token: in the database, then at once in every replica's cache. */
    revokeToken(tokenId: string): Promise<void>;
  }
  interface FastifyRequest {
    principal: AuthPrincipal | null;
  }
}

export interface AuthOptions {
  accounts: Pick<Accounts, "resolveToken" | "revokeToken">;
  operatorToken: string | undefined;
  downloadLinks: Pick<DownloadLinks, "verify">;
  /** What a cached token is checked against (token-cache.ts): the database's, or this process's. */
  generations: TokenGenerations;
}

const digest = (text: string) => createHash("sha256").update(text).digest();

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export const authPlugin = fp<AuthOptions>(
  async (app, { accounts, operatorToken, downloadLinks, generations }) => {
    const operatorDigest = operatorToken ? digest(operatorToken) : undefined;
    const tokens = createTokenCache({
      lookup: (token) => accounts.resolveToken(token),
      generations,
    });

    async function resolveToken(token: string): Promise<AuthPrincipal | undefined> {
      if (token.length > 200) return undefined;
      // The cache only holds tokens of accounts, so a token it knows is not the operator's,
      // and the common case skips a SHA-256.
      if (!tokens.has(token) && operatorDigest && timingSafeEqual(digest(token), operatorDigest)) {
        return { role: "operator", tokenId: "operator" };
      }
      return tokens.resolve(token);
    }

    app.decorateRequest("principal", null);
    app.decorate("resolveToken", resolveToken);
    app.decorate("revokeToken", async (tokenId: string) => {
      await accounts.revokeToken(tokenId);
      await tokens.changed();
    });
    app.decorate("forgetLearners", async (learnerIds: readonly string[]) => {
      if (learnerIds.length > 0) await tokens.changed();
    });
    async function authenticate(request: FastifyRequest, roles: readonly Role[]) {
      const token = bearerToken(request);
      if (!token) {
        throw apiError("UNAUTHENTICATED", "Send an `Authorization: Bearer <token>` header.");
      }
      const principal = await resolveToken(token);
      if (!principal) throw apiError("UNAUTHENTICATED", "The bearer token is not valid.");
      authorise(request, roles, principal);
    }

    function authorise(request: FastifyRequest, roles: readonly Role[], principal: AuthPrincipal) {
      if (!roles.includes(principal.role)) {
        throw apiError(
          "FORBIDDEN",
          `This endpoint is for ${roles.join(" or ")} accounts, not ${principal.role}s.`,
        );
      }
      request.principal = principal;
    }

    app.decorate("requireRole", (...roles: Role[]): preHandlerAsyncHookHandler => {
      const hook: preHandlerAsyncHookHandler = (request) => authenticate(request, roles);
      rolesOfHook.set(hook, { roles, links: false });
      return hook;
    });

    app.decorate("linkRoutes", [] as LinkRoute[]);
    app.decorate("requireRoleOrLink", (...roles: ("teacher" | "learner")[]) => {
      const hook: preHandlerAsyncHookHandler = async (request) => {
        const query = request.query as Record<string, unknown> | undefined;
        if (bearerToken(request) || query?.signature === undefined)
          return authenticate(request, roles);
        const path = request.url.split("?")[0]!;
        const link = await downloadLinks.verify(path, query);
        if ("refused" in link) throw apiError("UNAUTHENTICATED", link.refused);
        authorise(request, roles, link.principal);
      };
      rolesOfHook.set(hook, { roles, links: true });
      return hook;
    });

    // Every documented route states who may call it: the roles of its requireRole() hook, or
    // nobody in particular (public: an empty `security`), unless the route says otherwise.
    app.addHook("onRoute", (route) => {
      const hooks = [route.preHandler ?? []].flat();
      const tagged = hooks.flatMap((hook) => rolesOfHook.get(hook) ?? []);
      const roles = tagged.flatMap((tag) => tag.roles);
      const links = tagged.some((tag) => tag.links);
      if (links) {
        // ":classId" matches one path segment, as fastify's router does.
        const source = route.url
          .split("/")
          .map((part) =>
            part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
          )
          .join("/");
        app.linkRoutes.push({ url: route.url, pattern: new RegExp(`^${source}$`), roles });
      }
      const schema = route.schema as { hide?: boolean; security?: unknown } | undefined;
      if (!schema || schema.hide || schema.security) return;
      schema.security = [
        ...roles.map((role) => ({ [role]: [] })),
        ...(links ? [{ downloadLink: [] }] : []),
      ];
    });
  },
  { name: "packetlab-auth" },
);

/** The learner's id of an authenticated learner request (the route's preHandler ensured it). */
export function learnerIdOf(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal?.role !== "learner") throw apiError("UNAUTHENTICATED");
  return principal.learnerId;
}

export function teacherIdOf(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal?.role !== "teacher") throw apiError("UNAUTHENTICATED");
  return principal.teacherId;
}
