// The roster actions of the teacher's dashboard in a real browser, each behind a modal dialog:
// rename, merge a duplicate, remove (and the API's error when the learner is already gone),
// close and open the class to new learners, delete the class. The dialogs keep focus, Escape
// cancels, focus goes back to the button that opened them, and axe-core checks them open. The
// same changes made through the API (another session: a script, another tab) show on the open
// dashboard without a reload, from the class's activity feed, the class's deletion too.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, createTeacher, expectStatus, joinAndStart } from "../helpers/app.ts";
import { expectAccessible, startWebRig, type WebRig } from "./browser.ts";

let rig: WebRig;
let teacherToken: string;
let page: Page;
let classId: string;
let joinCode: string;
let adaId: string;

beforeAll(async () => {
  rig = await startWebRig();
  teacherToken = (await createTeacher(rig.t.app)).token;
  const klass = expectStatus(
    await rig.t.app.inject({
      method: "POST",
      url: "/v1/classes",
      headers: bearer(teacherToken),
      payload: { name: "Roster 101" },
    }),
    201,
  );
  classId = klass.id;
  joinCode = klass.joinCode;
  page = await rig.browser.newPage();
  await page.goto(`${rig.base}/`);
  await page.getByLabel("Teacher token").fill(teacherToken);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Roster 101" }).click();
  await page.getByRole("heading", { name: "Roster 101" }).waitFor();
}, 180_000);

afterAll(() => rig?.close());

const rowNames = () => page.locator(".matrix tbody th").allTextContents();
const dialog = () => page.getByRole("dialog");
/** The focused element's tag and text, as the page sees it. */
const focused = () =>
  page.locator("body").evaluate((body) => {
    const active = body.ownerDocument.activeElement;
    return { tag: active?.tagName, text: active?.textContent };
  });

async function openLearner(name: string) {
  await page.locator(".matrix tbody th").getByRole("button", { name, exact: true }).click();
  await page.getByRole("heading", { name: `Attempts of ${name}` }).waitFor();
}

describe("the roster actions", () => {
  it("renames a learner in an accessible dialog", { timeout: 60_000 }, async () => {
    adaId = (await joinAndStart(rig.t.app, joinCode, "Ada")).learnerId;
    await expect.poll(rowNames, { timeout: 30_000 }).toEqual(["Ada"]);
    await openLearner("Ada");

    const rename = page.getByRole("button", { name: "Rename", exact: true });
    await rename.click();
    await dialog().waitFor();
    expect(await dialog().getAttribute("aria-labelledby")).toBeTruthy();
    // Focus starts in the name field; axe-core finds nothing serious with the dialog open.
    await expect.poll(async () => (await focused()).tag).toBe("INPUT");
    await expectAccessible(page);
    // Escape cancels, and focus returns to the button that opened it.
    await page.keyboard.press("Escape");
    await dialog().waitFor({ state: "detached" });
    await expect.poll(async () => (await focused()).text).toBe("Rename");

    await rename.click();
    await dialog().getByLabel("New name").fill("Ada Lovelace");
    await dialog().getByRole("button", { name: "Rename" }).click();
    await dialog().waitFor({ state: "detached" });
    await expect.poll(rowNames).toEqual(["Ada Lovelace"]);
    await page.getByRole("heading", { name: "Attempts of Ada Lovelace" }).waitFor();
  });

  it("merges a learner who joined twice", { timeout: 60_000 }, async () => {
    await joinAndStart(rig.t.app, joinCode, "Ada again");
    await expect.poll(rowNames, { timeout: 30_000 }).toEqual(["Ada Lovelace", "Ada again"]);
    await page.getByRole("button", { name: "Merge a duplicate into Ada Lovelace" }).click();
    await dialog().waitFor();
    // A destructive action starts on Cancel.
    await expect.poll(async () => (await focused()).text).toBe("Cancel");
    await expectAccessible(page);
    await dialog().getByLabel("Duplicate").selectOption({ label: "Ada again" });
    await dialog().getByRole("button", { name: "Merge" }).click();
    await dialog().waitFor({ state: "detached" });
    await expect.poll(rowNames).toEqual(["Ada Lovelace"]);
  });

  it(
    "removes a learner, and shows the API's error in the dialog",
    { timeout: 60_000 },
    async () => {
      const bob = await joinAndStart(rig.t.app, joinCode, "Bob");
      const cy = await joinAndStart(rig.t.app, joinCode, "Cy");
      await expect.poll(rowNames, { timeout: 30_000 }).toEqual(["Ada Lovelace", "Bob", "Cy"]);

      // Cy is removed elsewhere (another tab, the API) while the dialog is open.
      await openLearner("Cy");
      await page.getByRole("button", { name: "Remove from the class" }).click();
      await dialog().waitFor();
      expectStatus(
        await rig.t.app.inject({
          method: "DELETE",
          url: `/v1/classes/${classId}/learners/${cy.learnerId}`,
          headers: bearer(teacherToken),
        }),
        204,
      );
      await dialog().getByRole("button", { name: "Remove" }).click();
      await expect
        .poll(() => dialog().getByRole("alert").textContent())
        .toMatch(/The class has no learner/);
      await expectAccessible(page);
      await dialog().getByRole("button", { name: "Cancel" }).click();
      await dialog().waitFor({ state: "detached" });

      await openLearner("Bob");
      await page.getByRole("button", { name: "Remove from the class" }).click();
      await dialog().getByRole("button", { name: "Remove" }).click();
      await dialog().waitFor({ state: "detached" });
      await expect.poll(rowNames).toEqual(["Ada Lovelace"]);
      // Bob's token no longer works.
      const me = await rig.t.app.inject({
        method: "GET",
        url: "/v1/me",
        headers: bearer(bob.token),
      });
      expect(me.statusCode).toBe(401);
    },
  );

  it("closes and opens the class to new learners", { timeout: 60_000 }, async () => {
    const join = () =>
      rig.t.app.inject({
        method: "POST",
        url: "/v1/classes/join",
        payload: { joinCode, displayName: "Late" },
      });
    await page.getByRole("button", { name: "Close to new learners" }).click();
    await page.getByText("Closed to new learners").waitFor();
    const refused = await join();
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe("CLASS_CLOSED");
    await page.getByRole("button", { name: "Open to new learners" }).click();
    await page.getByText("Open to new learners.").waitFor();
    expectStatus(await join(), 201);
  });

  it(
    "shows a rename, a removal and a closing made elsewhere, without reloading",
    { timeout: 60_000 },
    async () => {
      // Gone if the page reloads.
      await page.evaluate("window.notReloaded = true");
      const eve = await joinAndStart(rig.t.app, joinCode, "Eve");
      await expect.poll(rowNames, { timeout: 30_000 }).toEqual(["Ada Lovelace", "Late", "Eve"]);
      await openLearner("Eve");
      const asTeacher = async (method: "PATCH" | "DELETE", url: string, payload?: object) =>
        rig.t.app.inject({ method, url, headers: bearer(teacherToken), payload });

      expectStatus(
        await asTeacher("PATCH", `/v1/classes/${classId}/learners/${adaId}`, {
          displayName: "Ada King",
        }),
        200,
      );
      await expect.poll(rowNames, { timeout: 30_000 }).toEqual(["Ada King", "Late", "Eve"]);

      expect(
        (await asTeacher("DELETE", `/v1/classes/${classId}/learners/${eve.learnerId}`)).statusCode,
      ).toBe(204);
      await expect.poll(rowNames, { timeout: 30_000 }).toEqual(["Ada King", "Late"]);
      await page.getByText("Eve is no longer in the class").waitFor();

      expectStatus(await asTeacher("PATCH", `/v1/classes/${classId}`, { joinsOpen: false }), 200);
      await page.getByText("Closed to new learners").waitFor({ timeout: 30_000 });
      expect(await page.evaluate("window.notReloaded")).toBe(true);
      await expectAccessible(page);
    },
  );

  it("deletes the class after asking", { timeout: 60_000 }, async () => {
    await page.getByRole("button", { name: "Delete the class" }).click();
    await dialog().waitFor();
    await expectAccessible(page);
    await dialog().getByRole("button", { name: "Delete the class" }).click();
    await page.getByText("Choose a class, or create one.").waitFor();
    await expect.poll(() => page.getByRole("link", { name: "Roster 101" }).count()).toBe(0);
    const gone = await rig.t.app.inject({
      method: "GET",
      url: `/v1/classes/${classId}/progress`,
      headers: bearer(teacherToken),
    });
    expect(gone.statusCode).toBe(404);
  });

  it("says so when the class shown is deleted elsewhere", { timeout: 60_000 }, async () => {
    await page.getByLabel("New class").fill("Doomed 101");
    await page.getByRole("button", { name: "Create the class" }).click();
    await page.getByRole("heading", { name: "Doomed 101" }).waitFor();
    await page.locator('.live-state[data-state="live"]').waitFor({ timeout: 30_000 });
    const doomedId = (await page.evaluate("location.hash")) as string;
    expect(
      (
        await rig.t.app.inject({
          method: "DELETE",
          url: `/v1/classes/${doomedId.split("/").at(-1)}`,
          headers: bearer(teacherToken),
        })
      ).statusCode,
    ).toBe(204);
    await page.getByRole("alert").getByText("This class was deleted.").waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByRole("link", { name: "Doomed 101" }).count()).toBe(0);
    // Only the notice: no error from a request about the class.
    expect(await page.getByRole("alert").allTextContents()).toEqual(["This class was deleted."]);
    await expectAccessible(page);
    await page.getByRole("link", { name: "Back to your classes" }).click();
    await page.getByText("Choose a class, or create one.").waitFor();
  });
});
