// Regenerates the README's screenshots (docs/web-*.png) from the real app: a fresh database, the
// real lessons and sandbox, Debian's Chromium. A learner runs the Alice solution and selects the
// destination port of packet 3; a teacher looks at the class.
//   node --no-node-snapshot --import tsx scripts/web-screenshots.ts
import { fileURLToPath } from "node:url";
import {
  aliceSolution,
  bearer,
  expectStatus,
  joinAndStart,
  OPERATOR_TOKEN,
  submit,
} from "../test/helpers/app.ts";
import { startWebRig } from "../test/web/browser.ts";

const docs = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));

const rig = await startWebRig();
try {
  const { app } = rig.t;
  const teacher = expectStatus(
    await app.inject({
      method: "POST",
      url: "/v1/teachers",
      headers: bearer(OPERATOR_TOKEN),
      payload: { name: "Ms Frizzle" },
    }),
    201,
  );
  const klass = expectStatus(
    await app.inject({
      method: "POST",
      url: "/v1/classes",
      headers: bearer(teacher.token),
      payload: { name: "Networks 101" },
    }),
    201,
  );
  // Two classmates, one done and one not, so the matrix has something to say.
  const grace = await joinAndStart(app, klass.joinCode, "Grace");
  await submit(app, grace.token, grace.session.id, {});
  const linus = await joinAndStart(app, klass.joinCode, "Linus");
  const wrong = aliceSolution.replace("ALICE_PORT = 1000", "ALICE_PORT = 100");
  for (let i = 0; i < 2; i++) await submit(app, linus.token, linus.session.id, { code: wrong });

  const page = await rig.browser.newPage();
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(`${rig.base}/`);
  await page.getByLabel("Class code").fill(klass.joinCode);
  await page.getByLabel("Your name").fill("Ada");
  await page.getByRole("button", { name: "Join the class" }).click();
  await page.waitForURL(/#\/learn\//);
  await page.goto(`${rig.base}/#/learn/exchanging-messages/message-to-alice`);
  await page.getByLabel("Language").selectOption("typescript");
  await page.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(aliceSolution);
  await page.getByRole("button", { name: "Run" }).click();
  await page.getByRole("heading", { name: /Passed/ }).waitFor({ timeout: 60_000 });
  await page.locator("#packet-row-3").click();
  await page
    .getByRole("treeitem", { name: /Destination Port: 1000/ })
    .first()
    .click();
  await page.screenshot({ path: docs("web-playground.png"), fullPage: true });

  const teacherPage = await rig.browser.newPage();
  await teacherPage.setViewportSize({ width: 1440, height: 900 });
  await teacherPage.goto(`${rig.base}/`);
  await teacherPage.evaluate("localStorage.clear()");
  await teacherPage.reload();
  await teacherPage.getByLabel("Teacher token").fill(teacher.token);
  await teacherPage.getByRole("button", { name: "Sign in" }).click();
  await teacherPage.getByRole("link", { name: "Networks 101" }).click();
  await teacherPage.locator("tr", { hasText: "Ada" }).waitFor();
  await teacherPage.locator('.live-state[data-state="live"]').waitFor();
  await teacherPage.screenshot({ path: docs("web-dashboard.png"), fullPage: true });
  console.log("wrote docs/web-playground.png and docs/web-dashboard.png");
} finally {
  await rig.close();
}
