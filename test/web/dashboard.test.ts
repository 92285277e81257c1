// The teacher's dashboard in a real browser: create a class and show its code (and QR code);
// the matrix changes from the class's activity feed (Server-Sent Events) while learners join and
// submit, without asking for the matrix again; the stuck and inactive filters; a learner's
// attempts show their code, grade and packets; without the feed the matrix is polled. axe-core
// checks the page.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALICE,
  aliceSolution,
  bearer,
  classroom,
  createTeacher,
  expectStatus,
  joinAndStart,
  submit,
} from "../helpers/app.ts";
import { expectAccessible, startWebRig, type WebRig } from "./browser.ts";

let rig: WebRig;
let teacherToken: string;
let page: Page;
/** Every request the page made: its method, path and kind (fetch, eventsource…). */
const requests: { method: string; path: string; type: string }[] = [];
const progressRequests = () =>
  requests.filter((r) => r.method === "GET" && /^\/v1\/classes\/[^/]+\/progress$/.test(r.path))
    .length;

beforeAll(async () => {
  rig = await startWebRig();
  teacherToken = (await createTeacher(rig.t.app)).token;
  page = await rig.browser.newPage();
  page.on("request", (request) =>
    requests.push({
      method: request.method(),
      path: new URL(request.url()).pathname,
      type: request.resourceType(),
    }),
  );
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
    await page.locator('.live-state[data-state="live"]').waitFor();
    await expectAccessible(page);
  });

  it(
    "updates the matrix from the live feed while a learner joins and submits",
    { timeout: 120_000 },
    async () => {
      await page.locator('.live-state[data-state="live"]').waitFor();
      const asked = progressRequests();
      expect(asked).toBeGreaterThan(0);
      const code = (await page.locator(".join-code").textContent())!;
      const learner = await joinAndStart(rig.t.app, code, "Ada");
      const cell = page.locator("tr", { hasText: "Ada" }).locator(`td[data-exercise="${ALICE}"]`);
      await expect
        .poll(() => cell.getAttribute("data-status"), { timeout: 30_000 })
        .toBe("not-started");

      const wrong = aliceSolution.replace("ALICE_PORT = 1000", "ALICE_PORT = 100");
      expectStatus(
        await submit(rig.t.app, learner.token, learner.session.id, { code: wrong }),
        201,
      );
      await expect
        .poll(() => cell.getAttribute("data-status"), { timeout: 30_000 })
        .toBe("attempted");
      // The latest attempt's first failing check, in words, as the API names it.
      const klass = expectStatus(
        await rig.t.app.inject({
          method: "GET",
          url: "/v1/classes",
          headers: bearer(teacherToken),
        }),
        200,
      ).items[0];
      const matrix = expectStatus(
        await rig.t.app.inject({
          method: "GET",
          url: `/v1/classes/${klass.id}/progress`,
          headers: bearer(teacherToken),
        }),
        200,
      );
      const index = matrix.exercises.findIndex(
        (e: { exerciseId: string }) => e.exerciseId === ALICE,
      );
      const failing = matrix.learners[0].cells[index].latest.firstFailedCheck.title;
      await expect.poll(() => cell.locator(".cell-note").textContent()).toBe(`fails: ${failing}`);
      expectStatus(
        await submit(rig.t.app, learner.token, learner.session.id, { exerciseId: ALICE }),
        201,
      );
      await expect.poll(() => cell.getAttribute("data-status"), { timeout: 30_000 }).toBe("passed");
      await expect.poll(() => cell.textContent()).toMatch(/✓ passed/);

      // All of it came through the feed: an EventSource on the activity route, and the matrix
      // was not asked for again.
      expect(requests.some((r) => r.type === "eventsource" && /\/activity$/.test(r.path))).toBe(
        true,
      );
      expect(progressRequests()).toBe(asked);
    },
  );

  it("filters to stuck and to inactive learners", { timeout: 120_000 }, async () => {
    const code = (await page.locator(".join-code").textContent())!;
    const bob = await joinAndStart(rig.t.app, code, "Bob");
    await joinAndStart(rig.t.app, code, "Cy");
    const wrong = aliceSolution.replace("ALICE_PORT = 1000", "ALICE_PORT = 100");
    for (let i = 0; i < 3; i++) {
      expectStatus(await submit(rig.t.app, bob.token, bob.session.id, { code: wrong }), 201);
    }
    const bobCell = page.locator("tr", { hasText: "Bob" }).locator(`td[data-exercise="${ALICE}"]`);
    await expect
      .poll(() => bobCell.getAttribute("data-stuck"), { timeout: 30_000 })
      .toBe("repeated-code");
    await expect.poll(() => bobCell.textContent()).toMatch(/⚠ stuck/);

    const names = () => page.locator(".matrix tbody th").allTextContents();
    const show = page.getByLabel("Show");
    await show.selectOption("stuck");
    await expect.poll(names).toEqual(["Bob"]);
    await show.selectOption("inactive");
    await expect.poll(names).toEqual(["Cy"]);
    await show.selectOption("all");
    await expect.poll(names).toEqual(["Ada", "Bob", "Cy"]);
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

  it("exports the matrix as CSV through a signed link", { timeout: 60_000 }, async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^class-[0-9a-f-]{36}-progress\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8");
    const lines = csv.trim().split(/\r?\n/);
    expect(lines.filter((line) => line.includes("Ada")).length).toBeGreaterThan(0);
    expect(
      lines.some((line) => line.includes("Bob") && line.includes("Sent the same program")),
    ).toBe(true);
  });

  it("polls for the matrix when the live feed cannot be opened", { timeout: 120_000 }, async () => {
    const polled = await rig.browser.newPage();
    await polled.route(/\/v1\/classes\/[^/]+\/activity/, (route) => route.abort());
    await polled.goto(page.url());
    await polled.locator('.live-state[data-state="polling"]').waitFor({ timeout: 60_000 });
    const code = (await polled.locator(".join-code").textContent())!;
    const late = await joinAndStart(rig.t.app, code, "Dee");
    const cell = polled.locator("tr", { hasText: "Dee" }).locator(`td[data-exercise="${ALICE}"]`);
    expectStatus(await submit(rig.t.app, late.token, late.session.id, {}), 201);
    await expect.poll(() => cell.getAttribute("data-status"), { timeout: 30_000 }).toBe("passed");
    await expectAccessible(polled);
    await polled.close();
  });

  it(
    "opens the feed again on a fresh link, resuming after the last event, when it is refused",
    { timeout: 120_000 },
    async () => {
      const { teacher, klass, learner } = await classroom(rig.t.app, "Eve");
      const lastId = `${new Date(0).toISOString()},${learner.learnerId}`;
      const seen: URL[] = [];
      const feed = await rig.browser.newPage();
      // 1: a stream that ends after one event (as a restart would end it); 2: the browser's own
      // reconnection, refused as an expired link is; 3 on: the real feed.
      await feed.route(/\/v1\/classes\/[^/]+\/activity/, async (route) => {
        seen.push(new URL(route.request().url()));
        if (seen.length === 1) {
          const data = {
            type: "learner-joined",
            learnerId: learner.learnerId,
            displayName: "Eve",
            joinedAt: new Date(0).toISOString(),
          };
          await route.fulfill({
            status: 200,
            contentType: "text/event-stream",
            body: `retry: 50\nid: ${lastId}\nevent: learner-joined\ndata: ${JSON.stringify(data)}\n\n`,
          });
        } else if (seen.length === 2) {
          await route.fulfill({
            status: 401,
            contentType: "application/json",
            body: JSON.stringify({ error: { code: "UNAUTHENTICATED", message: "expired" } }),
          });
        } else {
          await route.continue();
        }
      });
      await feed.goto(`${rig.base}/`);
      const account = { role: "teacher", token: teacher.token, name: "Ms Frizzle" };
      await feed.evaluate(
        `localStorage.setItem("packetlab.account", ${JSON.stringify(JSON.stringify(account))})`,
      );
      await feed.goto(`${rig.base}/#/teach/${klass.id}`);
      await feed.reload(); // the account is read when the app starts
      await expect.poll(() => seen.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
      await feed.locator('.live-state[data-state="live"]').waitFor({ timeout: 30_000 });

      // (The browser's own reconnection sends Last-Event-ID, which interception does not show.)
      expect(seen[2]!.searchParams.get("expires")).not.toBe(seen[0]!.searchParams.get("expires"));
      expect(seen[2]!.searchParams.get("lastEventId")).toBe(lastId);
      expect(seen[2]!.searchParams.get("signature")).toBeTruthy();
      const cell = feed.locator("tr", { hasText: "Eve" }).locator(`td[data-exercise="${ALICE}"]`);
      expectStatus(await submit(rig.t.app, learner.token, learner.session.id, {}), 201);
      await expect.poll(() => cell.getAttribute("data-status"), { timeout: 30_000 }).toBe("passed");
      await feed.close();
    },
  );
});
