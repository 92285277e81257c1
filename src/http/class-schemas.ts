// Teachers, classes and what a teacher sees of them (src/http/class-report.ts builds the
// matrix; views here are pinned to it).
import { Type } from "typebox";
import { nullable, ref } from "./schema-kit.ts";
import { Name, ProgressStatus, Submission, Timestamp, Uuid } from "./schemas.ts";

export const CreateTeacherRequest = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }) },
  { $id: "CreateTeacherRequest", examples: [{ name: "Ms Frizzle" }] },
);

export const CreatedTeacher = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    token: Type.String({ description: "The teacher's bearer token, shown this once." }),
  },
  { $id: "CreatedTeacher" },
);

export const Class = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    joinCode: Type.String({
      description: "Learners join with it (case and dashes do not matter).",
      examples: ["KX4M7PQ2RW"],
    }),
    createdAt: Timestamp,
  },
  { $id: "Class", description: "A teacher's class." },
);

export const ClassList = Type.Object({ items: Type.Array(ref(Class)) }, { $id: "ClassList" });

export const CreateClassRequest = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }) },
  { $id: "CreateClassRequest", examples: [{ name: "Networks 101" }] },
);

export const JoinClassRequest = Type.Object(
  {
    joinCode: Type.String({ minLength: 4, maxLength: 32 }),
    displayName: Name,
  },
  { $id: "JoinClassRequest", examples: [{ joinCode: "KX4M7PQ2RW", displayName: "Ada" }] },
);

export const JoinedClass = Type.Object(
  {
    learnerId: Uuid,
    classId: Uuid,
    className: Type.String(),
    token: Type.String({ description: "The new learner's bearer token, shown this once." }),
  },
  { $id: "JoinedClass" },
);

export const ProgressCell = Type.Object(
  {
    status: ref(ProgressStatus),
    attempts: Type.Integer(),
    bestScore: Type.Integer(),
    lastActivityAt: nullable(Timestamp),
  },
  { $id: "ProgressCell", description: "One learner on one exercise, in a class's matrix." },
);

export const MatrixExercise = Type.Object(
  { lessonId: Type.String(), exerciseId: Type.String(), title: Type.String() },
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

export const ExerciseStats = Type.Object(
  {
    lessonId: Type.String(),
    exerciseId: Type.String(),
    learners: Type.Integer({ description: "Learners in the class." }),
    learnersAttempted: Type.Integer(),
    learnersPassed: Type.Integer(),
    passRate: Type.Number({ description: "Share of the class's learners who passed, 0–1." }),
    attempts: Type.Integer(),
    averageBestScore: Type.Number(),
    mostFailedCheck: nullable(Type.Object({ id: Type.String(), failures: Type.Integer() })),
  },
  { $id: "ExerciseStats" },
);

export const ClassStats = Type.Object(
  { items: Type.Array(ref(ExerciseStats)) },
  { $id: "ClassStats" },
);

export const LearnerSubmissionPage = Type.Object(
  {
    items: Type.Array(ref(Submission)),
    nextCursor: nullable(Type.String(), {
      description: "Pass as `cursor` for the next page; null at the end.",
    }),
  },
  { $id: "LearnerSubmissionPage", description: "A learner's submissions, with their code." },
);

export const classSchemas = [
  CreateTeacherRequest,
  CreatedTeacher,
  Class,
  ClassList,
  CreateClassRequest,
  JoinClassRequest,
  JoinedClass,
  ProgressCell,
  MatrixExercise,
  ClassProgress,
  ExerciseStats,
  ClassStats,
  LearnerSubmissionPage,
];
