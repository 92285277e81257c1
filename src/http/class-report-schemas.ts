// What a teacher reads about a class: the learner × exercise matrix (with who is stuck and why)
// and per-exercise statistics. Built by class-report.ts and class-insight.ts.
import { Type } from "typebox";
import { nullable, ref, stringEnum } from "./schema-kit.ts";
import { ProgressStatus, Timestamp, Uuid } from "./schemas.ts";
import { Class } from "./class-schemas.ts";

export const CheckRef = Type.Object(
  { id: Type.String({ examples: ["reached-alice"] }), title: Type.String() },
  { $id: "CheckRef", description: "A check named by id and by its title." },
);

export const STUCK_REASONS = [
  "repeated-code",
  "same-check-failing",
  "many-failed-attempts",
] as const;

export const StuckSignal = Type.Object(
  {
    reason: stringEnum(STUCK_REASONS, {
      description:
        "repeated-code: the same program sent again and again; same-check-failing: attempts in a row fail first on one check; many-failed-attempts: many attempts, none passed.",
    }),
    message: Type.String({ examples: ['Failed "A datagram reached Alice" 4 times in a row.'] }),
  },
  { $id: "StuckSignal", description: "Why a learner looks stuck on an exercise." },
);

export const LatestAttempt = Type.Object(
  {
    submissionId: nullable(Uuid),
    passed: Type.Boolean(),
    score: Type.Integer(),
    outcome: nullable(Type.String()),
    firstFailedCheck: nullable(ref(CheckRef), {
      description: "The first check it failed, in dependency order: the root cause.",
    }),
  },
  { $id: "LatestAttempt", description: "A learner's most recent submission on an exercise." },
);

export const ProgressCell = Type.Object(
  {
    status: ref(ProgressStatus),
    attempts: Type.Integer(),
    bestScore: Type.Integer(),
    lastActivityAt: nullable(Timestamp),
    secondsSinceLastAttempt: nullable(Type.Integer({ minimum: 0 })),
    latest: nullable(ref(LatestAttempt)),
    stuck: nullable(ref(StuckSignal), { description: "Null unless the learner looks stuck." }),
  },
  { $id: "ProgressCell", description: "One learner on one exercise, in a class's matrix." },
);

export const MatrixExercise = Type.Object(
  {
    lessonId: Type.String(),
    lessonTitle: Type.String(),
    exerciseId: Type.String(),
    title: Type.String(),
  },
  { $id: "MatrixExercise" },
);

export const ClassProgress = Type.Object(
  {
    class: ref(Class),
    exercises: Type.Array(ref(MatrixExercise), { description: "The matrix's columns, in order." }),
    learners: Type.Array(
      Type.Object({
        id: Uuid,
        displayName: Type.String(),
        cells: Type.Array(ref(ProgressCell), { description: "One per exercise, in order." }),
      }),
    ),
  },
  { $id: "ClassProgress", description: "A class's progress: learners × exercises." },
);

export const CheckFailures = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    required: Type.Boolean(),
    learnersFailingFirst: Type.Integer({
      description: "Learners whose latest attempt fails this check first (the root cause).",
    }),
    learnersFailing: Type.Integer({ description: "Learners whose latest attempt fails it." }),
    learnersFailedEver: Type.Integer({ description: "Learners who failed it in any attempt." }),
  },
  { $id: "CheckFailures" },
);

export const WrongAnswer = Type.Object(
  {
    wire: Type.String({
      description: "What the program sent, hosts by name.",
      examples: ["UDP to alice:100, UDP to ns:53"],
    }),
    learners: Type.Integer({ description: "Learners whose latest, failed attempt did this." }),
    firstFailedCheck: nullable(ref(CheckRef)),
  },
  { $id: "WrongAnswer", description: "Learners grouped by what their failing program did." },
);

export const ExerciseStats = Type.Object(
  {
    lessonId: Type.String(),
    exerciseId: Type.String(),
    title: Type.String(),
    learners: Type.Integer({ description: "Learners in the class." }),
    learnersAttempted: Type.Integer(),
    learnersPassed: Type.Integer(),
    learnersStuck: Type.Integer(),
    passRate: Type.Number({ description: "Share of the class's learners who passed, 0–1." }),
    attempts: Type.Integer(),
    medianAttemptsToPass: nullable(Type.Number(), {
      description: "Over learners who passed: attempts up to and including the first pass.",
    }),
    averageBestScore: Type.Number(),
    mostFailedCheck: nullable(
      Type.Object({ id: Type.String(), title: Type.String(), failures: Type.Integer() }),
      { description: "The root cause most learners fail first now (failures: learners)." },
    ),
    checks: Type.Array(ref(CheckFailures), {
      description:
        "Checks some learner failed, root cause first: by learners failing it first, ties (and the rest) in dependency order.",
    }),
    wrongAnswers: Type.Array(ref(WrongAnswer), {
      description: "The most common failing programs by what they did on the wire (top 5).",
    }),
  },
  { $id: "ExerciseStats" },
);

export const ClassStats = Type.Object(
  { items: Type.Array(ref(ExerciseStats)) },
  { $id: "ClassStats" },
);

export const classReportSchemas = [
  CheckRef,
  StuckSignal,
  LatestAttempt,
  ProgressCell,
  MatrixExercise,
  ClassProgress,
  CheckFailures,
  WrongAnswer,
  ExerciseStats,
  ClassStats,
];
