// The README's walkthrough is scripts/walkthrough.sh; running it here keeps it true: it starts
// the real service (its own process, port and database) and drives it with curl as a newcomer
// would. Needs bash, curl and node on PATH (.ci/run installs curl).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const script = readFileSync(`${root}scripts/walkthrough.sh`, "utf8");

describe("scripts/walkthrough.sh", () => {
  it("runs top to bottom against a service it starts itself", () => {
    const result = spawnSync("bash", ["scripts/walkthrough.sh"], {
      cwd: root,
      encoding: "utf8",
      timeout: 170_000,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
    });
    const log = `${result.stdout}\n${result.stderr}`;
    expect(result.status, log).toBe(0);
    expect(result.stdout).toContain("first try: passed=false");
    expect(result.stdout).toContain("Alice listens on port 1000; you sent to 100.");
    expect(result.stdout).toMatch(/second try: passed=true score=100, \d+ packets/);
    expect(result.stdout).toContain("learner progress: message-to-alice passed in 2 attempts");
    expect(result.stdout).toContain("class matrix: Ada:");
    expect(result.stdout).toContain("# walkthrough finished");
  }, 180_000);

  it("is the walkthrough the README describes, step by step", () => {
    const readme = readFileSync(`${root}README.md`, "utf8");
    const steps = [...script.matchAll(/^# (\d+\. .+)$/gm)].map((match) => match[1]!);
    expect(steps.length).toBeGreaterThan(4);
    expect(readme).toContain("scripts/walkthrough.sh");
    for (const step of steps) expect(readme).toContain(step);
  });
});
