// Lessons, exercises and sessions as the API shows them (src/grading/types.ts LessonSummary,
// LessonDetail, ExerciseDetail, TopologyView): no reference solutions, no check code.
import { Type, type Static } from "typebox";
import type {
  ExerciseDetail as DomainExerciseDetail,
  ExerciseSummary as DomainExerciseSummary,
  LessonDetail,
  LessonSummary as DomainLessonSummary,
  TopologyView as DomainTopologyView,
} from "../grading/types.ts";
import type { Language as DomainLanguage } from "../runner/types.ts";
import { ref, sameType } from "./schema-kit.ts";
import { Language, Timestamp, Uuid } from "./schemas.ts";

/** An exercise as this server offers it: the catalogue's, with the languages it runs it in. */
export type ExerciseDetail = DomainExerciseDetail & { languages: DomainLanguage[] };

export const ExerciseSummary = Type.Object(
  {
    id: Type.String({ examples: ["message-to-alice"] }),
    title: Type.String(),
    order: Type.Integer(),
  },
  { $id: "ExerciseSummary" },
);
sameType<Static<typeof ExerciseSummary>, DomainExerciseSummary>();

export const LessonSummary = Type.Object(
  {
    id: Type.String({ examples: ["exchanging-messages"] }),
    title: Type.String(),
    version: Type.String({ description: "Changes when the checks change." }),
    order: Type.Integer(),
    summary: Type.String(),
    exercises: Type.Array(ref(ExerciseSummary)),
  },
  { $id: "LessonSummary" },
);
sameType<Static<typeof LessonSummary>, DomainLessonSummary>();

export const ExerciseCheck = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    weight: Type.Number(),
    required: Type.Boolean(),
  },
  { $id: "ExerciseCheck", description: "A check a submission is graded on, before any run." },
);

export const Exercise = Type.Object(
  {
    id: Type.String({ examples: ["message-to-alice"] }),
    title: Type.String(),
    order: Type.Integer(),
    instructions: Type.String({ description: "Markdown." }),
    starterCode: Type.String(),
    language: ref(Language),
    starterCodeByLanguage: Type.Object(
      {
        javascript: Type.Optional(Type.String()),
        typescript: Type.Optional(Type.String()),
        rust: Type.Optional(Type.String()),
      },
      {
        description:
          "Starter code in each language the exercise has it in (Rust: starter.rs), `starterCode` included. A language here may not run on this server: offer `languages`.",
      },
    ),
    languages: Type.Array(ref(Language), {
      description:
        "The languages a submission to this exercise runs in on this server, in the order to offer them: JavaScript and TypeScript always, Rust where the exercise has a Rust starter and the server has a Rust compiler (RUST_ENABLED). A submission in another language is refused with UNSUPPORTED_LANGUAGE.",
      examples: [["javascript", "typescript", "rust"]],
    }),
    checks: Type.Array(ref(ExerciseCheck)),
  },
  { $id: "Exercise", description: "An exercise with its instructions and starter code." },
);
sameType<Static<typeof Exercise>, ExerciseDetail>();

export const Lesson = Type.Object(
  {
    id: Type.String({ examples: ["exchanging-messages"] }),
    title: Type.String(),
    version: Type.String(),
    order: Type.Integer(),
    summary: Type.String(),
    introduction: Type.String({ description: "Markdown." }),
    exercises: Type.Array(ref(Exercise)),
    learnerApi: Type.String({
      description: "TypeScript declarations of the `net` module learners program against.",
    }),
  },
  { $id: "Lesson", description: "A lesson with its exercises and the learner API's types." },
);
sameType<
  Static<typeof Lesson>,
  Omit<LessonDetail, "exercises"> & { exercises: ExerciseDetail[]; learnerApi: string }
>();

export const TopologyView = Type.Object(
  {
    learner: Type.Object({
      host: Type.String({ examples: ["learner"] }),
      address: Type.String({ examples: ["10.0.0.2"] }),
    }),
    hosts: Type.Array(
      Type.Object({
        name: Type.String(),
        address: Type.Optional(
          Type.String({ description: "Absent when the learner must find it." }),
        ),
        role: Type.String(),
      }),
    ),
    nameServer: Type.Optional(Type.Object({ address: Type.String(), port: Type.Integer() })),
  },
  {
    $id: "TopologyView",
    description:
      "What the learner may know of an exercise's network: their own address, the hosts by name, the well-known name server.",
  },
);
sameType<Static<typeof TopologyView>, DomainTopologyView>();

export const Session = Type.Object(
  {
    id: Uuid,
    lessonId: Type.String(),
    seed: Type.Integer({ description: "Fixes the session's addresses and ephemeral details." }),
    createdAt: Timestamp,
    exercises: Type.Array(
      Type.Object({ id: Type.String(), title: Type.String(), topology: ref(TopologyView) }),
    ),
  },
  {
    $id: "Session",
    description:
      "A learner's session on a lesson: the same seed, so the same addresses, for every run in it.",
  },
);
