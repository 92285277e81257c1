// The API's shapes as TypeBox schemas: fastify validates requests with them, serialises
// responses with them, and @fastify/swagger publishes them at /docs. One source for all three.
import { Type, type Static } from "typebox";

export const Uuid = Type.String({ format: "uuid", description: "A UUID." });
export const Name = Type.String({ minLength: 1, maxLength: 100, description: "A display name." });
export const Slug = Type.String({ minLength: 1, maxLength: 100, pattern: "^[a-z0-9][a-z0-9-]*$" });
export const Timestamp = Type.String({ format: "date-time" });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({
        description: "Stable code from the error registry, e.g. LESSON_NOT_FOUND.",
      }),
      message: Type.String({ description: "What was wrong, quoting what was sent." }),
      requestId: Type.String(),
    }),
  },
  { $id: "ErrorResponse", description: "Every error response has this shape." },
);

/** Responses of an endpoint: the success schema plus the error shape for the listed codes. */
export function responses<T extends Record<number, unknown>>(ok: T, ...errors: number[]) {
  const all: Record<number, unknown> = { ...ok };
  for (const status of errors) all[status] = Type.Ref("ErrorResponse");
  return all as T;
}

export const CheckResult = Type.Object({
  id: Type.String(),
  title: Type.String(),
  passed: Type.Boolean(),
  required: Type.Boolean(),
  weight: Type.Number(),
  message: Type.String(),
  hint: Type.Optional(Type.String()),
});

export const Grade = Type.Object({
  passed: Type.Boolean({ description: "All required checks passed." }),
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  checks: Type.Array(CheckResult),
});

export const OutputLine = Type.Object({
  stream: Type.Union([Type.Literal("stdout"), Type.Literal("stderr")]),
  text: Type.String(),
  atUs: Type.Number({ description: "Virtual time of the line, in microseconds." }),
});

/** A decoded packet with its bytes (src/netsim/types.ts PacketEvent); passed through as is. */
export const PacketEvent = Type.Unknown({
  description: "PacketEvent: seq, sentUs, from, to, hex, layers, summary, fate.",
});

export const LearnerError = Type.Object({
  name: Type.String(),
  message: Type.String(),
  line: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Integer()),
  stack: Type.Optional(Type.String()),
});

export const Outcome = Type.String({
  description:
    "ok, compile-error, runtime-error, time-limit, memory-limit, output-limit, network-limit or internal-error.",
});

export const SubmissionSummary = Type.Object({
  id: Uuid,
  sessionId: Uuid,
  learnerId: Uuid,
  lessonId: Type.String(),
  exerciseId: Type.String(),
  lessonVersion: Type.String(),
  language: Type.String(),
  outcome: Outcome,
  passed: Type.Boolean(),
  score: Type.Integer(),
  packetCount: Type.Integer(),
  createdAt: Timestamp,
});

export const Submission = Type.Object({
  ...SubmissionSummary.properties,
  code: Type.String(),
  message: Type.String({ description: "What happened, for the learner." }),
  error: Type.Union([LearnerError, Type.Null()]),
  grade: Grade,
  output: Type.Array(OutputLine),
  outputTruncated: Type.Boolean(),
  timings: Type.Object({
    cpuMs: Type.Number(),
    wallMs: Type.Number(),
    virtualTimeUs: Type.Number(),
    startedAt: Timestamp,
    finishedAt: Timestamp,
  }),
});

/** The submission result but its packets, which the route splices in already serialised. */
export const SubmissionResultHead = Type.Object({
  ...Submission.properties,
  packetsTruncated: Type.Boolean(),
  replayed: Type.Boolean({
    description: "True when an earlier request with the same Idempotency-Key stored it.",
  }),
});

export const SubmissionResult = Type.Object({
  ...SubmissionResultHead.properties,
  packets: Type.Array(PacketEvent, {
    description: "The stored trace (at most TRACE_MAX_PACKETS).",
  }),
});

export const SubmissionPage = Type.Object({
  items: Type.Array(SubmissionSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()], {
    description: "Pass as `cursor` for the next page; null at the end.",
  }),
});

export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  lessonId: Type.Optional(Type.String({ maxLength: 100 })),
  exerciseId: Type.Optional(Type.String({ maxLength: 100 })),
});

export const SubmitBody = Type.Object({
  exerciseId: Type.String({ minLength: 1, maxLength: 100 }),
  code: Type.String({ description: "The program, at most MAX_CODE_BYTES bytes of UTF-8." }),
  language: Type.String({ maxLength: 20, description: "javascript or typescript." }),
});
export type SubmitBody = Static<typeof SubmitBody>;

/** Where a learner stands on one exercise, in the learner's progress and a class's matrix. */
export const ProgressStatus = Type.Union([
  Type.Literal("not-started"),
  Type.Literal("attempted"),
  Type.Literal("passed"),
]);

export const ProgressItem = Type.Object({
  lessonId: Type.String(),
  exerciseId: Type.String(),
  status: ProgressStatus,
  attempts: Type.Integer(),
  bestScore: Type.Integer(),
  firstPassedAt: Type.Union([Timestamp, Type.Null()]),
  lastActivityAt: Type.Union([Timestamp, Type.Null()]),
});
