// The README's curl example of an asynchronous submission, run as written (bash and curl)
// against the real service listening on a port, with the variables the README says it needs.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classroom, startTestApp, type TestApp } from "../helpers/app.ts";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const block = /<!-- async-example:start -->\n([\s\S]*?)<!-- async-example:end -->/.exec(readme);

/** Runs the script in bash (not spawnSync: the service answers on this event loop). */
function runBash(script: string, cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn("bash", ["-euo", "pipefail", "-c", script], {
      cwd,
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 100_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

let t: TestApp;
let api: string;
beforeAll(async () => {
  t = await startTestApp();
  api = await t.listen();
});
afterAll(async () => t.close());

describe("the README's asynchronous submission example", () => {
  it("submits with Prefer: respond-async, polls the Location and prints the graded submission", async () => {
    expect(block, "README.md lacks the async-example markers").not.toBeNull();
    const script = block![1]!.replace(/^ {4}/gm, "");
    const { learner } = await classroom(t.app);
    const dir = mkdtempSync(join(tmpdir(), "packetlab-async-readme-"));
    try {
      const result = await runBash(script, dir, {
        API: api,
        LEARNER: learner.token,
        SESSION: learner.session.id,
      });
      expect(result.code, result.output).toBe(0);
      const submission = JSON.parse(readFileSync(join(dir, "submission.json"), "utf8"));
      expect(submission).toMatchObject({
        sessionId: learner.session.id,
        exerciseId: "message-to-alice",
        outcome: "ok",
        passed: false,
        output: [{ stream: "stdout", text: "hi" }],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
