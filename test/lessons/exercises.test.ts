// Every exercise of every lesson, through the real runner: the reference solution passes every
// check, the starter fails, and each wrong answer in <exercise>/wrong/ fails on the check its
// "// expect-fail:" line names, with the feedback its "// expect-message:" line quotes. Rust
// (solution.rs, starter.rs, wrong/*.rs) the same way, where the toolchain is installed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGrader,
  feedbackOf,
  loadLessons,
  type LoadedCatalogue,
} from "../../src/grading/index.ts";
import type { Grader } from "../../src/grading/index.ts";
import { withCompiler } from "../../src/compile/compiling-runner.ts";
import { createRunner } from "../../src/runner/index.ts";
import { rustAvailable, testCompiler } from "../helpers/rust.ts";

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

for (const lesson of catalogue.lessons()) {
  for (const exercise of lesson.exercises) {
    const base = { lessonId: lesson.detail.id, exerciseId: exercise.detail.id, seed: SEED };
    describe(`${lesson.detail.id} / ${exercise.detail.id}`, () => {
      it("passes the reference solution on every check", async () => {
        const { solution } = exercise;
        const { grade, lessonVersion } = await grader.gradeSubmission({
          ...base,
          code: solution.code,
          language: solution.language,
        });
        expect(grade.checks.filter((c) => !c.passed)).toEqual([]);
        expect(grade).toMatchObject({ passed: true, score: 100 });
        expect(lessonVersion).toBe(lesson.detail.version);
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
            const { grade } = await grader.gradeSubmission({
              ...base,
              code: wrong.code,
              language: wrong.language,
            });
            const check = grade.checks.find((c) => c.id === wrong.expectFail)!;
            expect(grade.passed).toBe(false);
            expect(check.passed).toBe(false);
            if (wrong.expectMessage) expect(feedbackOf(check)).toContain(wrong.expectMessage);
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
