// How long grading takes once a run is over: gradeRun is pure and runs on every submission,
// so it must stay far below the run itself. Runs come from the real runner (each exercise's
// reference solution), then are graded many times over fresh copies (the trace decoding is
// cached per packet event, so a copy is what a new submission looks like).
import { performance } from "node:perf_hooks";
import { gradeRun, loadLessons } from "../src/grading/index.ts";
import { createRunner } from "../src/runner/index.ts";

const GRADINGS = 200;

export async function bench(): Promise<void> {
  let started = performance.now();
  const catalogue = await loadLessons("lessons");
  console.log(`loadLessons: ${(performance.now() - started).toFixed(0)} ms (imports included)`);

  const runner = createRunner({ workers: 1 });
  try {
    console.log(
      "exercise                                    packets  instantiate µs  grade µs (mean of 200)",
    );
    for (const lesson of catalogue.lessons()) {
      for (const exercise of lesson.exercises) {
        const id = exercise.detail.id;
        started = performance.now();
        for (let i = 0; i < GRADINGS; i++) lesson.topology(i, id);
        const instantiateUs = ((performance.now() - started) * 1000) / GRADINGS;
        const instance = lesson.topology(1, id);
        const run = await runner.run({
          code: exercise.solution.code,
          language: exercise.solution.language,
          topology: instance.topology,
          seed: 1,
          files: instance.files,
        });
        const copies = Array.from({ length: GRADINGS }, () => structuredClone(run));
        started = performance.now();
        for (const copy of copies) gradeRun(exercise, copy, { ...instance, seed: 1 });
        const gradeUs = ((performance.now() - started) * 1000) / GRADINGS;
        console.log(
          `${`${lesson.detail.id}/${id}`.padEnd(44)}${String(run.packets.length).padStart(7)}  ${instantiateUs.toFixed(0).padStart(14)}  ${gradeUs.toFixed(0).padStart(8)}`,
        );
      }
    }
  } finally {
    await runner.close();
  }
}
