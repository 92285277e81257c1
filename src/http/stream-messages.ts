// The session stream's protocol: typed messages keyed on `type`, in both directions. Every
// server message carries `seq` (1, 2, 3, … per connection) so a client can tell it missed none.
// Each message is a named schema: the OpenAPI document lists them under components/schemas, and
// the AsyncAPI document (asyncapi.ts, served at /docs/asyncapi.json) describes the stream with
// them, so a generated client gets the same types from either.
//
// Ids: `runId` names a run; the client may choose it (else the server does: run-1, run-2…) and
// every message about the run carries it. `requestId` means one thing everywhere: the server's
// id of an HTTP request, for the stream its upgrade request, inside an error, for the logs.
import { Type, type Static } from "typebox";
import { Packet } from "./packet-schemas.ts";
import { ref } from "./schema-kit.ts";
import { ErrorResponse, Language, OutputLine, SubmissionResultHead, Uuid } from "./schemas.ts";

/** The most packets one `packets` message carries, so that one parse in a browser stays short. */
export const PACKETS_PER_MESSAGE = 64;

const RunId = Type.String({
  minLength: 1,
  maxLength: 100,
  description: "Names the run in every message about it; chosen by the client or the server.",
  examples: ["run-1"],
});

// Client → server. Unknown fields are refused, so a misspelt one is named rather than ignored.
const closed = { additionalProperties: false } as const;

export const AuthMessage = Type.Object(
  {
    type: Type.Literal("auth"),
    token: Type.String({ minLength: 1, maxLength: 500, description: "A learner's bearer token." }),
  },
  {
    ...closed,
    $id: "StreamAuth",
    description:
      "The first message, unless the stream was opened with ?ticket=. Answered by `ready`, or the stream is closed with 4001.",
  },
);

export const RunMessage = Type.Object(
  {
    type: Type.Literal("run"),
    exerciseId: Type.String({ minLength: 1, maxLength: 100 }),
    code: Type.String({ description: "The program, at most MAX_CODE_BYTES bytes of UTF-8." }),
    language: ref(Language),
    runId: Type.Optional(RunId),
    packetBatches: Type.Optional(
      Type.Boolean({
        description: `true: the run's packets come in \`packets\` messages, up to ${PACKETS_PER_MESSAGE} a message, instead of one \`packet\` message each (a browser then parses one message where it parsed dozens). Absent or false: \`packet\` messages.`,
      }),
    ),
  },
  {
    ...closed,
    $id: "StreamRun",
    description:
      "Run and grade a program, after `ready`. Refused with `error` (nothing started) for an unknown exercise or language, an oversized program, the rate limit or a run in progress; else answered by run-started (Rust: compiling, then run-started), packet… (or packets…, with packetBatches) and output…, then run-finished (or run-cancelled).",
  },
);

export const CancelMessage = Type.Object(
  {
    type: Type.Literal("cancel"),
    runId: Type.Optional({ ...RunId, description: "The run to stop; the current one if absent." }),
  },
  {
    ...closed,
    $id: "StreamCancel",
    description: "Stop the run in progress: answered by run-cancelled; nothing is stored.",
  },
);

// The unions refer to their members by name: each member is published once, under its own name.
export const ClientMessage = Type.Union([ref(AuthMessage), ref(RunMessage), ref(CancelMessage)], {
  $id: "StreamClientMessage",
  description: "What a client may send on the session stream.",
});
export type ClientMessage = Static<typeof ClientMessage>;

// Server → client.
const Seq = Type.Integer({ minimum: 1, description: "1, 2, 3… per connection, no gaps." });

export const ReadyMessage = Type.Object(
  { type: Type.Literal("ready"), seq: Seq, sessionId: Uuid, learnerId: Uuid },
  {
    $id: "StreamReady",
    description: "Authenticated, and the session is the learner's: `run` may be sent now.",
  },
);

export const CompilingMessage = Type.Object(
  { type: Type.Literal("compiling"), seq: Seq, runId: RunId, exerciseId: Type.String() },
  {
    $id: "StreamCompiling",
    description:
      "A Rust run was accepted and its program is being compiled (cached programs answer at once); `run-started` follows when the compiler has answered, also for a compile error.",
  },
);

export const RunStartedMessage = Type.Object(
  { type: Type.Literal("run-started"), seq: Seq, runId: RunId, exerciseId: Type.String() },
  {
    $id: "StreamRunStarted",
    description: "The run was accepted (exercise, language, size and rate checked) and is running.",
  },
);

export const RunQueuedMessage = Type.Object(
  {
    type: Type.Literal("run-queued"),
    seq: Seq,
    runId: RunId,
    position: Type.Integer({
      minimum: 1,
      description: "Runs to be served before this one, plus one: 1 means it is next.",
    }),
  },
  {
    $id: "StreamRunQueued",
    description:
      "Every sandbox is busy: the run waits its turn (learners are served in turn). Sent after run-started when the run has to wait, then again at most once a second while its place changes; a run not started within SYNC_WAIT_MS ends with error RUNNER_BUSY.",
  },
);

export const PacketMessage = Type.Object(
  { type: Type.Literal("packet"), seq: Seq, runId: RunId, packet: ref(Packet) },
  { $id: "StreamPacket", description: "A packet of the run, as soon as its fate is known." },
);

export const PacketsMessage = Type.Object(
  {
    type: Type.Literal("packets"),
    seq: Seq,
    runId: RunId,
    packets: Type.Array(ref(Packet), { minItems: 1, maxItems: PACKETS_PER_MESSAGE }),
  },
  {
    $id: "StreamPackets",
    description: `Packets of the run, in order, for a run sent with packetBatches: the packets whose fate became known together (up to ${PACKETS_PER_MESSAGE}; more make several messages). Every packet sent before another message of the run (output, run-finished…) comes before it, as \`packet\` messages would.`,
  },
);

export const OutputMessage = Type.Object(
  { type: Type.Literal("output"), seq: Seq, runId: RunId, line: ref(OutputLine) },
  { $id: "StreamOutput", description: "A line the program printed." },
);

export const RunFinishedMessage = Type.Object(
  {
    type: Type.Literal("run-finished"),
    seq: Seq,
    runId: RunId,
    submissionId: Uuid,
    // What the HTTP submit answers (SubmissionResult), but its packets: they came one by one.
    ...SubmissionResultHead.properties,
  },
  {
    $id: "StreamRunFinished",
    description:
      "The run is graded and stored: the submission as the HTTP submit answers it (SubmissionResult) without `packets`, plus submissionId (= id).",
  },
);

export const RunCancelledMessage = Type.Object(
  { type: Type.Literal("run-cancelled"), seq: Seq, runId: RunId },
  { $id: "StreamRunCancelled", description: "The run was stopped by `cancel`; nothing stored." },
);

export const ErrorMessage = Type.Object(
  {
    type: Type.Literal("error"),
    seq: Seq,
    runId: Type.Optional({ ...RunId, description: "The run the error is about, if any." }),
    error: ErrorResponse.properties.error,
  },
  {
    $id: "StreamError",
    description:
      "A refusal or failure; the stream stays open. `error` is the HTTP error body's object: code (ErrorCode), message, and requestId, the server's id of the stream's upgrade request.",
  },
);

export const ServerMessage = Type.Union(
  [
    ref(ReadyMessage),
    ref(CompilingMessage),
    ref(RunStartedMessage),
    ref(RunQueuedMessage),
    ref(PacketMessage),
    ref(PacketsMessage),
    ref(OutputMessage),
    ref(RunFinishedMessage),
    ref(RunCancelledMessage),
    ref(ErrorMessage),
  ],
  { $id: "StreamServerMessage", description: "What the server sends on the session stream." },
);
export type ServerMessage = Static<typeof ServerMessage>;

export const clientMessages = [AuthMessage, RunMessage, CancelMessage];
export const serverMessages = [
  ReadyMessage,
  CompilingMessage,
  RunStartedMessage,
  RunQueuedMessage,
  PacketMessage,
  PacketsMessage,
  OutputMessage,
  RunFinishedMessage,
  RunCancelledMessage,
  ErrorMessage,
];

/** Named schemas of the stream, for the OpenAPI components. */
export const streamSchemas = [...clientMessages, ClientMessage, ...serverMessages, ServerMessage];

/** Why the server closed the stream. The standard 1000–1015 keep their meaning. */
export const closeCodes = {
  UNAUTHENTICATED: {
    code: 4001,
    meaning:
      "The first message was not a valid `auth`, or the ticket was invalid, spent or expired.",
  },
  AUTH_TIMEOUT: { code: 4002, meaning: "No `auth` message arrived within 10 seconds." },
  SESSION_NOT_FOUND: { code: 4004, meaning: "The session does not exist or is not yours." },
  TOO_MANY_STREAMS: {
    code: 4029,
    meaning:
      "You have STREAMS_PER_LEARNER session streams open already (on this replica); close one and reconnect.",
  },
  SHUTTING_DOWN: { code: 4503, meaning: "The service is restarting; reconnect shortly." },
} as const;
