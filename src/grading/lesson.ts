// Lessons as loaded from lessons/: the contract's views (LessonDetail, ExerciseDetail) plus what
// only the server may see (reference solutions, check functions, wrong answers).
import type { Language } from "../runner/types.ts";
import type { CheckDefinition } from "./check.ts";
import type {
  ExerciseDetail,
  InstantiatedExercise,
  LessonCatalogue,
  LessonDetail,
} from "./types.ts";

/** What a lesson's topology.ts exports by default: the session's network for one exercise. */
export type TopologyFactory = (seed: number, exerciseId: string) => InstantiatedExercise;

export function defineTopology(factory: TopologyFactory): TopologyFactory {
  return factory;
}

export interface SourceFile {
  /** Path as given to the loader (relative to the working directory when it was relative). */
  file: string;
  code: string;
  language: Language;
}

/** A typical mistake kept beside the exercise, with the check it must fail on. */
export interface WrongAnswer extends SourceFile {
  expectFail: string;
  /** A piece of the failing check's message the learner must see. */
  expectMessage?: string;
  /** What the failing check must link to (src/grading/subject-expectation.ts). */
  expectSubject?: string;
}

export interface LoadedExercise {
  lessonId: string;
  dir: string;
  detail: ExerciseDetail;
  starter: SourceFile;
  solution: SourceFile;
  /** The same exercise in Rust (starter.rs, solution.rs), when the folder has them. */
  rust: { starter: SourceFile | null; solution: SourceFile | null };
  checks: CheckDefinition[];
  checksFile: string;
  wrongAnswers: WrongAnswer[];
}

export interface LoadedLesson {
  dir: string;
  detail: LessonDetail;
  /** The semver written in lesson.json; `detail.version` adds the checks' hash to it. */
  declaredVersion: string;
  topology: TopologyFactory;
  topologyFile: string;
  exercises: LoadedExercise[];
}

export interface LoadedCatalogue extends LessonCatalogue {
  lessons(): LoadedLesson[];
  exercise(lessonId: string, exerciseId: string): LoadedExercise | undefined;
  lesson(lessonId: string): LoadedLesson | undefined;
}

/** One thing wrong with a lesson, pointing at the file and, when there is one, the field. */
export interface LessonProblem {
  file: string;
  field?: string;
  message: string;
}

export function formatProblem(problem: LessonProblem): string {
  return problem.field === undefined
    ? `${problem.file}: ${problem.message}`
    : `${problem.file}: ${problem.field}: ${problem.message}`;
}
