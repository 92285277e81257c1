// The web app as a newcomer meets it at `/`: a learner joins with the class code and lands on
// the lessons; a teacher signs in with a token and sees their classes; axe-core finds nothing
// serious on either. The page runs under its own CSP, so nothing it needs comes from elsewhere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, createTeacher, expectStatus } from "../helpers/app.ts";
import { expectAccessible, startWebRig, type WebRig } from "./browser.ts";

let rig: WebRig;
let teacherToken: string;
let joinCode: string;

beforeAll(async () => {
  rig = await startWebRig();
  teacherToken = (await createTeacher(rig.t.app)).token;
  joinCode = expectStatus(
    await rig.t.app.inject({
      method: "POST",
      url: "/v1/classes",
      headers: bearer(teacherToken),
      payload: { name: "Networks 101" },
    }),
    201,
  ).joinCode;
}, 180_000);

afterAll(() => rig?.close());

describe("the web app at /", () => {
  it("lets a learner join with the class code", { timeout: 60_000 }, async () => {
    const page = await rig.browser.newPage();
    const failures: string[] = [];
    page.on("console", (message) => message.type() === "error" && failures.push(message.text()));
    await page.goto(`${rig.base}/`);
    await expect.poll(() => page.title()).toBe("packetlab");
    await expectAccessible(page);

    await page.getByLabel("Class code").fill(joinCode.toLowerCase());
    await page.getByLabel("Your name").fill("Ada");
    await page.getByRole("button", { name: "Join the class" }).click();
    await page.getByRole("heading", { name: "Lessons" }).waitFor();
    await page.getByText("Exchanging Messages").first().waitFor();
    expect(failures).toEqual([]);

    // A reload keeps the learner signed in.
    await page.reload();
    await page.getByText("Learner: Ada").waitFor();
    await page.close();
  });

  it("fills the code in from a join link (the class's QR code)", { timeout: 60_000 }, async () => {
    const page = await rig.browser.newPage();
    await page.goto(`${rig.base}/`);
    await page.evaluate("localStorage.clear()");
    await page.reload();
    await page.getByLabel("Class code").waitFor();
    await page.goto(`${rig.base}/#/join/${joinCode}`);
    await page.reload();
    await expect.poll(() => page.getByLabel("Class code").inputValue()).toBe(joinCode);
    await page.close();
  });

  it("says what is wrong with an unknown class code", { timeout: 60_000 }, async () => {
    const page = await rig.browser.newPage();
    await page.goto(`${rig.base}/`);
    await page.evaluate("localStorage.clear()");
    await page.reload();
    await page.getByLabel("Class code").fill("NOSUCHCODE");
    await page.getByLabel("Your name").fill("Bob");
    await page.getByRole("button", { name: "Join the class" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/code/i);
    await page.close();
  });

  it("lets a teacher sign in with a token and see the classes", { timeout: 60_000 }, async () => {
    const page = await rig.browser.newPage();
    await page.goto(`${rig.base}/`);
    await page.evaluate("localStorage.clear()");
    await page.reload();
    await page.getByLabel("Teacher token").fill(teacherToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Networks 101").first().waitFor();
    await expectAccessible(page);
    await page.close();
  });
});
