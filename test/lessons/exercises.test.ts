// Every exercise of every lesson, through the real runner: the reference solution passes every
// check, the starter fails, and each wrong answer in <exercise>/wrong/ fails on the check its
// "// expect-fail:" line names, with the feedback its "// expect-message:" line quotes. Rust
// (solution.rs, starter.rs, wrong/*.rs) the same way, where the toolchain is installed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGrader,
  feedbackOf,
  loadLessons,
  subjectMismatch,
  type LoadedCatalogue,
} from "../../src/grading/index.ts";
import type { Grade, Grader } from "../../src/grading/index.ts";
import type { PacketEvent } from "../../src/netsim/types.ts";
import { withCompiler } from "../../src/compile/compiling-runner.ts";
import { createRunner } from "../../src/runner/index.ts";
import { rustAvailable, testCompiler } from "../helpers/rust.ts";
import { SOLUTION_SUBJECTS } from "./solution-subjects.ts";

const SEED = 4242;
const catalogue: LoadedCatalogue = await loadLessons("lessons");
const pool = createRunner({ workers: 1 });
const compiler = rustAvailable ? testCompiler() : null;
const runner = compiler ? withCompiler(pool, compiler) : pool;
let grader: Grader;
beforeAll(() => {
  grader = createGrader({ catalogue, runner });
});
afterAll(async () => {
  await pool.close();
  await compiler?.close();
});

/** The checks of a reference solution's grade that link elsewhere than solution-subjects.ts says. */
function wrongLinks(
  { lessonId, exerciseId }: { lessonId: string; exerciseId: string },
  grade: Grade,
  packets: PacketEvent[],
): [string, string][] {
  const subjects = SOLUTION_SUBJECTS[`${lessonId}/${exerciseId}`];
  if (!subjects) return [["*", "test/lessons/solution-subjects.ts does not list this exercise"]];
  return grade.checks.flatMap((check): [string, string][] => {
    const mismatch = subjectMismatch(subjects[check.id] ?? "none", check.subject, packets);
    return mismatch === null ? [] : [[check.id, mismatch]];
  });
}

for (const lesson of catalogue.lessons()) {
  for (const exercise of lesson.exercises) {
    const base = { lessonId: lesson.detail.id, exerciseId: exercise.detail.id, seed: SEED };
    describe(`${lesson.detail.id} / ${exercise.detail.id}`, () => {
      it("passes the reference solution on every check", async () => {
        const { solution } = exercise;
        const { grade, lessonVersion, run } = await grader.gradeSubmission({
          ...base,
          code: solution.code,
          language: solution.language,
        });
        expect(grade.checks.filter((c) => !c.passed)).toEqual([]);
        expect(grade).toMatchObject({ passed: true, score: 100 });
        expect(lessonVersion).toBe(lesson.detail.version);
        // Each check links to the packet and field it judged.
        expect(wrongLinks(base, grade, run.packets)).toEqual([]);
      });

      it("fails the starter code", async () => {
        const { starter } = exercise;
        const { grade } = await grader.gradeSubmission({
          ...base,
          code: starter.code,
          language: starter.language,
        });
        expect(grade.passed).toBe(false);
      });

      it.skipIf(!rustAvailable || !exercise.rust.solution)(
        "passes the Rust reference solution on every check, and fails the Rust starter",
        async () => {
          const { solution, starter } = exercise.rust;
          const passed = await grader.gradeSubmission({
            ...base,
            code: solution!.code,
            language: "rust",
          });
          expect(passed.grade.checks.filter((c) => !c.passed)).toEqual([]);
          expect(passed.grade).toMatchObject({ passed: true, score: 100 });
          expect(wrongLinks(base, passed.grade, passed.run.packets)).toEqual([]);
          if (starter) {
            const { grade } = await grader.gradeSubmission({
              ...base,
              code: starter.code,
              language: "rust",
            });
            expect(grade.passed).toBe(false);
          }
        },
      );

      for (const wrong of exercise.wrongAnswers) {
        const name = wrong.file.split("/").pop();
        it.skipIf(wrong.language === "rust" && !rustAvailable)(
          `fails ${name} on "${wrong.expectFail}"`,
          async () => {
            const { grade, run } = await grader.gradeSubmission({
              ...base,
              code: wrong.code,
              language: wrong.language,
            });
            const check = grade.checks.find((c) => c.id === wrong.expectFail)!;
            expect(grade.passed).toBe(false);
            expect(check.passed).toBe(false);
            if (wrong.expectMessage) expect(feedbackOf(check)).toContain(wrong.expectMessage);
            // The packet and field the learner is sent to look at.
            expect(subjectMismatch(wrong.expectSubject ?? "none", check.subject, run.packets)).toBe(
              null,
            );
          },
        );
      }
    });
  }
}

describe("Rust", () => {
  it("every exercise of every lesson has a Rust solution, starter and wrong answers", () => {
    for (const lesson of catalogue.lessons()) {
      for (const exercise of lesson.exercises) {
        const where = `${lesson.detail.id}/${exercise.detail.id}`;
        expect(exercise.rust.solution, where).not.toBeNull();
        expect(exercise.rust.starter, where).not.toBeNull();
        const rust = exercise.wrongAnswers.filter((wrong) => wrong.language === "rust");
        expect(rust.length, where).toBeGreaterThanOrEqual(2);
      }
    }
  });
});

describe("links", () => {
  it("every wrong answer says what its failing check links to", () => {
    for (const lesson of catalogue.lessons()) {
      for (const exercise of lesson.exercises) {
        for (const wrong of exercise.wrongAnswers) {
          expect(wrong.expectSubject, wrong.file).toBeDefined();
        }
      }
    }
  });
});

describe("determinism", () => {
  it("gives the same grade and packet log for the same code and seed", async () => {
    const exercise = catalogue.exercise("exchanging-messages", "message-to-alice")!;
    const request = {
      lessonId: "exchanging-messages",
      exerciseId: "message-to-alice",
      seed: 77,
      code: exercise.solution.code,
      language: exercise.solution.language,
    };
    const first = await grader.gradeSubmission(request);
    const second = await grader.gradeSubmission(request);
    expect(second.grade).toEqual(first.grade);
    expect(second.run.packets).toEqual(first.run.packets);
    expect(second.run.output.map((l) => l.text)).toEqual(first.run.output.map((l) => l.text));
  });

  it("rejects unknown lessons and exercises with stable codes", async () => {
    const request = { seed: 1, code: "", language: "javascript" as const };
    await expect(
      grader.gradeSubmission({ ...request, lessonId: "nope", exerciseId: "x" }),
    ).rejects.toMatchObject({ code: "LESSON_NOT_FOUND" });
    await expect(
      grader.gradeSubmission({ ...request, lessonId: "exchanging-messages", exerciseId: "nope" }),
    ).rejects.toMatchObject({ code: "EXERCISE_NOT_FOUND" });
  });
});
