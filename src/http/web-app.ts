// The built-in web app (web/, built by Vite into WEB_DIR) at `/`, from the same origin as the
// API, so it needs no CORS and no configuration. It is a static bundle that speaks only the
// public API. Each file is a route of its own (wildcard: false), so an unknown path still gets
// the API's ROUTE_NOT_FOUND error. Hashed assets never change under one name: cached for good;
// index.html is revalidated, so a new release is picked up on the next load. The build writes
// Brotli and gzip copies beside the larger text files (scripts/build-web.mjs); a browser that
// accepts one gets it (Content-Encoding, and Vary: Accept-Encoding on every file so a shared
// cache keeps the encodings apart), under the same name, CSP and caching as the plain file.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import type { RouteDeps } from "./deps.ts";

// The app loads nothing from elsewhere: scripts and styles are its own (CodeMirror adds style
// elements, hence 'unsafe-inline' for styles only), the stream is a same-origin WebSocket.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

export async function webAppRoutes(app: FastifyInstance, { config }: RouteDeps): Promise<void> {
  if (config.WEB_DIR === "") return;
  const root = resolve(config.WEB_DIR);
  if (!existsSync(resolve(root, "index.html"))) {
    app.log.warn(
      { webDir: root },
      "the web app is not built (npm run build:web): `/` serves a note instead",
    );
    app.get("/", { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type("text/plain; charset=utf-8")
        .send(
          "packetlab's API is running (see /docs). The web app is not built: run `npm run build:web`.\n",
        ),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    wildcard: false,
    index: ["index.html"],
    preCompressed: true,
    // The copies are representations of their plain file, not routes of their own.
    globIgnore: ["**/*.br", "**/*.gz"],
    // Source maps and the build stamp are for developers, not for the routes list.
    allowedPath: (path) => !path.endsWith(".source-hash"),
    cacheControl: false,
    setHeaders(response, path) {
      response.setHeader("content-security-policy", contentSecurityPolicy);
      response.setHeader("x-content-type-options", "nosniff");
      response.setHeader("referrer-policy", "no-referrer");
      response.setHeader("vary", "accept-encoding");
      response.setHeader(
        "cache-control",
        path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      );
    },
  });
}
