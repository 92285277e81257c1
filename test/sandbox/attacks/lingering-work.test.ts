// Attack class: work left running after the program "ends": the module's evaluation is over
// but promise chains go on (or never settle).
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, lines, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

describe("work left running after the program ends", () => {
  it("stops a chain that keeps sending packets after the last line", async () => {
    const result = await run(
      runner,
      `import { UdpSocket } from "net";
       const socket = UdpSocket.bind("0.0.0.0:0");
       const again = () => { socket.sendTo("spam", "10.0.0.7:1000"); return Promise.resolve().then(again); };
       Promise.resolve().then(again);
       console.log("main is done");`,
      { limits: { cpuMs: 1_000, maxPackets: 50 } },
    );
    expect(result.outcome).toBe("network-limit");
    expect(lines(result)).toEqual(["main is done"]);
    await expectHealthy(runner);
  });

  it("stops a then-loop that outlives the module", async () => {
    const result = await run(
      runner,
      `let n = 0;\nconst loop = () => { n++; return { then: (r) => Promise.resolve().then(loop).then(r) }; };\nPromise.resolve().then(loop);`,
      { limits: { cpuMs: 500, wallMs: 2_000 } },
    );
    expect(["time-limit", "memory-limit"]).toContain(result.outcome);
    await expectHealthy(runner);
  });

  it("stops a spinning microtask queued before a throw, in a fresh isolate for the restart", async () => {
    // The throw leaves a pending exception and the spinning microtask in the isolate when the
    // synchronous attempt times out; the restart used to meet them in its own setup.
    const result = await run(
      runner,
      `Promise.resolve().then(() => { for (;;) {} });\nthrow new Error("first");`,
      // The wall limit far past the CPU limit: the message names CPU time however busy the
      // machine (at 2 s, a worker given under a quarter of a core would meet the wall first).
      { limits: { cpuMs: 500, wallMs: 20_000 } },
    );
    expect(result.outcome).toBe("time-limit");
    expect(result.message).toMatch(/CPU time/);
    await expectHealthy(runner);
  });

  it("restarts a slow program that threw first and printed from a later microtask", async () => {
    const result = await run(
      runner,
      `Promise.resolve().then(() => {\n  let x = 0;\n  for (let i = 0; i < 2e8; i++) x += i;\n  console.log("late", x > 0);\n});\nthrow new RangeError("early");`,
      { limits: { cpuMs: 1_500, wallMs: 3_000 } },
    );
    expect(["runtime-error", "time-limit"]).toContain(result.outcome);
    if (result.outcome === "runtime-error") {
      expect(result.error).toMatchObject({ name: "RangeError", line: 6 });
    }
    await expectHealthy(runner);
  });

  it("reports an error thrown after an await at its line", async () => {
    const result = await run(runner, `await null;\nawait null;\nnull.boom;\n`);
    expect(result.outcome).toBe("runtime-error");
    expect(result.error).toMatchObject({ name: "TypeError", line: 3 });
  });
});
