// The session stream (WebSocket): a learner runs code and watches each packet and line of output
// as it happens, then gets the grade. Auth comes in the first message or as a single-use ticket
// in the URL (from POST /v1/ws-tickets), never as a long-lived token in the URL.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyBaseLogger } from "fastify";
import { Type } from "typebox";
import { Compile } from "typebox/compile";
import type { WebSocket } from "ws";
import { DatabaseUnavailableError } from "../progress/errors.ts";
import type { SessionRecord } from "../progress/submissions.ts";
import { createConcurrencyLimit, type ConcurrencyLimit } from "../quotas/concurrency.ts";
import type { RouteDeps } from "./deps.ts";
import { submissionView } from "./views.ts";
import type { Config } from "../config.ts";
import { ApiError, apiError, errorBody, quote, type ErrorCode } from "./errors.ts";
import { Language } from "./schemas.ts";
import {
  clientMessages,
  closeCodes,
  PACKETS_PER_MESSAGE,
  type ClientMessage,
  type ServerMessage,
} from "./stream-messages.ts";
import { CancelledError, unsupportedLanguage } from "./submitter.ts";

const AUTH_TIMEOUT_MS = 10_000;
// Checked per `type`, so an error names the field of the message the client meant to send.
const checkers = new Map(
  clientMessages.map((schema) => [
    schema.properties.type.const as string,
    Compile({ Language }, schema),
  ]),
);

/** The client's message, or the ApiError to answer it with. */
function parseClientMessage(value: unknown): ClientMessage {
  const type = (value as { type?: unknown } | null)?.type;
  const checker = typeof type === "string" ? checkers.get(type) : undefined;
  if (!checker) {
    throw invalid(
      `unknown type ${JSON.stringify(type ?? null)}; expected one of ${[...checkers.keys()].join(", ")}`,
    );
  }
  if (!checker.Check(value)) {
    const errors = checker.Errors(value);
    // A language outside the enum keeps its own code, as over HTTP.
    if (errors.some((error) => error.instancePath === "/language" && error.keyword === "enum"))
      throw unsupportedLanguage((value as { language?: unknown }).language);
    const extra = errors.find((error) => error.keyword === "additionalProperties");
    const names = (extra?.params as { additionalProperties?: string[] } | undefined)
      ?.additionalProperties;
    if (names?.length) {
      const renamed = names.includes("requestId") ? " (requestId is now runId)" : "";
      throw invalid(
        `${type}: unknown field ${names.map((name) => `"${name}"`).join(", ")}${renamed}`,
      );
    }
    const first = errors.find((error) => error.keyword !== "boolean") ?? errors[0];
    throw invalid(
      `${type}: ${first ? `${first.instancePath || "message"} ${first.message}` : "malformed"}`,
    );
  }
  return value as ClientMessage;
}

/** Same-origin pages always; others as CORS_ORIGINS says (true: any, false: none). */
function originAllowed(
  origin: string,
  request: { protocol: string; host: string },
  allowed: Config["CORS_ORIGINS"],
): boolean {
  if (origin === `${request.protocol}://${request.host}`) return true;
  if (allowed === true) return true;
  return allowed !== false && allowed.includes(origin);
}

const invalid = (reason: string) => apiError("INVALID_MESSAGE", `Invalid message: ${reason}.`);

type Packet = Extract<ServerMessage, { type: "packet" }>["packet"];

type Outgoing = ServerMessage extends infer M
  ? M extends { seq: number }
    ? Omit<M, "seq">
    : never
  : never;

export const streamRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const sockets = new Set<WebSocket>();
  // Authenticated streams per learner: each holds a socket, timers and a run queue.
  const streamsOfLearner = createConcurrencyLimit(deps.config.STREAMS_PER_LEARNER);
  deps.shutdown.addEventListener("abort", () => {
    for (const socket of sockets) socket.close(closeCodes.SHUTTING_DOWN.code, "SHUTTING_DOWN");
  });

  app.get(
    "/v1/sessions/:sessionId/stream",
    {
      websocket: true,
      // Browsers send their page's Origin on the upgrade and do not apply CORS to WebSockets:
      // the server must refuse origins it would refuse over fetch, before upgrading.
      onRequest: async (request) => {
        const origin = request.headers.origin;
        if (origin !== undefined && !originAllowed(origin, request, deps.config.CORS_ORIGINS)) {
          throw apiError(
            "ORIGIN_NOT_ALLOWED",
            `Pages from ${quote(origin)} may not open the session stream; add the origin to CORS_ORIGINS.`,
          );
        }
      },
      schema: {
        tags: ["stream"],
        operationId: "openSessionStream",
        summary: "WebSocket: run code in a session and stream its packets, output and grade.",
        description:
          "The messages, their order and their schemas are described by the AsyncAPI document at /docs/asyncapi.json (the StreamClientMessage and StreamServerMessage schemas here are the same). " +
          'Authenticate with a first message `{type:"auth", token}` or open with `?ticket=` from POST /v1/ws-tickets; await `ready`. ' +
          'Send `{type:"run", exerciseId, code, language, runId?, packetBatches?}`; receive run-started, packet… (with packetBatches: packets…, several packets a message), output…, run-finished (or an `error` and nothing started). ' +
          '`{type:"cancel"}` stops the run. Close codes: ' +
          Object.entries(closeCodes)
            .map(([name, { code, meaning }]) => `${code} ${name}: ${meaning}`)
            .join(" "),
        params: Type.Object({ sessionId: Type.String({ maxLength: 100 }) }),
        querystring: Type.Object({ ticket: Type.Optional(Type.String({ maxLength: 200 })) }),
      },
    },
    (socket, request) => {
      // An upgraded request never completes as HTTP: this is its line in the log.
      request.log.info({ req: request }, "stream opened");
      // Handlers are attached before anything is awaited, so no early message is lost.
      const connection = new StreamConnection(
        socket,
        request.params.sessionId,
        request.id,
        deps,
        request.log,
        streamsOfLearner,
      );
      sockets.add(socket);
      deps.metrics.webSockets.inc();
      socket.on("message", (data, isBinary) => connection.receive(data, isBinary));
      socket.on("close", () => {
        sockets.delete(socket);
        deps.metrics.webSockets.dec();
        connection.closed();
      });
      socket.on("error", (error) => request.log.info({ err: error }, "websocket error"));
      connection.start(request.query.ticket);
    },
  );
};

class StreamConnection {
  private seq = 0;
  private state: "waiting" | "authenticating" | "ready" | "closed" = "waiting";
  private learnerId = "";
  private session: SessionRecord | undefined;
  private queue: Promise<void> = Promise.resolve();
  private run: { runId: string; controller: AbortController } | undefined;
  private authTimer: NodeJS.Timeout | undefined;
  private runs = 0;
  /** Packets of a packetBatches run not sent yet: they go at the end of this macrotask. */
  private batch: { runId: string; packets: Packet[]; flush: NodeJS.Immediate } | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly sessionId: string,
    /** The upgrade request's id: the requestId of every error this connection reports. */
    private readonly requestId: string,
    private readonly deps: RouteDeps,
    private readonly log: FastifyBaseLogger,
    private readonly streamsOfLearner: ConcurrencyLimit,
  ) {}

  /** Whether this connection holds one of its learner's stream places. */
  private holdsPlace = false;

  start(ticket: string | undefined): void {
    this.authTimer = setTimeout(() => this.close("AUTH_TIMEOUT"), AUTH_TIMEOUT_MS);
    if (ticket) {
      this.state = "authenticating";
      this.enqueue(async () => {
        const learnerId = await this.deps.store.accounts.redeemWsTicket(ticket);
        if (!learnerId) return this.close("UNAUTHENTICATED");
        await this.authenticated(learnerId);
      });
    }
  }

  receive(data: unknown, isBinary: boolean): void {
    if (this.state === "closed") return;
    let value: unknown;
    let message: ClientMessage;
    try {
      if (isBinary) throw invalid("binary frames are not accepted; send JSON text");
      try {
        value = JSON.parse(String(data));
      } catch (error) {
        throw invalid(`not JSON (${(error as Error).message})`);
      }
      message = parseClientMessage(value);
    } catch (error) {
      if (this.state === "waiting") return this.close("UNAUTHENTICATED");
      // A refused run still names its run, when the client chose a runId.
      const runId = (value as { runId?: unknown } | undefined)?.runId;
      const named = typeof runId === "string" && runId.length <= 100 ? runId : undefined;
      return this.refuse(error as ApiError, named);
    }
    // Cancel acts at once; everything else runs in arrival order.
    if (message.type === "cancel" && this.state === "ready") return this.cancel(message.runId);
    this.enqueue(() => this.handle(message));
  }

  closed(): void {
    this.state = "closed";
    clearTimeout(this.authTimer);
    if (this.batch) clearImmediate(this.batch.flush);
    this.batch = undefined;
    this.run?.controller.abort();
    if (this.holdsPlace) {
      this.holdsPlace = false;
      this.streamsOfLearner.leave(this.learnerId);
    }
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: unknown) => this.failed(error));
  }

  private async handle(message: ClientMessage): Promise<void> {
    if (this.state === "closed") return;
    if (this.state === "waiting") {
      if (message.type !== "auth") return this.close("UNAUTHENTICATED");
      this.state = "authenticating";
      const principal = await this.deps.store.accounts.resolveToken(message.token);
      if (principal?.role !== "learner") return this.close("UNAUTHENTICATED");
      return this.authenticated(principal.learnerId);
    }
    if (message.type === "auth") return this.error("INVALID_MESSAGE", "Already authenticated.");
    if (message.type === "cancel") return this.cancel(message.runId);
    if (this.run) {
      return this.error(
        "RUN_IN_PROGRESS",
        `Run ${JSON.stringify(this.run.runId)} is still going; cancel it or wait for run-finished.`,
        message.runId,
      );
    }
    // Runs proceed concurrently with later messages (a cancel must get through), one at a time.
    void this.startRun(message);
  }

  private async authenticated(learnerId: string): Promise<void> {
    const session = await this.deps.store.submissions
      .findSession(learnerId, this.sessionId)
      .catch((error: unknown) => {
        if (/uuid/i.test(String(error))) return null;
        throw error;
      });
    if (this.state === "closed") return;
    if (!session) return this.close("SESSION_NOT_FOUND");
    if (!this.streamsOfLearner.enter(learnerId)) return this.close("TOO_MANY_STREAMS");
    this.holdsPlace = true;
    clearTimeout(this.authTimer);
    this.learnerId = learnerId;
    this.session = session;
    this.state = "ready";
    this.send({ type: "ready", sessionId: session.id, learnerId });
  }

  private async startRun(message: Extract<ClientMessage, { type: "run" }>): Promise<void> {
    const runId = message.runId ?? `run-${++this.runs}`;
    const controller = new AbortController();
    this.run = { runId, controller };
    try {
      const submitted = await this.deps.submitter.submit({
        learnerId: this.learnerId,
        session: this.session!,
        exerciseId: message.exerciseId,
        code: message.code,
        language: message.language,
        channel: "websocket",
        signal: controller.signal,
        // Called once every check has passed (exercise, language, size, rate): a refused run
        // gets an `error` and never a run-started. Rust is compiled first: `compiling`, then
        // `run-started` once the compiler has answered (a compile error then finishes the run).
        onAccepted: () =>
          this.send({
            type: message.language === "rust" ? "compiling" : "run-started",
            runId,
            exerciseId: message.exerciseId,
          }),
        onCompiled: () => this.send({ type: "run-started", runId, exerciseId: message.exerciseId }),
        onQueued: (position) => this.send({ type: "run-queued", runId, position }),
        onEvent: (event) => {
          if (event.type === "output") this.send({ type: "output", runId, line: event.line });
          else if (message.packetBatches) this.batchPacket(runId, event.packet);
          else this.send({ type: "packet", runId, packet: event.packet });
        },
      });
      const { row, trace } = submitted;
      this.send({
        type: "run-finished",
        runId,
        submissionId: row.id,
        ...submissionView(row),
        packetsTruncated: trace?.truncated ?? false,
        replayed: submitted.replayed,
      });
    } catch (error) {
      if (error instanceof CancelledError) this.send({ type: "run-cancelled", runId });
      else this.failed(error, runId);
    } finally {
      this.run = undefined;
    }
  }

  private cancel(runId: string | undefined): void {
    if (!this.run || (runId && runId !== this.run.runId)) {
      const which = runId ? `run ${JSON.stringify(runId)}` : "any run";
      return this.error("RUN_NOT_FOUND", `There is no ${which} in progress to cancel.`, runId);
    }
    this.run.controller.abort();
  }

  private failed(error: unknown, runId?: string): void {
    if (error instanceof ApiError) return this.refuse(error, runId);
    if (error instanceof DatabaseUnavailableError) {
      return this.error(
        "DATABASE_UNAVAILABLE",
        "The database cannot be reached; retry shortly.",
        runId,
      );
    }
    this.log.error({ err: error }, "websocket handler failed");
    this.error("INTERNAL_ERROR", "Something went wrong on our side; it was logged.", runId);
  }

  private refuse(error: ApiError, runId: string | undefined): void {
    this.error(error.code, error.message, runId);
  }

  /** The HTTP error body's object, as the `error` message; the stream stays open. */
  private error(code: ErrorCode, message: string, runId?: string): void {
    this.send({
      type: "error",
      ...(runId === undefined ? {} : { runId }),
      ...errorBody(code, message, this.requestId),
    });
  }

  /**
   * Holds a packet back until the end of this macrotask: the worker's packets come one IPC
   * message each, and those read together are handled in the same macrotask, so they leave
   * together, up to PACKETS_PER_MESSAGE a message. Nothing waits for more: a packet goes out no
   * later than it would alone.
   */
  private batchPacket(runId: string, packet: Packet): void {
    if (this.batch?.runId !== runId) this.flushPackets();
    this.batch ??= { runId, packets: [], flush: setImmediate(() => this.flushPackets()) };
    this.batch.packets.push(packet);
    if (this.batch.packets.length >= PACKETS_PER_MESSAGE) this.flushPackets();
  }

  private flushPackets(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    clearImmediate(batch.flush);
    this.write({ type: "packets", runId: batch.runId, packets: batch.packets });
  }

  /** Sends a message after any packets held back, so that seq follows what happened. */
  private send(message: Outgoing): void {
    this.flushPackets();
    this.write(message);
  }

  private write(message: Outgoing): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify({ ...message, seq: ++this.seq }));
  }

  private close(reason: keyof typeof closeCodes): void {
    if (this.state === "closed") return;
    this.state = "closed";
    clearTimeout(this.authTimer);
    this.socket.close(closeCodes[reason].code, reason);
  }
}
