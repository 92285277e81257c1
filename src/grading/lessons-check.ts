// `packetlab lessons check`: everything a lesson author can get wrong, found before a learner
// does. Beyond loading (schema, topology, checks modules), every exercise is run for real: the
// reference solution must pass every check, the starter must fail, and each wrong answer must
// fail on the check it names, with the message it names.
import type { Language, Runner } from "../runner/types.ts";
import { gradeRun } from "./grade-run.ts";
import type { LessonProblem, LoadedExercise, LoadedLesson, SourceFile } from "./lesson.ts";
import { inspectLessons } from "./loader/load-lessons.ts";
import { subjectMismatch } from "./subject-expectation.ts";
import type { CheckResult, Grade } from "./types.ts";

export interface LessonsCheckOptions {
  runner: Pick<Runner, "run">;
  /** Sessions every program is tried in; two, so a per-seed mistake shows. */
  seeds?: number[];
  /** Languages the runner runs; programs in others are skipped (and counted). Default: all. */
  languages?: readonly Language[];
  /** Called after each program run, for progress output (in the order the runs end). */
  onRun?: (file: string, seed: number, grade: Grade) => void;
  /**
   * Programs run at once (default 1). Problems are reported in the same order whatever it is:
   * by lesson, exercise and seed, then solutions, starters and wrong answers.
   */
  concurrency?: number;
}

export interface LessonsCheckReport {
  lessons: LoadedLesson[];
  problems: LessonProblem[];
  runs: number;
  /** Programs not run: their language is not in `languages`. */
  skipped: number;
}

export async function checkLessons(
  dir: string,
  options: LessonsCheckOptions,
): Promise<LessonsCheckReport> {
  const { lessons, problems } = await inspectLessons(dir);
  const seeds = options.seeds ?? [1, 20_240_917];
  const languages = options.languages;
  let skipped = 0;
  /** Programs in a language this runner cannot run (Rust without a toolchain) are counted. */
  const runnable = <T extends SourceFile>(source: T | null): source is T => {
    if (source === null) return false;
    if (languages && !languages.includes(source.language)) {
      skipped++;
      return false;
    }
    return true;
  };
  let runs = 0;
  const grade = async (
    lesson: LoadedLesson,
    exercise: LoadedExercise,
    source: SourceFile,
    seed: number,
  ) => {
    const instance = lesson.topology(seed, exercise.detail.id);
    const run = await options.runner.run({
      code: source.code,
      language: source.language,
      topology: instance.topology,
      seed,
      files: instance.files,
    });
    runs++;
    const result = gradeRun(exercise, run, { ...instance, seed });
    options.onRun?.(source.file, seed, result);
    return { grade: result, packets: run.packets };
  };

  // Each program's run is a task that reports what it finds into a list of its own; the lists
  // are joined in the order the tasks were made, whatever order they end in.
  const tasks: (() => Promise<LessonProblem[]>)[] = [];
  const task = (body: (found: LessonProblem[]) => Promise<void>) =>
    tasks.push(async () => {
      const found: LessonProblem[] = [];
      await body(found);
      return found;
    });
  for (const lesson of lessons) {
    for (const exercise of lesson.exercises) {
      for (const seed of seeds) {
        const solutions = [exercise.solution, exercise.rust.solution].filter(runnable);
        for (const source of solutions) {
          task(async (found) => {
            const { grade: solution } = await grade(lesson, exercise, source, seed);
            for (const check of solution.checks.filter((c) => !c.passed)) {
              found.push({
                file: source.file,
                field: `check "${check.id}" (seed ${seed})`,
                message: `the reference solution fails: ${check.message}`,
              });
            }
          });
        }
        for (const source of [exercise.starter, exercise.rust.starter].filter(runnable)) {
          task(async (found) => {
            const { grade: starter } = await grade(lesson, exercise, source, seed);
            if (starter.passed) {
              found.push({
                file: source.file,
                field: `seed ${seed}`,
                message: "the starter code passes the exercise; it should leave work to do",
              });
            }
          });
        }
        for (const wrong of exercise.wrongAnswers.filter(runnable)) {
          task(async (found) => {
            const { grade: result, packets } = await grade(lesson, exercise, wrong, seed);
            const check = result.checks.find((c) => c.id === wrong.expectFail);
            const subject =
              check && wrong.expectSubject !== undefined
                ? subjectMismatch(wrong.expectSubject, check.subject, packets)
                : null;
            if (!check || check.passed) {
              found.push({
                file: wrong.file,
                field: `expect-fail (seed ${seed})`,
                message: `check "${wrong.expectFail}" passed; failing: ${failing(result)}`,
              });
            } else if (wrong.expectMessage && !feedbackOf(check).includes(wrong.expectMessage)) {
              found.push({
                file: wrong.file,
                field: `expect-message (seed ${seed})`,
                message: `check "${wrong.expectFail}" said "${feedbackOf(check)}"`,
              });
            } else if (subject !== null) {
              found.push({
                file: wrong.file,
                field: `expect-subject (seed ${seed})`,
                message: `check "${wrong.expectFail}" links to ${subject}`,
              });
            }
          });
        }
      }
    }
  }
  for (const found of await inOrder(tasks, options.concurrency ?? 1)) problems.push(...found);
  return { lessons, problems, runs, skipped };
}

/**
 * Runs the tasks, at most `concurrency` at once, and returns their results in the tasks' order.
 * After a task throws, no other starts; the error is thrown once those running have ended, so
 * nothing runs after this returns (the caller closes the runner next).
 */
async function inOrder<T>(tasks: (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < tasks.length) {
      const index = next++;
      try {
        results[index] = await tasks[index]!();
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = await Promise.allSettled(
    Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, lane),
  );
  const rejected = lanes.find((lane) => lane.status === "rejected");
  if (rejected) throw rejected.reason;
  return results;
}

/** What the learner reads for a failed check: the message, then the hint. */
export function feedbackOf(check: CheckResult): string {
  return check.hint === undefined ? check.message : `${check.message} ${check.hint}`;
}

function failing(grade: Grade): string {
  const names = grade.checks.filter((c) => !c.passed).map((c) => `${c.id} (${c.message})`);
  return names.length > 0 ? names.join("; ") : "none";
}
