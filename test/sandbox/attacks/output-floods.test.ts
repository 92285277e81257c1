// Attack class: printing without end, in many lines or one enormous one.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

function outputBytes(result: { output: { text: string }[] }): number {
  return result.output.reduce((sum, line) => sum + Buffer.byteLength(line.text) + 1, 0);
}

describe("output floods", () => {
  it("cuts many lines at the cap, marks the output truncated, and stops the run", async () => {
    const result = await run(
      runner,
      `for (let i = 0; ; i++) console.log("line", i, "x".repeat(100));`,
      {
        limits: { outputBytes: 10_000 },
      },
    );
    expect(result.outcome).toBe("output-limit");
    expect(result.outputTruncated).toBe(true);
    expect(outputBytes(result)).toBeLessThanOrEqual(10_000);
    expect(outputBytes(result)).toBeGreaterThan(9_000);
    expect(result.output[0]?.text).toMatch(/^line 0 x+$/);
    await expectHealthy(runner);
  });

  it("cuts one enormous line at the cap", async () => {
    const result = await run(runner, `console.error("€".repeat(5_000_000));`, {
      limits: { outputBytes: 1_000 },
    });
    expect(result.outcome).toBe("output-limit");
    expect(result.output).toHaveLength(1);
    expect(result.output[0]?.stream).toBe("stderr");
    expect(Buffer.byteLength(result.output[0]!.text)).toBeLessThanOrEqual(1_000);
    expect(result.output[0]!.text).toMatch(/^€+$/);
    await expectHealthy(runner);
  });

  it("stops a flood that swallows errors and keeps printing", async () => {
    const result = await run(
      runner,
      `for (;;) { try { console.log("again"); } catch { /* keep going */ } }`,
      { limits: { outputBytes: 2_000 } },
    );
    expect(result.outcome).toBe("output-limit");
    await expectHealthy(runner);
  });

  // Two limits in one loop: the first one reached ends the run and names the outcome.
  it("reports whichever of the output and packet limits is reached first", async () => {
    const loop = `import { UdpSocket } from "net";
      const socket = UdpSocket.bind("0.0.0.0:0");
      for (;;) { socket.sendTo("x", "10.0.0.7:1000"); console.log("y".repeat(49)); }`;
    const packetsFirst = await run(runner, loop, {
      limits: { maxPackets: 5, outputBytes: 10_000 },
    });
    expect(packetsFirst.outcome).toBe("network-limit");
    expect(packetsFirst.outputTruncated).toBe(false);
    const outputFirst = await run(runner, loop, { limits: { maxPackets: 500, outputBytes: 200 } });
    expect(outputFirst.outcome).toBe("output-limit");
    expect(outputFirst.outputTruncated).toBe(true);
    await expectHealthy(runner);
  });
});
