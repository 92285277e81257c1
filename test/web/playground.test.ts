// The Alice path in a real browser: a learner joins, opens the final exercise, runs the
// reference solution from the editor over the session stream, picks packet 3 and its
// Destination Port, and sees the two bytes 03 e8 highlighted; a wrong port gets its feedback;
// an earlier attempt replays in the same views; the keyboard alone moves through packets,
// fields and bytes. axe-core checks the page with results on it. Without a Rust compiler (this
// rig's app) the language menu offers no Rust.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aliceSolution, bearer, createTeacher, expectStatus } from "../helpers/app.ts";
import { expectAccessible, startWebRig, type WebRig } from "./browser.ts";

let rig: WebRig;
let joinCode: string;
let page: Page;

beforeAll(async () => {
  rig = await startWebRig();
  const teacher = await createTeacher(rig.t.app);
  joinCode = expectStatus(
    await rig.t.app.inject({
      method: "POST",
      url: "/v1/classes",
      headers: bearer(teacher.token),
      payload: { name: "Networks" },
    }),
    201,
  ).joinCode;
  page = await rig.browser.newPage();
  await page.goto(`${rig.base}/`);
  await page.getByLabel("Class code").fill(joinCode);
  await page.getByLabel("Your name").fill("Ada");
  await page.getByRole("button", { name: "Join the class" }).click();
  // The playground lands on the first exercise not yet passed.
  await page.waitForURL(/#\/learn\/exchanging-messages\/look-up-a-name$/);
}, 180_000);

afterAll(() => rig?.close());

/** Replaces the editor's text the way a learner pastes a program. */
async function typeProgram(code: string) {
  const editor = page.locator(".cm-content");
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
}

const highlightedBytes = () => page.locator(".hex-dump .byte.hl").allTextContents();

describe("the learner's playground", () => {
  it(
    "offers only the languages this server runs: no Rust without a compiler",
    { timeout: 60_000 },
    async () => {
      // The exercise has a Rust starter, but this app was built without `languages` (no Rust).
      const exercise = await rig.t.app.inject({ url: "/v1/lessons/exchanging-messages" });
      const lookUp = exercise
        .json()
        .exercises.find((e: { id: string }) => e.id === "look-up-a-name");
      expect(lookUp.starterCodeByLanguage.rust).toBeDefined();
      const options = () => page.getByLabel("Language").locator("option").allTextContents();
      await expect.poll(options).toEqual(["JavaScript", "TypeScript"]);

      // A choice of Rust saved where Rust ran falls back to the exercise's language.
      await page.evaluate(
        `localStorage.setItem("packetlab.draft.exchanging-messages.look-up-a-name.language", "rust")`,
      );
      await page.reload();
      await expect.poll(options).toEqual(["JavaScript", "TypeScript"]);
      expect(await page.getByLabel("Language").inputValue()).toBe(lookUp.language);
    },
  );

  it(
    "runs the Alice solution and links packet, field and bytes",
    { timeout: 120_000 },
    async () => {
      await page.getByRole("link", { name: /Final test: a message for Alice/ }).click();
      await expect
        .poll(() => page.locator("#exercise-title").textContent())
        .toBe("Final test: a message for Alice");
      // The reference solution is TypeScript; the exercise starts in JavaScript.
      await page.getByLabel("Language").selectOption("typescript");
      await typeProgram(aliceSolution);
      await page.getByRole("button", { name: "Run" }).click();
      await page.getByRole("heading", { name: /Passed/ }).waitFor({ timeout: 60_000 });
      await expect.poll(() => page.locator(".packet-rows .packet-row").count()).toBe(4);
      await expect.poll(() => page.locator(".console").textContent()).toMatch(/Alice/);
      // The side list now marks the exercise as passed, in words too.
      await page.getByRole("link", { name: /Final test.*\(passed\)/ }).waitFor();

      await page.locator("#packet-row-3").click();
      await page
        .getByRole("treeitem", { name: /Destination Port: 1000/ })
        .first()
        .click();
      await expect.poll(highlightedBytes).toEqual(["03", "e8"]);
      await expect.poll(() => page.locator("#hex-status").textContent()).toMatch(/03 e8/);

      // Hovering a byte lights its field; clicking it selects that field.
      await page.locator('.hex-dump .byte[data-offset="20"]').click();
      await expect
        .poll(() => page.getByRole("treeitem", { selected: true }).textContent())
        .toMatch(/Source Port/);
      await expectAccessible(page);
    },
  );

  it("works with the keyboard alone", { timeout: 60_000 }, async () => {
    const list = page.getByRole("grid", { name: "Packets" });
    await list.focus();
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await expect
      .poll(() => page.locator("#packet-row-3").getAttribute("aria-selected"))
      .toBe("true");
    // Tab into the field tree, then walk to the UDP layer's destination port.
    await page.keyboard.press("Tab");
    const tree = page.getByRole("tree");
    await expect
      .poll(() => tree.evaluate((el) => el === el.ownerDocument.activeElement))
      .toBe(true);
    for (let i = 0; i < 40; i++) {
      const text = await page.getByRole("treeitem", { selected: true }).textContent();
      if (/^Destination Port/.test(text ?? "")) break;
      await page.keyboard.press("ArrowDown");
    }
    await expect.poll(highlightedBytes).toEqual(["03", "e8"]);
    // In the bytes, → moves to the next field (the UDP length).
    await page.keyboard.press("Tab");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => page.locator("#hex-status").textContent()).toMatch(/^Length/);
  });

  it("shows a wrong answer's feedback", { timeout: 120_000 }, async () => {
    await typeProgram(aliceSolution.replace("ALICE_PORT = 1000", "ALICE_PORT = 100"));
    await page.getByRole("button", { name: "Run" }).click();
    await page.getByRole("heading", { name: /Not yet/ }).waitFor({ timeout: 60_000 });
    const failed = page.locator(".check.failed");
    expect(await failed.count()).toBeGreaterThan(0);
    await expect.poll(() => failed.first().textContent()).toMatch(/Failed:/);
    // The attempts list is fetched again after a run: axe must not run while it changes.
    await expect.poll(() => page.locator(".attempts li").count()).toBe(2);
    await expectAccessible(page);
  });

  it(
    "links a check to its packet and field, by keyboard and by click",
    { timeout: 60_000 },
    async () => {
      const selectedRow = () =>
        page.getByRole("row", { selected: true }).getByRole("gridcell").first();
      const selectedField = () => page.getByRole("treeitem", { selected: true }).textContent();
      // The question to the name server, from the keyboard: Enter on the passed check's link.
      const asked = page.getByRole("button", { name: /^Show packet 1 · Requested Name for/ });
      await asked.focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => selectedRow().textContent()).toBe("1");
      await expect.poll(selectedField).toMatch(/^Requested Name: alice\.packetlab\.test/);
      // Focus went to the field tree: the arrows carry on from the linked field.
      await expect
        .poll(() => page.getByRole("tree").evaluate((el) => el === el.ownerDocument.activeElement))
        .toBe(true);

      // The failing check names the datagram to port 100 and its destination port.
      const reached = page.locator(".check.failed", { hasText: "reached Alice's address" });
      await expect.poll(() => reached.textContent()).toMatch(/you sent to 100/);
      await reached.getByRole("button", { name: /packet 3 · Destination Port/ }).click();
      await expect.poll(() => selectedRow().textContent()).toBe("3");
      await expect.poll(selectedField).toMatch(/^Destination Port: 100/);
      await expect.poll(highlightedBytes).toEqual(["00", "64"]);
      // The field is scrolled into sight inside the tree, which scrolls on its own.
      const inSight = () =>
        page.getByRole("treeitem", { selected: true }).evaluate((item) => {
          const tree = item.closest('[role="tree"]')!.getBoundingClientRect();
          const box = item.getBoundingClientRect();
          return box.top >= tree.top && box.bottom <= tree.bottom;
        });
      await expect.poll(inSight).toBe(true);
      await expectAccessible(page);
    },
  );

  it("replays an earlier attempt in the same views", { timeout: 60_000 }, async () => {
    const attempts = page.locator(".attempts li");
    await expect.poll(() => attempts.count()).toBe(2);
    // The older attempt (listed last) is the one that passed.
    await attempts.last().getByRole("button", { name: "Replay" }).click();
    await page.getByRole("heading", { name: /^Attempt of/ }).waitFor();
    await page.getByRole("heading", { name: /Passed/ }).waitFor();
    await expect.poll(() => page.locator(".packet-rows .packet-row").count()).toBe(4);
    await page.locator("#packet-row-3").click();
    await page
      .getByRole("treeitem", { name: /Destination Port: 1000/ })
      .first()
      .click();
    await expect.poll(highlightedBytes).toEqual(["03", "e8"]);

    await page.getByRole("button", { name: "Ladder diagram" }).click();
    await expect.poll(() => page.locator(".ladder .arrow").count()).toBe(4);
    await expect
      .poll(() => page.locator(".ladder .lane-name").allTextContents())
      .toEqual(["you", "name server", "Alice"]);
  });
});
