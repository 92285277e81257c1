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

describe("oversized thrown values", () => {
  it("cuts a message of millions of characters to a readable size", async () => {
    const result = await run(runner, `throw new Error("x".repeat(20_000_000));`, {
      limits: { cpuMs: 1_500, wallMs: 4_000 },
    });
    expect(result.outcome).toBe("runtime-error");
    expect(result.error?.message).toMatch(/^x+… \(\d+ more characters\)$/);
    expect(JSON.stringify(result).length).toBeLessThan(20_000);
    await expectHealthy(runner);
  });

  it("keeps the first frames of a stack that Error.stackTraceLimit = Infinity made huge", async () => {
    const result = await run(
      runner,
      `Error.stackTraceLimit = Infinity;\nfunction f(n) { if (n === 0) throw new Error("deep"); return f(n - 1) + 1; }\nf(5000);`,
    );
    expect(result.outcome).toBe("runtime-error");
    expect(result.error).toMatchObject({ message: "deep", line: 2 });
    const stack = result.error?.stack?.split("\n") ?? [];
    expect(stack.length).toBeLessThanOrEqual(52);
    expect(stack.at(-1)).toMatch(/^ {4}… \d+ more frames$/);
    await expectHealthy(runner);
  });
});
