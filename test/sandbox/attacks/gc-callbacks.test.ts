// Attack class: code that the garbage collector would run after the program has ended
// (FinalizationRegistry callbacks, WeakRef-observed collection). A callback that loops used to
// run on the worker after the result was reported: the next learner's run on that worker ended
// in time-limit, stored against them, and the idle worker spun while /readyz said busy 0.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, lines, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

/** The repro: 2e5 registrations with a looping callback, then allocation to force GCs. */
const LOOPING_FINALIZERS = `
const registry = new FinalizationRegistry(() => { for (;;) {} });
for (let i = 0; i < 2e5; i++) registry.register({ i }, i);
const keep = [];
for (let i = 0; i < 300; i++) keep.push(new Array(10_000).fill(i));
console.log("finished");`;

describe("callbacks the garbage collector would run", () => {
  it("has no FinalizationRegistry, WeakRef or Atomics.waitAsync to schedule them", async () => {
    const result = await run(
      runner,
      `console.log(typeof FinalizationRegistry, typeof WeakRef, typeof Atomics, typeof globalThis.WeakRef);`,
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)).toEqual(["undefined undefined undefined undefined"]);
  });

  it("ends the looping-finalizer repro as the learner's error, and the next learner's run is fine", async () => {
    const restarts = runner.stats().restarts;
    const attack = await run(runner, LOOPING_FINALIZERS, { limits: { cpuMs: 1_000 } });
    expect(attack.outcome).toBe("runtime-error");
    expect(attack.error?.name).toBe("ReferenceError");
    for (let i = 0; i < 3; i++) {
      const victim = await expectHealthy(runner);
      expect(victim.outcome).toBe("ok");
    }
    expect(runner.stats()).toMatchObject({ busy: 0, restarts });
  });
});
