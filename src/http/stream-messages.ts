// The session stream's protocol: typed messages keyed on `type`, in both directions. Every
// server message carries `seq` (1, 2, 3, … per connection) so a client can tell it missed none.
import { Type, type Static } from "typebox";
import { Packet } from "./packet-schemas.ts";
import { ref } from "./schema-kit.ts";
import { Grade, LearnerError, OutputLine } from "./schemas.ts";

const RequestId = Type.String({ minLength: 1, maxLength: 100 });

export const ClientMessage = Type.Union([
  Type.Object({ type: Type.Literal("auth"), token: Type.String({ minLength: 1, maxLength: 500 }) }),
  Type.Object({
    type: Type.Literal("run"),
    exerciseId: Type.String({ minLength: 1, maxLength: 100 }),
    code: Type.String(),
    language: Type.String({ maxLength: 20 }),
    requestId: Type.Optional(RequestId),
  }),
  Type.Object({ type: Type.Literal("cancel"), requestId: Type.Optional(RequestId) }),
]);
export type ClientMessage = Static<typeof ClientMessage>;

const Seq = Type.Integer({ minimum: 1 });

export const ServerMessage = Type.Union([
  Type.Object({
    type: Type.Literal("ready"),
    seq: Seq,
    sessionId: Type.String(),
    learnerId: Type.String(),
  }),
  Type.Object({
    type: Type.Literal("run-started"),
    seq: Seq,
    requestId: Type.String(),
    exerciseId: Type.String(),
  }),
  Type.Object({
    type: Type.Literal("packet"),
    seq: Seq,
    requestId: Type.String(),
    packet: ref(Packet),
  }),
  Type.Object({
    type: Type.Literal("output"),
    seq: Seq,
    requestId: Type.String(),
    line: OutputLine,
  }),
  Type.Object({
    type: Type.Literal("run-finished"),
    seq: Seq,
    requestId: Type.String(),
    submissionId: Type.String(),
    outcome: Type.String(),
    message: Type.String(),
    error: Type.Union([LearnerError, Type.Null()]),
    grade: Grade,
    packetCount: Type.Integer(),
  }),
  Type.Object({ type: Type.Literal("run-cancelled"), seq: Seq, requestId: Type.String() }),
  Type.Object({
    type: Type.Literal("error"),
    seq: Seq,
    code: Type.String({
      description: "A code of the error registry, or INVALID_MESSAGE, RUN_IN_PROGRESS.",
    }),
    message: Type.String(),
    requestId: Type.Optional(Type.String()),
  }),
]);
export type ServerMessage = Static<typeof ServerMessage>;

/** Why the server closed the stream. The standard 1000–1015 keep their meaning. */
export const closeCodes = {
  UNAUTHENTICATED: {
    code: 4001,
    meaning:
      "The first message was not a valid `auth`, or the ticket was invalid, spent or expired.",
  },
  AUTH_TIMEOUT: { code: 4002, meaning: "No `auth` message arrived within 10 seconds." },
  SESSION_NOT_FOUND: { code: 4004, meaning: "The session does not exist or is not yours." },
  SHUTTING_DOWN: { code: 4503, meaning: "The service is restarting; reconnect shortly." },
} as const;
