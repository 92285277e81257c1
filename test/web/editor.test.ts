// The editor in a real browser: TypeScript's problems marked as the learner types (a call with an
// argument of the wrong type), the language switch to Rust with its starter, the lesson's Rust
// solution run from the editor and passed, a rustc compile error shown at its line in the code
// and in full in the output, and the language and drafts kept across a reload. axe-core checks
// the page with the marks on it.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withCompiler } from "../../src/compile/compiling-runner.ts";
import { createGrader, loadLessons } from "../../src/grading/index.ts";
import { LANGUAGES } from "../../src/http/submitter.ts";
import { createRunner } from "../../src/runner/index.ts";
import { rustAvailable, testCompiler } from "../helpers/rust.ts";
import { expectAccessible, openAliceAsLearner, startWebRig, type WebRig } from "./browser.ts";

const lessons = new URL("../../lessons", import.meta.url).pathname;
const rustSolution = readFileSync(
  `${lessons}/exchanging-messages/05-message-to-alice/solution.rs`,
  "utf8",
);
const rustStarter = readFileSync(
  `${lessons}/exchanging-messages/05-message-to-alice/starter.rs`,
  "utf8",
);
const wrongArgument = `import { UdpSocket } from "net";
const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("hello", 1000);
`;
// rustc: error[E0433] at line 2, column 18 (UdpSocket is not imported).
const brokenRust = `fn main() {
    let socket = UdpSocket::bind("0.0.0.0:0");
}
`;

let rig: WebRig;
let page: Page;
const compiler = rustAvailable ? testCompiler() : undefined;
const pool = rustAvailable ? createRunner({ workers: 1 }) : undefined;

beforeAll(async () => {
  const rust =
    compiler && pool
      ? {
          grader: createGrader({
            catalogue: await loadLessons(lessons),
            runner: withCompiler(pool, compiler),
          }),
          runner: pool,
          languages: LANGUAGES,
        }
      : {};
  rig = await startWebRig({}, rust);
  ({ page } = await openAliceAsLearner(rig));
}, 180_000);

afterAll(async () => {
  await rig?.close();
  await pool?.close();
  await compiler?.close();
});

/** Replaces the editor's text the way a learner pastes a program. */
async function typeProgram(code: string) {
  const editor = page.locator(".cm-content");
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
}

const editorText = () =>
  page.locator(".cm-content .cm-line").evaluateAll((lines) =>
    lines
      .map((line) => line.textContent)
      .join("\n")
      .trimEnd(),
  );

describe("the editor", () => {
  it(
    "marks a call's argument of the wrong type as the learner types",
    { timeout: 120_000 },
    async () => {
      await page.getByLabel("Language").selectOption("typescript");
      await typeProgram(wrongArgument);
      // TypeScript loads in its worker on the first keystroke; then the mark appears.
      const mark = page.locator(".cm-lintRange-error");
      await mark.first().waitFor({ timeout: 90_000 });
      expect(await mark.allTextContents()).toEqual(["1000"]);
      // The problems panel (Ctrl/Cmd-Shift-M, for the keyboard and screen readers) names it.
      await page.keyboard.press("ControlOrMeta+Shift+KeyM");
      await expect
        .poll(() => page.locator(".cm-panel-lint li").allTextContents())
        .toEqual([
          expect.stringMatching(
            /Argument of type 'number' is not assignable to parameter of type 'ToSocketAddr'/,
          ),
        ]);
      await expectAccessible(page);
      await page.keyboard.press("Escape");

      // The mouse over a name shows its type.
      await page.locator(".cm-line span", { hasText: /^bind$/ }).hover();
      await expect
        .poll(() => page.locator(".cm-type-info code").textContent())
        .toBe("(method) UdpSocket.bind(addr: ToSocketAddr): UdpSocket");

      // Fixed, the mark goes.
      await typeProgram(wrongArgument.replace("1000", '"10.0.0.7:1000"'));
      await expect.poll(() => mark.count(), { timeout: 30_000 }).toBe(0);
    },
  );

  it.skipIf(!rustAvailable)(
    "switches to Rust with its starter, and passes with the lesson's solution",
    { timeout: 180_000 },
    async () => {
      await page.getByLabel("Language").selectOption("rust");
      await expect.poll(editorText).toBe(rustStarter.trimEnd());
      await typeProgram(rustSolution);
      await page.getByRole("button", { name: "Run" }).click();
      await page.getByRole("heading", { name: /Passed/ }).waitFor({ timeout: 150_000 });
      await expect.poll(() => page.locator(".console").textContent()).toMatch(/Alice/);
    },
  );

  it.skipIf(!rustAvailable)(
    "shows a compile error at its line, and rustc's words in the output",
    { timeout: 180_000 },
    async () => {
      await typeProgram(brokenRust);
      await page.getByRole("button", { name: "Run" }).click();
      const mark = page.locator(".cm-lintRange-error");
      await mark.first().waitFor({ timeout: 150_000 });
      // Line 2, from column 18 to the end of the line.
      expect(await page.locator(".cm-line").nth(1).locator(".cm-lintRange-error").count()).toBe(1);
      expect(await mark.allTextContents()).toEqual(['UdpSocket::bind("0.0.0.0:0");']);
      await expect
        .poll(() => page.locator(".console").textContent())
        .toMatch(/error\[E0433\][\s\S]*main\.rs:2:18/);
      // The attempts list is fetched again after a run: axe must not run while it changes.
      await expect.poll(() => page.locator(".attempts li").count()).toBe(2);
      await expectAccessible(page);
    },
  );

  it.skipIf(!rustAvailable)(
    "keeps the language and each language's draft across a reload",
    { timeout: 60_000 },
    async () => {
      await page.reload();
      await page.locator(".cm-content").waitFor();
      await expect.poll(() => page.getByLabel("Language").inputValue()).toBe("rust");
      await expect.poll(editorText).toBe(brokenRust.trimEnd());
      // JavaScript and TypeScript share their draft; Rust keeps its own.
      await page.getByLabel("Language").selectOption("typescript");
      await expect.poll(editorText).toMatch(/"10\.0\.0\.7:1000"/);
    },
  );
});
