// What a frontend developer does first: generate types from the live /docs/json with
// openapi-typescript, and program against them. Packets and grades must come out typed (not
// `unknown`, not `any`), with no hand-written type anywhere.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";

const run = promisify(execFile);
const bin = (path: string) => new URL(`../../node_modules/${path}`, import.meta.url).pathname;

let t: TestApp;
let dir: string;
beforeAll(async () => {
  t = await startTestApp({
    grader: {
      gradeSubmission: async () => {
        throw new Error("not used");
      },
    },
  });
  dir = mkdtempSync(join(tmpdir(), "packetlab-openapi-ts-"));
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

// Reads what a packet list, a field table and a grade view read. Each @ts-expect-error line
// must be an error: were the types `any`, it would not be, and tsc fails on the unused directive.
const consumer = `
import type { components, paths } from "./api";

type SubmitResponse =
  paths["/v1/sessions/{sessionId}/submissions"]["post"]["responses"][201]["content"]["application/json"];
type Trace =
  paths["/v1/submissions/{submissionId}/trace"]["get"]["responses"][200]["content"]["application/json"];
type StreamError = components["schemas"]["Error"];

export function firstField(submission: SubmitResponse): number {
  const bitOffset: number = submission.packets[0]!.layers[0]!.fields[0]!.bitOffset;
  // @ts-expect-error a bit offset is a number, not text
  const asText: string = submission.packets[0]!.layers[0]!.fields[0]!.bitOffset;
  void asText;
  return bitOffset;
}

export function verdict(submission: SubmitResponse): string {
  const passed: boolean = submission.grade.checks[0]!.passed;
  const outcome: "ok" | "compile-error" | "runtime-error" | "time-limit" | "memory-limit"
    | "output-limit" | "network-limit" | "internal-error" = submission.outcome;
  // @ts-expect-error "fine" is not an outcome
  const invented: components["schemas"]["Outcome"] = "fine";
  void invented;
  return \`\${outcome}: \${passed ? "passed" : submission.grade.checks.find((c) => !c.passed)?.hint ?? ""}\`;
}

export function dropped(trace: Trace): string[] {
  return trace.packets.flatMap((packet) =>
    packet.fate.status === "dropped" ? [\`\${packet.seq} \${packet.fate.reason}: \${packet.fate.detail}\`] : [],
  );
}

export function errorCode(body: StreamError): components["schemas"]["ErrorCode"] {
  // @ts-expect-error not a code of the registry
  const invented: components["schemas"]["ErrorCode"] = "OOPS";
  void invented;
  return body.error.code;
}
`;

async function typecheck(file: string): Promise<{ ok: boolean; output: string }> {
  try {
    await run(process.execPath, [
      bin("typescript/bin/tsc"),
      "--noEmit",
      "--strict",
      "--noUncheckedIndexedAccess",
      "--target",
      "ES2022",
      "--module",
      "ESNext",
      "--moduleResolution",
      "Bundler",
      "--skipLibCheck",
      file,
    ]);
    return { ok: true, output: "" };
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    return { ok: false, output: stdout + stderr };
  }
}

describe("openapi-typescript on /docs/json", () => {
  it(
    "yields typed packets, grades and error codes that a consumer type-checks against",
    { timeout: 180_000 },
    async () => {
      const base = await t.listen();
      await run(process.execPath, [
        bin("openapi-typescript/bin/cli.js"),
        `${base}/docs/json`,
        "--output",
        join(dir, "api.d.ts"),
      ]);
      writeFileSync(join(dir, "consumer.ts"), consumer);
      const good = await typecheck(join(dir, "consumer.ts"));
      expect(good.output).toBe("");
      expect(good.ok).toBe(true);

      // The control: a field the API does not have is an error, so the check above can fail.
      writeFileSync(
        join(dir, "misreads.ts"),
        `import type { components } from "./api";\n` +
          `export const f = (p: components["schemas"]["Packet"]) => p.layers[0]!.fields[0]!.bitOfset;\n`,
      );
      const bad = await typecheck(join(dir, "misreads.ts"));
      expect(bad.ok).toBe(false);
      expect(bad.output).toMatch(/bitOfset/);
    },
  );
});
