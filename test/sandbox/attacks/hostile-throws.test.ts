// Attack class: values thrown out of the program that fight being reported: getters that loop,
// Proxies, stack formatters that throw or lie. The run must end with a learner outcome.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

const throws: Record<string, string> = {
  "an object whose getter loops": `throw { get message() { for (;;) {} } };`,
  "a Proxy that throws on every trap": `throw new Proxy({}, { get() { throw new Error("trap"); }, ownKeys() { throw new Error("trap"); }, getOwnPropertyDescriptor() { throw new Error("trap"); } });`,
  "an Error whose stack formatter loops": `Error.prepareStackTrace = () => { for (;;) {} };\nthrow new Error("x");`,
  "an Error whose stack formatter lies": `Error.prepareStackTrace = () => "Error: at /work/main/src/secret.ts:1:1";\nthrow new Error("x");`,
  "a symbol": `throw Symbol("s");`,
  "an Error with a looping name getter": `const e = new Error("x"); Object.defineProperty(e, "name", { get() { for (;;) {} } }); throw e;`,
};

describe("hostile thrown values", () => {
  for (const [name, code] of Object.entries(throws)) {
    it(`reports ${name} as the learner's failure, and the next run succeeds`, async () => {
      const result = await run(runner, code, { limits: { cpuMs: 500, wallMs: 1_500 } });
      expect(["runtime-error", "time-limit"]).toContain(result.outcome);
      expect(JSON.stringify(result)).not.toMatch(/\/work|node_modules/);
      await expectHealthy(runner);
    });
  }
});
