// Attack class: recursion without end, plain and through the API and error handlers.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

describe("deep recursion", () => {
  it("reports a stack overflow as a runtime error at the learner's line", async () => {
    const result = await run(
      runner,
      `function down(n) {\n  return down(n + 1) + 1;\n}\ndown(0);\n`,
    );
    expect(result.outcome).toBe("runtime-error");
    expect(result.error).toMatchObject({ name: "RangeError", line: 2 });
    await expectHealthy(runner);
  });

  it("survives recursion that catches each overflow and recurses again", async () => {
    const result = await run(
      runner,
      `function again(n) { try { return again(n + 1); } catch { return again(n + 1); } }\nagain(0);`,
      { limits: { cpuMs: 500, wallMs: 2_000 } },
    );
    expect(["runtime-error", "time-limit"]).toContain(result.outcome);
    await expectHealthy(runner);
  });

  it("survives recursion through the API's own calls", async () => {
    const result = await run(
      runner,
      `import { SocketAddrV4 } from "net";
       const evil = { toString() { return String(SocketAddrV4.parse(evil)); } };
       console.log(SocketAddrV4.parse(evil));`,
    );
    expect(result.outcome).toBe("runtime-error");
    expect(result.error?.stack ?? "").not.toMatch(/work|node_modules|packetlab/);
    await expectHealthy(runner);
  });

  it("survives recursion inside console.log's formatting", async () => {
    const result = await run(
      runner,
      `const evil = { valueOf() { console.log("%d", evil); return 1; } };\nconsole.log("%d", evil);`,
    );
    expect(["runtime-error", "output-limit"]).toContain(result.outcome);
    await expectHealthy(runner);
  });
});
