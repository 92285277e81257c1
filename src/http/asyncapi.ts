// The session stream (WebSocket) as an AsyncAPI 3.0 document, served at /docs/asyncapi.json
// beside the OpenAPI one. It is built from the very schemas the stream validates and sends with
// (stream-messages.ts) and the named schemas they use (Packet, Grade…), so it cannot describe
// another protocol than the one the server speaks. It describes the server: it receives the
// client's messages and sends its own.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { namedSchemas } from "./components.ts";
import type { RouteDeps } from "./deps.ts";
import { errorCodes } from "./errors.ts";
import {
  clientMessages,
  closeCodes,
  PACKETS_PER_MESSAGE,
  serverMessages,
  type ClientMessage,
  type ServerMessage,
} from "./stream-messages.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A schema as plain JSON, with the keywords read here. */
type Schema = { $id?: string; description?: string; properties?: Record<string, unknown> };

/** Message names in the document, by the message's `type`. */
const messageName = (type: string) => type.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** The codes a stream's `error` message may carry, beyond those of a refused submission. */
const STREAM_ERROR_CODES = [
  "INVALID_MESSAGE",
  "RUN_IN_PROGRESS",
  "RUN_NOT_FOUND",
  "EXERCISE_NOT_FOUND",
  "LESSON_NOT_FOUND",
  "UNSUPPORTED_LANGUAGE",
  "CODE_TOO_LARGE",
  "RATE_LIMITED",
  "RUNNER_BUSY",
  "COMPILER_BUSY",
  "SHUTTING_DOWN",
  "DATABASE_UNAVAILABLE",
  "INTERNAL_ERROR",
] as const satisfies readonly (keyof typeof errorCodes)[];

const examples: Partial<Record<ServerMessage["type"] | ClientMessage["type"], Json[]>> = {
  auth: [{ type: "auth", token: "plt_l_…" }],
  run: [
    {
      type: "run",
      exerciseId: "message-to-alice",
      language: "javascript",
      code: 'import { UdpSocket } from "net";\n…',
      runId: "run-1",
    },
  ],
  cancel: [{ type: "cancel", runId: "run-1" }],
  ready: [
    {
      type: "ready",
      seq: 1,
      sessionId: "4f9d1c1e-9a43-4c53-8d3a-0e6d2b1c9a10",
      learnerId: "2b7e6c0a-51f4-4b0e-9d8c-3f1a2e4b5c6d",
    },
  ],
  compiling: [{ type: "compiling", seq: 2, runId: "run-1", exerciseId: "message-to-alice" }],
  "run-started": [{ type: "run-started", seq: 2, runId: "run-1", exerciseId: "message-to-alice" }],
  "run-queued": [{ type: "run-queued", seq: 3, runId: "run-1", position: 12 }],
  output: [
    {
      type: "output",
      seq: 9,
      runId: "run-1",
      line: { stream: "stdout", text: "Alice said: hello", atUs: 4000 },
    },
  ],
  "run-cancelled": [{ type: "run-cancelled", seq: 5, runId: "run-1" }],
  error: [
    {
      type: "error",
      seq: 3,
      runId: "run-1",
      error: {
        code: "EXERCISE_NOT_FOUND",
        message: 'Lesson "exchanging-messages" has no exercise "fly-to-mars".',
        requestId: "0d6c3f8e-2f4b-4a53-9f0e-6a1d2b3c4d5e",
      },
    },
  ],
};

/** A TypeBox schema as an AsyncAPI (JSON Schema draft 7) schema: named refs become pointers. */
function toDocumentSchema(schema: Schema, refs: Set<string>): Json {
  const visit = (value: unknown, top: boolean): Json => {
    if (Array.isArray(value)) return value.map((item) => visit(item, false));
    if (value === null || typeof value !== "object") return value as Json;
    const out: Record<string, Json> = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === "$id" && top) continue;
      if (key === "$ref" && typeof child === "string" && !child.startsWith("#")) {
        refs.add(child);
        out.$ref = `#/components/schemas/${child}`;
      } else out[key] = visit(child, false);
    }
    return out;
  };
  return visit(schema, true);
}

export function asyncApiDocument(server: { host: string; protocol: "ws" | "wss" }) {
  const byId = new Map(
    namedSchemas.map((schema) => [(schema as Schema).$id as string, schema as Schema]),
  );
  const schemas: Record<string, Json> = {};
  const pending = new Set<string>();
  const addSchema = (schema: Schema) => {
    schemas[schema.$id as string] = toDocumentSchema(schema, pending);
  };
  for (const schema of [...clientMessages, ...serverMessages]) addSchema(schema);
  // Every named schema the messages use, transitively (Packet → Layer → Field…).
  while (pending.size > 0) {
    const [id] = pending;
    pending.delete(id!);
    if (schemas[id!]) continue;
    const schema = byId.get(id!);
    if (!schema) throw new Error(`the stream's schemas refer to ${id}, which is not registered`);
    addSchema(schema);
  }

  const messages: Record<string, Json> = {};
  const message = (schema: Schema) => {
    const type = (schema.properties as { type: { const: string } }).type.const;
    const name = messageName(type);
    messages[name] = {
      name: type,
      title: type,
      summary: schema.description as string,
      contentType: "application/json",
      payload: { $ref: `#/components/schemas/${schema.$id as string}` },
      ...(examples[type as keyof typeof examples]
        ? {
            examples: examples[type as keyof typeof examples]!.map((payload) => ({
              name: `${name}-example`,
              payload,
            })),
          }
        : {}),
    };
    return name;
  };
  const received = clientMessages.map(message);
  const sent = serverMessages.map(message);
  const channelRef = { $ref: "#/channels/sessionStream" };
  const inChannel = (name: string) => ({ $ref: `#/channels/sessionStream/messages/${name}` });
  const operations: Record<string, Json> = {};
  const replies: Record<string, string[]> = {
    auth: ["ready"],
    run: ["runStarted", "error"],
    cancel: ["runCancelled", "error"],
  };
  for (const name of received) {
    operations[`receive${name[0]!.toUpperCase()}${name.slice(1)}`] = {
      action: "receive",
      channel: channelRef,
      summary: (messages[name] as { summary: string }).summary,
      messages: [inChannel(name)],
      reply: { channel: channelRef, messages: replies[name]!.map(inChannel) },
    };
  }
  for (const name of sent) {
    operations[`send${name[0]!.toUpperCase()}${name.slice(1)}`] = {
      action: "send",
      channel: channelRef,
      summary: (messages[name] as { summary: string }).summary,
      messages: [inChannel(name)],
    };
  }

  const closeList = Object.entries(closeCodes)
    .map(([reason, { code, meaning }]) => `- ${code} ${reason}: ${meaning}`)
    .join("\n");
  return {
    asyncapi: "3.0.0",
    info: {
      title: "packetlab session stream",
      version: "1",
      description: [
        "A learner runs a program in a session and watches its packets and output as they happen, then gets the grade. The HTTP API is described by OpenAPI at /docs/json; the schemas here (Packet, Grade, Error…) are the same, by the same names.",
        "",
        "Order: open the stream (with `?ticket=` from POST /v1/ws-tickets, or send `auth` first), await `ready`, then send `run`. A run is answered by `run-started` (a Rust run first by `compiling`, then `run-started` once compiled), then (when every sandbox is busy) `run-queued` with its place in the queue, then `packet` and `output` messages as they happen (a `run` with `packetBatches: true` gets its packets in `packets` messages instead: those that became known together, up to " +
          String(PACKETS_PER_MESSAGE) +
          " a message, each message sent before whatever followed its packets), then `run-finished` (the stored submission) — or by `error` alone when it is refused (unknown exercise or language, program too large, rate limit, a run already in progress): nothing started, nothing stored. `cancel` stops a run: `run-cancelled`. One run at a time per stream. Every server message has `seq` (1, 2, 3… per connection).",
        "",
        "`runId` names a run (chosen by the client, or run-1, run-2…); `requestId` inside an error is the server's id of the stream's upgrade request, as in HTTP errors: quote it to an operator.",
        "",
        `Error codes on the stream: ${STREAM_ERROR_CODES.join(", ")} (the ErrorCode enum lists all).`,
        "",
        "A browser page whose Origin is neither the API's own nor in CORS_ORIGINS is refused before the upgrade: HTTP 403 with the error body, code ORIGIN_NOT_ALLOWED. Clients that send no Origin (not browsers) are not checked.",
        "",
        `Close codes (1000–1015 keep their standard meaning):\n${closeList}`,
      ].join("\n"),
    },
    servers: {
      api: {
        host: server.host,
        protocol: server.protocol,
        description: "This service.",
        security: [{ $ref: "#/components/securitySchemes/ticket" }],
      },
    },
    channels: {
      sessionStream: {
        address: "/v1/sessions/{sessionId}/stream",
        title: "Session stream",
        description: `One learner session's stream.\n\nClose codes:\n${closeList}`,
        parameters: { sessionId: { description: "A session of the learner (POST /v1/sessions)." } },
        messages: Object.fromEntries(
          [...received, ...sent].map((name) => [name, { $ref: `#/components/messages/${name}` }]),
        ),
        bindings: {
          ws: {
            method: "GET",
            query: {
              type: "object",
              properties: {
                ticket: {
                  type: "string",
                  maxLength: 200,
                  description: "A single-use ticket from POST /v1/ws-tickets (valid 60 s).",
                },
              },
            },
          },
        },
        "x-close-codes": Object.fromEntries(
          Object.entries(closeCodes).map(([reason, { code, meaning }]) => [
            String(code),
            { reason, meaning },
          ]),
        ),
      },
    },
    operations,
    components: {
      schemas,
      messages,
      securitySchemes: {
        ticket: {
          type: "httpApiKey",
          name: "ticket",
          in: "query",
          description:
            "A single-use ticket from POST /v1/ws-tickets. Without one, the first message must be `auth` with the learner's bearer token.",
        },
      },
    },
  };
}

export const asyncApiRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app) => {
  app.get("/docs/asyncapi.json", { schema: { hide: true } }, async (request) =>
    asyncApiDocument({
      host: request.host,
      protocol: request.protocol === "https" ? "wss" : "ws",
    }),
  );
};
