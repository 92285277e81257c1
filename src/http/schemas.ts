// The API's shapes as TypeBox schemas: fastify validates requests with them, serialises
// responses with them, and @fastify/swagger publishes them at /docs. One source for all three.
// Schemas with an $id are named: registered once (namedSchemas, in components.ts), referenced
// with ref(), published under components/schemas. sameType<> pins each to the domain type or
// view function it describes, so a change on either side that the other lacks stops `tsc`.
import { Type, type Static } from "typebox";
import type {
  CheckResult as DomainCheckResult,
  CheckSubject as DomainCheckSubject,
  Grade as DomainGrade,
} from "../grading/types.ts";
import type {
  LearnerError as DomainLearnerError,
  Language as DomainLanguage,
  Outcome as DomainOutcome,
  OutputLine as DomainOutputLine,
} from "../runner/types.ts";
import { errorCodes, type ErrorCode as DomainErrorCode } from "./errors.ts";
import { Packet } from "./packet-schemas.ts";
import { nullable, ref, sameType, stringEnum } from "./schema-kit.ts";
import { LANGUAGES } from "./submitter.ts";

// The pattern as well as the format: Ajv's "uuid" format also accepts "urn:uuid:…", which the
// database does not (a 500 before it was refused here).
export const UUID_PATTERN =
  "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
export const Uuid = Type.String({ format: "uuid", pattern: UUID_PATTERN, description: "A UUID." });
export const Name = Type.String({ minLength: 1, maxLength: 100, description: "A display name." });
export const Slug = Type.String({ minLength: 1, maxLength: 100, pattern: "^[a-z0-9][a-z0-9-]*$" });
/** The form of every lesson and exercise id (src/grading/loader/manifest.ts). */
export const ID_PATTERN = "^[a-z0-9][a-z0-9-]*$";
/** A lesson or exercise id in a filter: NUL and the like are refused at the edge. */
export const IdFilter = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: ID_PATTERN,
  description: "A lesson or exercise id.",
});
export const Timestamp = Type.String({ format: "date-time" });

const ERROR_CODES = Object.keys(errorCodes) as DomainErrorCode[];

export const ErrorCode = stringEnum(ERROR_CODES, {
  $id: "ErrorCode",
  description:
    "Stable codes of the error registry (src/http/errors.ts): clients branch on them, never on messages.",
});

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: ref(ErrorCode),
      message: Type.String({ description: "What was wrong, quoting what was sent." }),
      requestId: Type.String({
        description:
          "The server's id of the HTTP request (also the `request-id` response header; for the session stream, of its upgrade request): quote it to an operator to find the log lines.",
      }),
    }),
  },
  {
    $id: "Error",
    description: "Every error response has this shape; the session stream's `error` message too.",
    examples: [
      {
        error: {
          code: "EXERCISE_NOT_FOUND",
          message: 'Lesson "exchanging-messages" has no exercise "fly-to-mars".',
          requestId: "0d6c3f8e-2f4b-4a53-9f0e-6a1d2b3c4d5e",
        },
      },
    ],
  },
);

/** Responses of an endpoint: the success schema plus the error shape for the listed codes. */
export function responses<T extends Record<number, unknown>>(ok: T, ...errors: number[]) {
  const all: Record<number, unknown> = { ...ok };
  for (const status of errors) all[status] = Type.Ref("Error");
  return all as T;
}

/** Add a language here (and to Language in src/runner/types.ts) to extend the enum. */
sameType<(typeof LANGUAGES)[number], DomainLanguage>();
export const Language = stringEnum(LANGUAGES, {
  $id: "Language",
  description: "The language a program is written in.",
  examples: ["typescript"],
});

const OUTCOMES = [
  "ok",
  "compile-error",
  "runtime-error",
  "time-limit",
  "memory-limit",
  "output-limit",
  "network-limit",
  "internal-error",
] as const;
sameType<(typeof OUTCOMES)[number], DomainOutcome>();

export const Outcome = stringEnum(OUTCOMES, {
  $id: "Outcome",
  description:
    "How the run ended: ok (ran to its end), compile-error, runtime-error, a limit (time, memory, output, network), or internal-error (ours, not the learner's).",
});

export const CheckSubject = Type.Object(
  {
    packet: Type.Integer({
      minimum: 1,
      description:
        "The packet's `seq`: its number in the run's packet list (1 for the first packet of the trace).",
    }),
    field: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'The field in the packet\'s `layers`: the layer\'s `protocol`, then field `name`s down the tree (`children`), joined by dots: "udp.destinationPort", "ipv4.flags.moreFragments"; the protocol alone ("name-lookup") is the whole layer. The first layer of that protocol that is not `quoted` is meant. Absent when the check is about the packet as a whole.',
      }),
    ),
  },
  {
    $id: "CheckSubject",
    description:
      "The packet (and field) a check's verdict is about, so a client can link the check to it. A check has none when it is about no one packet: the output, a peer's state, or a packet that was never sent.",
    examples: [{ packet: 3, field: "udp.destinationPort" }],
  },
);
sameType<Static<typeof CheckSubject>, DomainCheckSubject>();

export const CheckResult = Type.Object(
  {
    id: Type.String({ examples: ["reached-alice"] }),
    title: Type.String({ examples: ["Your message reached Alice"] }),
    passed: Type.Boolean(),
    required: Type.Boolean({
      description: "Required checks decide `passed`; the others only add to the score.",
    }),
    weight: Type.Number(),
    message: Type.String({ description: "What happened, in the learner's terms." }),
    hint: Type.Optional(Type.String({ description: "What to try next, when the check failed." })),
    subject: Type.Optional(ref(CheckSubject)),
  },
  {
    $id: "Check",
    description: "One check of a grade, with its verdict.",
    examples: [
      {
        id: "reached-alice",
        title: "Your message reached Alice",
        passed: false,
        required: true,
        weight: 1,
        message: "Alice listens on port 1000; you sent to 100.",
        hint: "Send to Alice's address on port 1000.",
        subject: { packet: 3, field: "udp.destinationPort" },
      },
    ],
  },
);
sameType<Static<typeof CheckResult>, DomainCheckResult>();

export const Grade = Type.Object(
  {
    passed: Type.Boolean({ description: "All required checks passed." }),
    score: Type.Integer({
      minimum: 0,
      maximum: 100,
      description: "Weighted share of passed checks, 0–100.",
    }),
    checks: Type.Array(ref(CheckResult)),
  },
  { $id: "Grade", description: "The verdict on a submission." },
);
sameType<Static<typeof Grade>, DomainGrade>();

export const OutputLine = Type.Object(
  {
    stream: Type.Union([Type.Literal("stdout"), Type.Literal("stderr")]),
    text: Type.String(),
    atUs: Type.Number({ description: "Virtual time of the line, in microseconds." }),
  },
  { $id: "OutputLine", description: "A line the program printed." },
);
sameType<Static<typeof OutputLine>, DomainOutputLine>();

export const LearnerError = Type.Object(
  {
    name: Type.String({ examples: ["TypeError"] }),
    message: Type.String(),
    line: Type.Optional(Type.Integer({ description: "In the learner's own code." })),
    column: Type.Optional(Type.Integer()),
    stack: Type.Optional(Type.String()),
  },
  { $id: "LearnerError", description: "Why the learner's program stopped, where in their code." },
);
sameType<Static<typeof LearnerError>, DomainLearnerError>();

export const Timings = Type.Object(
  {
    cpuMs: Type.Number(),
    wallMs: Type.Number(),
    virtualTimeUs: Type.Number({ description: "Simulated time the run covered." }),
    startedAt: Timestamp,
    finishedAt: Timestamp,
  },
  { $id: "Timings" },
);

const submissionSummaryProperties = {
  id: Uuid,
  sessionId: Uuid,
  learnerId: Uuid,
  lessonId: Type.String(),
  exerciseId: Type.String(),
  lessonVersion: Type.String({ description: "Which version of the checks graded it." }),
  language: ref(Language),
  outcome: ref(Outcome),
  passed: Type.Boolean(),
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  packetCount: Type.Integer({
    description: "Packets the run produced (the trace may keep fewer).",
  }),
  createdAt: Timestamp,
};

export const SubmissionSummary = Type.Object(submissionSummaryProperties, {
  $id: "SubmissionSummary",
  description: "A submission in a list: its verdict without code, output or checks.",
});

const submissionProperties = {
  ...submissionSummaryProperties,
  code: Type.String(),
  message: Type.String({ description: "What happened, for the learner." }),
  error: nullable(ref(LearnerError)),
  grade: ref(Grade),
  output: Type.Array(ref(OutputLine)),
  outputTruncated: Type.Boolean({ description: "Output past RUN_OUTPUT_BYTES was cut." }),
  timings: ref(Timings),
};

export const Submission = Type.Object(submissionProperties, {
  $id: "Submission",
  description: "A stored submission with its code, grade and output (packets: …/trace).",
});

const submissionResultHeadProperties = {
  ...submissionProperties,
  packetsTruncated: Type.Boolean({
    description: "True when `packets` holds only the first TRACE_MAX_PACKETS of packetCount.",
  }),
  replayed: Type.Boolean({
    description: "True when an earlier request with the same Idempotency-Key stored it.",
  }),
};

/** The submission result but its packets, which the route splices in already serialised. */
export const SubmissionResultHead = Type.Object(submissionResultHeadProperties);

export const SubmissionResult = Type.Object(
  {
    ...submissionResultHeadProperties,
    packets: Type.Array(ref(Packet), {
      description: "The stored trace (at most TRACE_MAX_PACKETS).",
    }),
  },
  {
    $id: "SubmissionResult",
    description:
      "A graded submission as the submit call answers it: the stored submission and every packet.",
  },
);

export const SubmissionPage = Type.Object(
  {
    items: Type.Array(ref(SubmissionSummary)),
    nextCursor: nullable(Type.String(), {
      description: "Pass as `cursor` for the next page; null at the end.",
    }),
  },
  { $id: "SubmissionPage" },
);

export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  lessonId: Type.Optional(IdFilter),
  exerciseId: Type.Optional(IdFilter),
});

export const SubmitBody = Type.Object(
  {
    exerciseId: Type.String({ minLength: 1, maxLength: 100 }),
    code: Type.String({ description: "The program, at most MAX_CODE_BYTES bytes of UTF-8." }),
    language: ref(Language),
  },
  {
    $id: "SubmitRequest",
    examples: [
      {
        exerciseId: "message-to-alice",
        language: "javascript",
        code: 'import { UdpSocket } from "net";\nconsole.log("hello");\n',
      },
    ],
  },
);
export type SubmitBody = Static<typeof SubmitBody>;

/** Where a learner stands on one exercise, in the learner's progress and a class's matrix. */
export const ProgressStatus = stringEnum(["not-started", "attempted", "passed"] as const, {
  $id: "ProgressStatus",
});

export const ProgressItem = Type.Object(
  {
    lessonId: Type.String(),
    exerciseId: Type.String(),
    status: ref(ProgressStatus),
    attempts: Type.Integer(),
    bestScore: Type.Integer(),
    firstPassedAt: nullable(Timestamp),
    lastActivityAt: nullable(Timestamp),
  },
  { $id: "Progress", description: "A learner's standing on one exercise." },
);
