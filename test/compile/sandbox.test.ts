// What the compiler's sandbox (prlimit → bwrap → rustc) leaves to the process that runs it: the
// compiler's CPU time, reaped into this process's children's time when rustc exits. That is
// what getrusage and /proc's cutime report, and what the benches add up per process tree.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rustAvailable, testCompiler } from "../helpers/rust.ts";

/** CPU ms of the children this process has waited for (cutime + cstime, /proc/self/stat). */
function reapedCpuMs(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 of proc(5); cutime and cstime are fields 16 and 17, in 10 ms ticks.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

describe.skipIf(!rustAvailable)("the compiler's sandbox", () => {
  it("gives rustc's CPU time back to the process that ran it", async () => {
    const compiler = testCompiler();
    const before = reapedCpuMs();
    try {
      // Building the std facade takes rustc ~0.45 s of CPU here (rustc's start alone is more
      // than 0.1 s); behind bwrap's own PID 1 this process saw 60 ms, bwrap's and prlimit's.
      await compiler.warm();
    } finally {
      await compiler.close();
    }
    expect(reapedCpuMs() - before).toBeGreaterThan(120);
  });
});
