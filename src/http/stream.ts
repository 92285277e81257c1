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
import type { RouteDeps } from "./deps.ts";
import { ApiError } from "./errors.ts";
import { ClientMessage, closeCodes, type ServerMessage } from "./stream-messages.ts";
import { CancelledError } from "./submitter.ts";

const AUTH_TIMEOUT_MS = 10_000;
// Checked per `type`, so an error names the field of the message the client meant to send.
const checkers = new Map(
  ClientMessage.anyOf.map((schema) => [schema.properties.type.const as string, Compile(schema)]),
);

function parseClientMessage(value: unknown): ClientMessage {
  const type = (value as { type?: unknown } | null)?.type;
  const checker = typeof type === "string" ? checkers.get(type) : undefined;
  if (!checker) {
    throw new Error(
      `unknown type ${JSON.stringify(type ?? null)}; expected one of ${[...checkers.keys()].join(", ")}`,
    );
  }
  if (!checker.Check(value)) {
    const [first] = checker.Errors(value);
    throw new Error(
      `${type}: ${first ? `${first.instancePath || "message"} ${first.message}` : "malformed"}`,
    );
  }
  return value as ClientMessage;
}

type Outgoing = ServerMessage extends infer M
  ? M extends { seq: number }
    ? Omit<M, "seq">
    : never
  : never;

export const streamRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const sockets = new Set<WebSocket>();
  deps.shutdown.addEventListener("abort", () => {
    for (const socket of sockets) socket.close(closeCodes.SHUTTING_DOWN.code, "SHUTTING_DOWN");
  });

  app.get(
    "/v1/sessions/:sessionId/stream",
    {
      websocket: true,
      schema: {
        tags: ["stream"],
        operationId: "openSessionStream",
        summary: "WebSocket: run code in a session and stream its packets, output and grade.",
        description:
          'Authenticate with a first message `{type:"auth", token}` or open with `?ticket=` from POST /v1/ws-tickets. ' +
          'Send `{type:"run", exerciseId, code, language, requestId?}`; receive run-started, packet…, output…, run-finished. ' +
          '`{type:"cancel"}` stops the run. Close codes: ' +
          Object.entries(closeCodes)
            .map(([name, { code, meaning }]) => `${code} ${name}: ${meaning}`)
            .join(" "),
        params: Type.Object({ sessionId: Type.String({ maxLength: 100 }) }),
        querystring: Type.Object({ ticket: Type.Optional(Type.String({ maxLength: 200 })) }),
      },
    },
    (socket, request) => {
      // Handlers are attached before anything is awaited, so no early message is lost.
      const connection = new StreamConnection(socket, request.params.sessionId, deps, request.log);
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
  private run: { requestId: string; controller: AbortController } | undefined;
  private authTimer: NodeJS.Timeout | undefined;
  private runs = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly sessionId: string,
    private readonly deps: RouteDeps,
    private readonly log: FastifyBaseLogger,
  ) {}

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
    let message: ClientMessage;
    try {
      if (isBinary) throw new Error("binary frames are not accepted; send JSON text");
      message = parseClientMessage(JSON.parse(String(data)));
    } catch (error) {
      if (this.state === "waiting") return this.close("UNAUTHENTICATED");
      return this.send({
        type: "error",
        code: "INVALID_MESSAGE",
        message: `Invalid message: ${(error as Error).message}.`,
      });
    }
    // Cancel acts at once; everything else runs in arrival order.
    if (message.type === "cancel" && this.state === "ready") return this.cancel(message.requestId);
    this.enqueue(() => this.handle(message));
  }

  closed(): void {
    this.state = "closed";
    clearTimeout(this.authTimer);
    this.run?.controller.abort();
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
    if (message.type === "auth") {
      return this.send({
        type: "error",
        code: "INVALID_MESSAGE",
        message: "Already authenticated.",
      });
    }
    if (message.type === "cancel") return this.cancel(message.requestId);
    if (this.run) {
      return this.send({
        type: "error",
        code: "RUN_IN_PROGRESS",
        message: `Run ${JSON.stringify(this.run.requestId)} is still going; cancel it or wait for run-finished.`,
        ...(message.requestId ? { requestId: message.requestId } : {}),
      });
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
    clearTimeout(this.authTimer);
    this.learnerId = learnerId;
    this.session = session;
    this.state = "ready";
    this.send({ type: "ready", sessionId: session.id, learnerId });
  }

  private async startRun(message: Extract<ClientMessage, { type: "run" }>): Promise<void> {
    const requestId = message.requestId ?? `run-${++this.runs}`;
    const controller = new AbortController();
    this.run = { requestId, controller };
    this.send({ type: "run-started", requestId, exerciseId: message.exerciseId });
    try {
      const submitted = await this.deps.submitter.submit({
        learnerId: this.learnerId,
        session: this.session!,
        exerciseId: message.exerciseId,
        code: message.code,
        language: message.language,
        channel: "websocket",
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === "packet")
            this.send({ type: "packet", requestId, packet: event.packet });
          else this.send({ type: "output", requestId, line: event.line });
        },
      });
      const { row } = submitted;
      this.send({
        type: "run-finished",
        requestId,
        submissionId: row.id,
        outcome: row.outcome,
        message: row.message,
        error: (row.error ?? null) as never,
        grade: { passed: row.passed, score: row.score, checks: row.checks as never[] },
        packetCount: row.packetCount,
      });
    } catch (error) {
      if (error instanceof CancelledError) this.send({ type: "run-cancelled", requestId });
      else this.failed(error, requestId);
    } finally {
      this.run = undefined;
    }
  }

  private cancel(requestId: string | undefined): void {
    if (!this.run || (requestId && requestId !== this.run.requestId)) {
      return this.send({
        type: "error",
        code: "NOT_FOUND",
        message: "No run to cancel.",
        ...(requestId ? { requestId } : {}),
      });
    }
    this.run.controller.abort();
  }

  private failed(error: unknown, requestId?: string): void {
    const extra = requestId ? { requestId } : {};
    if (error instanceof ApiError)
      return this.send({ type: "error", code: error.code, message: error.message, ...extra });
    if (error instanceof DatabaseUnavailableError) {
      return this.send({
        type: "error",
        code: "DATABASE_UNAVAILABLE",
        message: "The database cannot be reached; retry shortly.",
        ...extra,
      });
    }
    this.log.error({ err: error }, "websocket handler failed");
    this.send({
      type: "error",
      code: "INTERNAL_ERROR",
      message: "Something went wrong on our side; it was logged.",
      ...extra,
    });
  }

  private send(message: Outgoing): void {
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
