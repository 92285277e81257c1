// The teacher's dashboard in a real browser: create a class and show its code (and QR code);
// the matrix changes while a learner submits, without a reload; a learner's attempts show
// their code, grade and packets. axe-core checks the page.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALICE,
  aliceSolution,
  bearer,
  expectStatus,
  joinAndStart,
  OPERATOR_TOKEN,
  submit,
} from "../helpers/app.ts";
import { expectAccessible, startWebRig, type WebRig } from "./browser.ts";

let rig: WebRig;
let teacherToken: string;
let page: Page;

beforeAll(async () => {
  rig = await startWebRig();
  teacherToken = expectStatus(
    await rig.t.app.inject({
      method: "POST",
      url: "/v1/teachers",
      headers: bearer(OPERATOR_TOKEN),
      payload: { name: "Ms Frizzle" },
    }),
    201,
  ).token;
  page = await rig.browser.newPage();
  await page.goto(`${rig.base}/`);
  await page.getByLabel("Teacher token").fill(teacherToken);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Classes" }).waitFor();
}, 180_000);

afterAll(() => rig?.close());

describe("the teacher's dashboard", () => {
  it("creates a class and shows its join code", { timeout: 60_000 }, async () => {
    await page.getByLabel("New class").fill("Networks 101");
    await page.getByRole("button", { name: "Create the class" }).click();
    await page.getByRole("heading", { name: "Networks 101" }).waitFor();
    const code = (await page.locator(".join-code").textContent())!;
    expect(code).toMatch(/^[A-Z0-9]{8,10}$/);
    await page.getByRole("button", { name: "Show a QR code" }).click();
    await page.getByRole("img", { name: /QR code of the join link/ }).waitFor();
    await expectAccessible(page);
  });

  it("updates the matrix while a learner submits", { timeout: 120_000 }, async () => {
    const code = (await page.locator(".join-code").textContent())!;
    const learner = await joinAndStart(rig.t.app, code, "Ada");
    const cell = page.locator("tr", { hasText: "Ada" }).locator(`td[data-exercise="${ALICE}"]`);
    await expect
      .poll(() => cell.getAttribute("data-status"), { timeout: 30_000 })
      .toBe("not-started");

    const wrong = aliceSolution.replace("ALICE_PORT = 1000", "ALICE_PORT = 100");
    expectStatus(await submit(rig.t.app, learner.token, learner.session.id, { code: wrong }), 201);
    await expect
      .poll(() => cell.getAttribute("data-status"), { timeout: 30_000 })
      .toBe("attempted");
    expectStatus(
      await submit(rig.t.app, learner.token, learner.session.id, { exerciseId: ALICE }),
      201,
    );
    await expect.poll(() => cell.getAttribute("data-status"), { timeout: 30_000 }).toBe("passed");
    await expect.poll(() => cell.textContent()).toMatch(/✓ passed/);
  });

  it(
    "shows a learner's attempts with the code's changes and the packets",
    { timeout: 60_000 },
    async () => {
      await page.getByRole("button", { name: "Ada" }).click();
      await page.getByRole("heading", { name: "Attempts of Ada" }).waitFor();
      const attempts = page.locator(".learner-attempts > li");
      await expect.poll(() => attempts.count()).toBe(2);
      const newest = attempts.first();
      await newest.getByText(/Code \(changes since the previous attempt\)/).click();
      await expect
        .poll(() => newest.locator(".diff-added").allTextContents())
        .toEqual(["+ const ALICE_PORT = 1000;"]);
      await newest.getByRole("button", { name: "Show its packets" }).click();
      await expect.poll(() => newest.locator(".packet-rows .packet-row").count()).toBe(4);
      await expectAccessible(page);
    },
  );
});
