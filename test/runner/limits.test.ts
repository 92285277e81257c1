import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, clampLimits } from "../../src/runner/limits.ts";

describe("clampLimits", () => {
  it("keeps the configured limits when the request asks for nothing", () => {
    expect(clampLimits(DEFAULT_LIMITS)).toEqual(DEFAULT_LIMITS);
  });

  it("lets a request lower a limit but never raise one", () => {
    const limits = clampLimits(DEFAULT_LIMITS, { cpuMs: 100, wallMs: 10 ** 9, maxPackets: 5 });
    expect(limits.cpuMs).toBe(100);
    expect(limits.wallMs).toBe(DEFAULT_LIMITS.wallMs);
    expect(limits.maxPackets).toBe(5);
  });

  it("ignores values that are not positive finite numbers", () => {
    const limits = clampLimits(DEFAULT_LIMITS, {
      cpuMs: -1,
      wallMs: Number.NaN,
      outputBytes: Infinity,
      memoryMb: "1" as unknown as number,
    });
    expect(limits).toEqual(DEFAULT_LIMITS);
  });

  it("keeps the isolate's heap at its 8 MB minimum", () => {
    expect(clampLimits(DEFAULT_LIMITS, { memoryMb: 1 }).memoryMb).toBe(8);
  });
});
