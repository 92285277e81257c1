// Teachers, classes and joining them; what a teacher reads about a class is in
// class-report-schemas.ts.
import { Type } from "typebox";
import { nullable, ref } from "./schema-kit.ts";
import { Name, Submission, Timestamp, Uuid } from "./schemas.ts";

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
    joinsOpen: Type.Boolean({
      description: "False once the teacher closed the class to new learners (PATCH).",
    }),
    createdAt: Timestamp,
  },
  { $id: "Class", description: "A teacher's class." },
);

export const UpdateClassRequest = Type.Object(
  {
    joinsOpen: Type.Boolean({
      description: "False closes the class to new learners (403 CLASS_CLOSED); true opens it.",
    }),
  },
  {
    $id: "UpdateClassRequest",
    additionalProperties: false,
    examples: [{ joinsOpen: false }],
  },
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
  UpdateClassRequest,
  JoinClassRequest,
  JoinedClass,
  LearnerSubmissionPage,
];
