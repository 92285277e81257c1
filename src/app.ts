// buildApp(deps) → the HTTP/WebSocket application, never listening: src/server.ts listens,
// tests use app.inject or listen on an ephemeral port. Every capability arrives as an argument,
// so a test passes small fakes here and nowhere else.
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { readFileSync } from "node:fs";
import cors from "@fastify/cors";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import websocket from "@fastify/websocket";
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import type { Config } from "./config.ts";
import type { Grader, LessonCatalogue } from "./grading/types.ts";
import { createAddressPolicy } from "./integrations/address-policy.ts";
import { createOutboundHttp, type OutboundHttp } from "./integrations/outbound-http.ts";
import { createScoreDeliverer } from "./integrations/lti/ags.ts";
import { createPlatformKeys } from "./integrations/lti/platform-keys.ts";
import { createServiceTokens } from "./integrations/lti/service-tokens.ts";
import { createToolKeys } from "./integrations/lti/tool-keys.ts";
import { createRelay } from "./integrations/relay.ts";
import { createWebhookDeliverer } from "./integrations/webhook-deliverer.ts";
import type { Database } from "./progress/database.ts";
import { createStore } from "./progress/store.ts";
import type { Language, Runner } from "./runner/types.ts";
import { asyncApiRoutes } from "./http/asyncapi.ts";
import { authPlugin, securitySchemes } from "./http/auth.ts";
import { localGenerations, sharedGenerations } from "./http/token-cache.ts";
import { classRoutes } from "./http/classes.ts";
import { rosterRoutes } from "./http/roster.ts";
import { activityRoutes } from "./http/activity.ts";
import { createDownloadLinks } from "./http/download-links.ts";
import { downloadRoutes } from "./http/downloads.ts";
import { namedSchemas } from "./http/components.ts";
import type { RouteDeps } from "./http/deps.ts";
import { installErrorHandler } from "./http/error-handler.ts";
import { lazySerializers } from "./http/lazy-serializers.ts";
import { lazyValidators } from "./http/lazy-validators.ts";
import { healthRoutes } from "./http/health.ts";
import { lessonRoutes } from "./http/lessons.ts";
import { ltiAdminRoutes } from "./http/lti-admin.ts";
import { ltiRoutes } from "./http/lti.ts";
import { meRoutes } from "./http/me.ts";
import { createMetrics } from "./http/metrics.ts";
import { progressRoutes } from "./http/progress.ts";
import { createJoinQuotas } from "./quotas/join-quotas.ts";
import { createMemoryWindows, createRateLimiter } from "./quotas/rate-limit.ts";
import { createSharedWindows } from "./quotas/shared-windows.ts";
import { sessionRoutes } from "./http/sessions.ts";
import { streamRoutes } from "./http/stream.ts";
import { submissionRoutes } from "./http/submissions.ts";
import { createAsyncSubmitter } from "./http/async-submitter.ts";
import { createSubmitter, INTERPRETED_LANGUAGES } from "./http/submitter.ts";
import { teacherRoutes } from "./http/teachers.ts";
import { tokenRoutes } from "./http/tokens.ts";
import { webAppRoutes } from "./http/web-app.ts";
import { webhooksDocument } from "./http/webhook-schemas.ts";
import { webhookRoutes } from "./http/webhooks.ts";

export interface AppDeps {
  config: Config;
  db: Pick<Database, "kind" | "prisma" | "sql" | "ping">;
  catalogue: LessonCatalogue;
  grader: Pick<Grader, "gradeSubmission">;
  runner: Pick<Runner, "stats">;
  /** The languages the runner can run (server.ts adds "rust" when its compiler is set up). */
  languages?: readonly Language[];
  /** How outgoing requests are made; defaults to node:http(s) under the address policy. */
  outboundHttp?: OutboundHttp;
  /** A pino logger or logger options; defaults to one at config.LOG_LEVEL. */
  logger?: FastifyBaseLogger;
}

const learnerApi = readFileSync(new URL("../sandbox/net.d.ts", import.meta.url), "utf8");

/**
 * One log line per request where fastify writes two ("incoming request", "request completed"):
 * the second says what the first did (method, URL, client address) beside status and time. At
 * the default level the first line was a third of the API's system calls per graded submission.
 * An upgraded WebSocket request never completes as HTTP: stream.ts logs it when it opens.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error) {
      reply.log.error(
        { req: request, res: reply, err: error, responseTime: reply.elapsedTime },
        "request errored",
      );
    } else {
      reply.log.info(
        { req: request, res: reply, responseTime: reply.elapsedTime },
        "request completed",
      );
    }
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: { level: config.LOG_LEVEL } }),
    // Room for a program of MAX_CODE_BYTES even if every byte is JSON-escaped, so an oversized
    // program gets the precise CODE_TOO_LARGE rather than a generic BODY_TOO_LARGE.
    bodyLimit: config.MAX_CODE_BYTES * 6 + 16_384,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    logController: new OneLinePerRequest(),
    return503OnClosing: true,
    schemaController: {
      compilersFactory: { buildSerializer: lazySerializers(), buildValidator: lazyValidators() },
    },
    // A hop count means "trust the n nearest proxies" (proxy-addr's rule, which fastify's types
    // only accept as a function).
    trustProxy:
      typeof config.TRUST_PROXY === "number"
        ? (_address: string, hop: number) => hop < (config.TRUST_PROXY as number)
        : config.TRUST_PROXY,
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandler(app);
  // The id an error body quotes as requestId, on every response: a client can quote it for a
  // success too, and the logs carry it (fastify logs it as reqId).
  app.addHook("onRequest", async (request, reply) => {
    void reply.header("request-id", request.id);
  });
  // The API speaks JSON only; a text body is a client bug worth a clear 415.
  app.removeContentTypeParser("text/plain");
  for (const schema of namedSchemas) app.addSchema(schema);
  // Browsers on the configured origins may use every method and header the API has, and read
  // the headers a page needs (Retry-After, a download's Content-Disposition…). WebSocket
  // upgrades are checked against the same origins in stream.ts.
  await app.register(cors, {
    origin: config.CORS_ORIGINS,
    methods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
    allowedHeaders: ["authorization", "content-type", "idempotency-key", "prefer"],
    exposedHeaders: [
      "retry-after",
      "location",
      "request-id",
      "content-disposition",
      "preference-applied",
    ],
    maxAge: 600,
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: "packetlab API",
        version: "1",
        description:
          "Interactive networking lessons: lessons, sessions, graded submissions, progress. The session stream (WebSocket, GET /v1/sessions/{sessionId}/stream) is described by the AsyncAPI 3.0 document at /docs/asyncapi.json.",
      },
      externalDocs: {
        url: "/docs/asyncapi.json",
        description: "The session stream's messages, order, errors and close codes (AsyncAPI 3.0).",
      },
      components: { securitySchemes },
      // OpenAPI 3.1's `webhooks`, as the extension 3.0 tools (Redoc) read; POST /v1/webhooks
      // carries the same as `callbacks`, the 3.0 way.
      ...({ "x-webhooks": webhooksDocument } as object),
    },
    // Named schemas keep their names (Packet, Grade…) in components/schemas, so generated
    // clients get types by those names.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === "string" ? json.$id : `def-${i}`,
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  await app.register(websocket, { options: { maxPayload: config.MAX_CODE_BYTES * 6 + 16_384 } });

  const store = createStore(deps.db);
  // Rate limits and token revocations shared by every replica, or kept by this process: the
  // embedded database is only ever opened by one process (README "Quotas").
  const shared =
    config.SHARED_STATE === "database" ||
    (config.SHARED_STATE === "auto" && deps.db.kind === "postgresql");
  const rateWindows = shared
    ? createSharedWindows(store.rateWindows, (error) =>
        app.log.warn({ err: error }, "pruning ended rate windows failed"),
      )
    : createMemoryWindows();
  const downloadLinks = createDownloadLinks(async () =>
    config.DOWNLOAD_LINK_SECRET
      ? Buffer.from(config.DOWNLOAD_LINK_SECRET, "utf8")
      : store.secrets.getOrCreate("download-links"),
  );
  await app.register(authPlugin, {
    accounts: store.accounts,
    operatorToken: config.OPERATOR_TOKEN,
    downloadLinks,
    generations: shared ? sharedGenerations(store.authGeneration) : localGenerations(),
  });

  // Outgoing deliveries: the outbox relay and what it delivers to (src/integrations).
  const addressPolicy = createAddressPolicy(config.OUTBOUND_ALLOW_PRIVATE);
  const outboundHttp =
    deps.outboundHttp ??
    createOutboundHttp({ policy: addressPolicy, timeoutMs: config.OUTBOUND_TIMEOUT_MS });
  const toolKeys = createToolKeys(store.lti);
  const ltiTokens = createServiceTokens({ http: outboundHttp, toolKeys });
  const lti = {
    toolKeys,
    platformKeys: createPlatformKeys({
      http: outboundHttp,
      cooldownMs: config.LTI_JWKS_COOLDOWN_MS,
    }),
    tokens: ltiTokens,
    http: outboundHttp,
  };
  const relay = createRelay({
    outbox: store.outbox,
    deliverers: {
      "lti-score": createScoreDeliverer({
        store: store.lti,
        http: outboundHttp,
        tokens: ltiTokens,
      }),
      webhook: createWebhookDeliverer({
        store,
        http: outboundHttp,
        disableAfter: config.WEBHOOK_DISABLE_AFTER,
      }),
    },
    options: {
      pollMs: config.OUTBOX_POLL_MS,
      leaseMs: config.OUTBOX_LEASE_MS,
      maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
      retryBaseMs: config.OUTBOX_RETRY_BASE_MS,
      retryMaxMs: 6 * 3_600_000,
    },
    log: app.log,
  });
  if (config.OUTBOX_RELAY) {
    app.addHook("onReady", async () => relay.start());
    app.addHook("onClose", async () => relay.stop());
  }

  const shutdown = new AbortController();
  // Every run in flight listens for the shutdown: hundreds at once is normal, not a leak.
  setMaxListeners(0, shutdown.signal);
  const metrics = createMetrics(deps.runner);
  const languages = deps.languages ?? INTERPRETED_LANGUAGES;
  const submitter = createSubmitter({
    config,
    store,
    catalogue: deps.catalogue,
    grader: deps.grader,
    metrics,
    limiter: createRateLimiter({
      name: "submissions",
      limit: config.SUBMISSION_RATE_LIMIT,
      windowMs: 60_000,
      windows: rateWindows,
    }),
    shutdown: shutdown.signal,
    languages,
    onOutboxRows: () => relay.wake(),
  });
  const asyncSubmitter = createAsyncSubmitter({ config, store, submitter, log: app.log });
  // The first sweep grades what a previous process left pending (killed mid-run).
  app.addHook("onReady", async () => asyncSubmitter.start());
  // Shutting down: what still waits for a sandbox is handed back at once (another replica, or
  // this one restarted, grades it); what runs gets the grace below, like synchronous runs.
  app.addHook("preClose", async () => asyncSubmitter.releaseQueued());
  const routeDeps: RouteDeps = {
    config,
    store,
    catalogue: deps.catalogue,
    submitter,
    asyncSubmitter,
    joinQuotas: createJoinQuotas({
      failuresPerMinute: config.JOIN_FAILURE_LIMIT,
      joinsPerAddressPerHour: config.JOIN_LIMIT_PER_ADDRESS,
      joinsPerClassPerHour: config.JOIN_LIMIT_PER_CLASS,
      windows: rateWindows,
    }),
    metrics,
    runner: deps.runner,
    languages,
    ping: () => deps.db.ping(),
    learnerApi,
    shutdown: shutdown.signal,
    downloadLinks,
    addressPolicy,
    lti,
    wakeRelay: () => relay.wake(),
  };
  for (const routes of [
    healthRoutes,
    teacherRoutes,
    tokenRoutes,
    meRoutes,
    classRoutes,
    rosterRoutes,
    activityRoutes,
    lessonRoutes,
    sessionRoutes,
    submissionRoutes,
    progressRoutes,
    streamRoutes,
    asyncApiRoutes,
    downloadRoutes,
    webAppRoutes,
    webhookRoutes,
    ltiRoutes,
    ltiAdminRoutes,
  ]) {
    await app.register(routes, routeDeps);
  }

  // Shutting down: let runs in flight finish for a while, then cancel what is left.
  app.addHook("preClose", async () => {
    const deadline = Date.now() + Math.min(config.SYNC_WAIT_MS, 10_000);
    while (submitter.inFlight() > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    shutdown.abort();
    await asyncSubmitter.stop();
  });
  return app;
}
