// The contract of grading: what the service asks for and what it stores and shows. Grading is
// pure over a RunResult: it never re-runs code.
import type { TopologySpec } from "../netsim/types.ts";
import type { Language, RunLimits, RunOptions, RunResult } from "../runner/types.ts";

export interface CheckResult {
  id: string;
  title: string;
  passed: boolean;
  /** Required checks decide `passed`; the others (bonus) only add to the score. */
  required: boolean;
  weight: number;
  /** What happened, in the learner's terms ("Alice listens on port 1000; you sent to 100"). */
  message: string;
  /** What to try next, when the check failed. */
  hint?: string;
  /** The packet (and field) the verdict is about, when it is about one: the grade links to it. */
  subject?: CheckSubject;
}

/**
 * What a check judged: one packet of the run and, optionally, one field of it. Absent when the
 * check is about something else (the output, a peer's state) or about a packet that is missing.
 */
export interface CheckSubject {
  /** The packet's `seq`: its number in the packet list, 1 for the run's first packet. */
  packet: number;
  /**
   * The field in the packet's dissection: the layer's protocol, then field names down the tree,
   * joined by dots ("udp.destinationPort", "ipv4.flags.moreFragments"); the protocol alone
   * ("name-lookup") stands for the whole layer. The first layer of that protocol that is not
   * quoted by an ICMP error is meant. Absent when the verdict is about the packet as a whole.
   */
  field?: string;
}

export interface Grade {
  /** All required checks passed. */
  passed: boolean;
  /** Weighted share of passed checks, 0–100, rounded to a whole number. */
  score: number;
  checks: CheckResult[];
}

export interface GradeRequest {
  lessonId: string;
  exerciseId: string;
  code: string;
  language: Language;
  /** The learner's session seed: addresses and ephemeral details derive from it. */
  seed: number;
  limits?: Partial<RunLimits>;
}

export interface GradedRun {
  lessonId: string;
  /** Stored with the grade, so a grade always says which version of the checks produced it. */
  lessonVersion: string;
  exerciseId: string;
  run: RunResult;
  grade: Grade;
  /** What the learner's program sent, host by name (summariseWire): groups wrong answers. */
  wire?: string;
}

export interface Grader {
  /** Runs the code against the exercise's network and grades the result. */
  gradeSubmission(request: GradeRequest, options?: RunOptions): Promise<GradedRun>;
}

/** What a learner may see of a session's network: names and the addresses they are told. */
export interface TopologyView {
  learner: { host: string; address: string };
  hosts: { name: string; address?: string; role: string }[];
  /** "Well-known" addresses the lesson gives away (the name server's); Alice's is not here. */
  nameServer?: { address: string; port: number };
}

export interface InstantiatedExercise {
  topology: TopologySpec;
  files: Record<string, Uint8Array>;
  view: TopologyView;
}

/** A lesson as the API shows it (no reference solutions, no check code). */
export interface LessonSummary {
  id: string;
  title: string;
  version: string;
  order: number;
  summary: string;
  exercises: ExerciseSummary[];
}

export interface ExerciseSummary {
  id: string;
  title: string;
  order: number;
}

export interface ExerciseDetail extends ExerciseSummary {
  /** Markdown, in the project's own words. */
  instructions: string;
  starterCode: string;
  language: Language;
  /** Every language the exercise has starter code in (`starterCode` is `language`'s). */
  starterCodeByLanguage: Partial<Record<Language, string>>;
  /** The checks a submission is graded on, without their code. */
  checks: { id: string; title: string; weight: number; required: boolean }[];
}

export interface LessonDetail extends Omit<LessonSummary, "exercises"> {
  /** Markdown introduction. */
  introduction: string;
  exercises: ExerciseDetail[];
}

/** The lessons loaded from lessons/: read-only after start-up. */
export interface LessonCatalogue {
  list(): LessonSummary[];
  get(lessonId: string): LessonDetail | undefined;
  /** The network and files of one exercise for one seed; undefined for unknown ids. */
  instantiate(lessonId: string, exerciseId: string, seed: number): InstantiatedExercise | undefined;
}
