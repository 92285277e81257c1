// Attack class: promise and microtask floods, which the isolate's own timeout does not cover
// once they outlive the module's evaluation: the CPU watchdog and wall deadline must.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

const floods: Record<string, string> = {
  "a then-chain that never ends": `function f() { Promise.resolve().then(f); }\nf();`,
  "an async loop of awaits": `(async () => { for (;;) await null; })();`,
  "a thenable that re-queues itself": `const t = { then(resolve) { Promise.resolve().then(() => t.then(resolve)); } };\nawait t;`,
  "a fan-out of promises": `function grow() { for (let i = 0; i < 4; i++) Promise.resolve().then(grow); }\ngrow();`,
};

describe("promise and microtask floods", () => {
  for (const [name, code] of Object.entries(floods)) {
    it(`stops ${name}, and the next run succeeds`, async () => {
      const result = await run(runner, code, { limits: { cpuMs: 500, wallMs: 2_000 } });
      expect(["time-limit", "memory-limit"]).toContain(result.outcome);
      await expectHealthy(runner);
    });
  }
});
