// Attack class: code that never ends, in the isolate or spinning through host calls.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

describe("infinite loops", () => {
  it("stops a busy loop on the CPU limit, and the next run succeeds", async () => {
    const result = await run(runner, `for (;;) {}`, { limits: { cpuMs: 300 } });
    expect(result.outcome).toBe("time-limit");
    expect(result.message).toMatch(/CPU time/);
    await expectHealthy(runner);
  });

  it("stops a loop after top-level await", async () => {
    const result = await run(runner, `await null;\nwhile (true) {}`, { limits: { cpuMs: 300 } });
    expect(result.outcome).toBe("time-limit");
    await expectHealthy(runner);
  });

  it("stops a loop that keeps calling into the host", async () => {
    const result = await run(runner, `for (;;) { Date.now(); }`, {
      limits: { cpuMs: 300, wallMs: 1_000 },
    });
    expect(result.outcome).toBe("time-limit");
    await expectHealthy(runner);
  });

  it("stops a loop that catches every error thrown at it", async () => {
    const result = await run(
      runner,
      `for (;;) { try { for (;;) {} } catch (e) { /* swallow and go on */ } }`,
      { limits: { cpuMs: 300 } },
    );
    expect(result.outcome).toBe("time-limit");
    await expectHealthy(runner);
  });
});
