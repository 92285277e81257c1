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
  /** Called after each program run, for progress output. */
  onRun?: (file: string, seed: number, grade: Grade) => void;
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

  for (const lesson of lessons) {
    for (const exercise of lesson.exercises) {
      for (const seed of seeds) {
        const solutions = [exercise.solution, exercise.rust.solution].filter(runnable);
        for (const source of solutions) {
          const { grade: solution } = await grade(lesson, exercise, source, seed);
          for (const check of solution.checks.filter((c) => !c.passed)) {
            problems.push({
              file: source.file,
              field: `check "${check.id}" (seed ${seed})`,
              message: `the reference solution fails: ${check.message}`,
            });
          }
        }
        for (const source of [exercise.starter, exercise.rust.starter].filter(runnable)) {
          const { grade: starter } = await grade(lesson, exercise, source, seed);
          if (starter.passed) {
            problems.push({
              file: source.file,
              field: `seed ${seed}`,
              message: "the starter code passes the exercise; it should leave work to do",
            });
          }
        }
        for (const wrong of exercise.wrongAnswers.filter(runnable)) {
          const { grade: result, packets } = await grade(lesson, exercise, wrong, seed);
          const check = result.checks.find((c) => c.id === wrong.expectFail);
          const subject =
            check && wrong.expectSubject !== undefined
              ? subjectMismatch(wrong.expectSubject, check.subject, packets)
              : null;
          if (!check || check.passed) {
            problems.push({
              file: wrong.file,
              field: `expect-fail (seed ${seed})`,
              message: `check "${wrong.expectFail}" passed; failing: ${failing(result)}`,
            });
          } else if (wrong.expectMessage && !feedbackOf(check).includes(wrong.expectMessage)) {
            problems.push({
              file: wrong.file,
              field: `expect-message (seed ${seed})`,
              message: `check "${wrong.expectFail}" said "${feedbackOf(check)}"`,
            });
          } else if (subject !== null) {
            problems.push({
              file: wrong.file,
              field: `expect-subject (seed ${seed})`,
              message: `check "${wrong.expectFail}" links to ${subject}`,
            });
          }
        }
      }
    }
  }
  return { lessons, problems, runs, skipped };
}

/** What the learner reads for a failed check: the message, then the hint. */
export function feedbackOf(check: CheckResult): string {
  return check.hint === undefined ? check.message : `${check.message} ${check.hint}`;
}

function failing(grade: Grade): string {
  const names = grade.checks.filter((c) => !c.passed).map((c) => `${c.id} (${c.message})`);
  return names.length > 0 ? names.join("; ") : "none";
}
