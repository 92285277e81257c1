// checkLessons with several programs at once: the problems come out in the order of the lessons,
// exercises and seeds however the runs end, and a failed run stops the rest before it returns.
import { afterAll, describe, expect, it } from "vitest";
import { checkLessons } from "../../src/grading/lessons-check.ts";
import { createRunner } from "../../src/runner/index.ts";
import type { Runner, RunRequest, RunResult } from "../../src/runner/types.ts";

// One exercise whose reference solution fails and whose starter passes: two problems a seed.
const FAILING = "test/fixtures/lessons/failing";
const DIR = `${FAILING}/tiny/01-say-hello`;

const real = createRunner({ workers: 2 });
afterAll(() => real.close());

/**
 * The real runner, holding every result until `expected` runs have ended and then handing them
 * back newest-started first: the last program to start is the first to finish.
 */
function reversingRunner(expected: number) {
  const held: { started: number; release: () => void }[] = [];
  let started = 0;
  let inFlight = 0;
  const seen = { maxInFlight: 0 };
  const runner: Pick<Runner, "run"> = {
    async run(request: RunRequest): Promise<RunResult> {
      const index = started++;
      seen.maxInFlight = Math.max(seen.maxInFlight, ++inFlight);
      const result = await real.run(request);
      await new Promise<void>((release) => {
        held.push({ started: index, release });
        // In a microtask: this run's own await is then waiting like the others'.
        if (held.length === expected) {
          queueMicrotask(() => {
            for (const { release } of held.sort((a, b) => b.started - a.started)) release();
          });
        }
      });
      inFlight--;
      return result;
    },
  };
  return { runner, seen };
}

describe("checkLessons with several programs at once", () => {
  it("reports the problems in the lessons' order, not the order the runs end", async () => {
    const { runner, seen } = reversingRunner(4);
    const ended: string[] = [];
    const report = await checkLessons(FAILING, {
      runner,
      seeds: [1, 2],
      concurrency: 4,
      onRun: (file, seed) => ended.push(`${file.split("/").pop()} ${seed}`),
    });
    expect(seen.maxInFlight).toBe(4);
    // The runs did end in reverse...
    expect(ended).toEqual(["starter.js 2", "solution.js 2", "starter.js 1", "solution.js 1"]);
    // ...and the problems are still in order: by seed, the solution before the starter.
    expect(report.problems.map((p) => `${p.file} ${p.field}`)).toEqual([
      `${DIR}/solution.js check "said-hello" (seed 1)`,
      `${DIR}/starter.js seed 1`,
      `${DIR}/solution.js check "said-hello" (seed 2)`,
      `${DIR}/starter.js seed 2`,
    ]);
    expect(report.runs).toBe(4);

    const oneAtATime = await checkLessons(FAILING, { runner: real, seeds: [1, 2] });
    expect(oneAtATime.problems).toEqual(report.problems);
  }, 60_000);

  it("starts nothing after a run fails, and throws once the runs under way have ended", async () => {
    let started = 0;
    let inFlight = 0;
    const runner: Pick<Runner, "run"> = {
      async run(request) {
        started++;
        inFlight++;
        try {
          if (started === 2) throw new Error("the runner broke");
          return await real.run(request);
        } finally {
          inFlight--;
        }
      },
    };
    await expect(
      checkLessons(FAILING, { runner, seeds: [1, 2, 3], concurrency: 2 }),
    ).rejects.toThrow("the runner broke");
    // Two lanes started a program each; the second failed, so the first lane, once its run
    // ended, took no other of the six.
    expect(started).toBe(2);
    expect(inFlight).toBe(0);
  }, 60_000);
});
