// The last line behind "nothing a run created executes after its result is reported": an idle
// isolate whose CPU time moves is disposed before the next run (src/runner/isolate-slot.ts).
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const PROBE = new URL("./isolate-slot-probe.ts", import.meta.url).pathname;

describe("an isolate between runs", () => {
  it("is reused while idle, and disposed once it has run anything with no run in it", () => {
    const probe = spawnSync(process.execPath, ["--no-node-snapshot", "--import", "tsx", PROBE], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(probe.status, probe.stderr).toBe(0);
    const report = JSON.parse(probe.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      idleNs: "0",
      reusedWhenIdle: true,
      disposed: true,
      freshAfter: true,
    });
    expect(BigInt(report.usedNs as string)).toBeGreaterThan(0n);
  });
});
