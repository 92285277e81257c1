// A run of 1,000 packets in a real browser: the packet list and the ladder keep only the rows in
// view in the DOM (plus the selected one), the list follows the run to its last packet as it
// streams in, the keyboard reaches packet 1000 with End (in the list and in the ladder) and the
// tree and bytes follow it, and axe-core still finds the page sound with most rows not drawn.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, classroom, expectStatus } from "../helpers/app.ts";
import { expectAccessible, openSignedIn, startWebRig, type WebRig } from "./browser.ts";

// Each name query is answered: two packets a loop, until the run's packet limit (1,000) stops it.
const chatty = `import { UdpSocket } from "net";
const socket = UdpSocket.bind("0.0.0.0:0");
for (let i = 0; i < 520; i++) socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
socket.setReadTimeout(50);
try { for (;;) socket.recvFrom(); } catch {}
`;

let rig: WebRig;
let page: Page;
let token: string;

beforeAll(async () => {
  // The whole run is stored, so the test can compare what the views show with it.
  rig = await startWebRig({ TRACE_MAX_PACKETS: "1000", TRACE_MAX_BYTES: "16777216" });
  const { learner } = await classroom(rig.t.app, "Lin");
  token = learner.token;
  page = await rig.browser.newPage();
  await openSignedIn(
    page,
    rig.base,
    { role: "learner", token, name: "Lin" },
    "#/learn/exchanging-messages/message-to-alice",
  );
  const editor = page.locator(".cm-content");
  await editor.waitFor({ timeout: 60_000 });
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(chatty);
  await page.getByLabel("Language").selectOption("javascript");
  await page.getByRole("button", { name: "Run" }).click();
  await page.locator("h2", { hasText: /Passed|Not yet/ }).waitFor({ timeout: 120_000 });
}, 240_000);

afterAll(() => rig?.close());

const list = () => page.getByRole("grid", { name: "Packets" });
const drawnRows = () => page.locator(".packet-rows .packet-row").count();
const hexBytes = async () => (await page.locator(".hex-dump .byte").allTextContents()).join("");

/** Packet `seq` of the learner's latest run, as the API stored it. */
async function storedPacket(seq: number) {
  const listed = expectStatus(
    await rig.t.app.inject({ method: "GET", url: "/v1/submissions", headers: bearer(token) }),
    200,
  );
  const trace = expectStatus(
    await rig.t.app.inject({
      method: "GET",
      url: `/v1/submissions/${listed.items[0].id}/trace`,
      headers: bearer(token),
    }),
    200,
  );
  return trace.packets.find((p: { seq: number }) => p.seq === seq) as { hex: string };
}

describe("a 1,000-packet run", () => {
  it("draws only the rows in view and follows the run to its end", async () => {
    await expect.poll(() => list().getAttribute("aria-rowcount")).toBe("1001");
    const drawn = await drawnRows();
    expect(drawn).toBeGreaterThan(5);
    expect(drawn).toBeLessThan(60);
    // It followed the stream: the last packet is drawn and the list is scrolled to the end.
    await page.locator("#packet-row-1000").waitFor();
    expect(await page.locator("#packet-row-1000").getAttribute("aria-rowindex")).toBe("1001");
    const atEnd = await page.evaluate(`(() => {
      const box = document.querySelector(".packet-list");
      return box.scrollHeight - box.scrollTop - box.clientHeight;
    })()`);
    expect(atEnd).toBeLessThanOrEqual(2);
  });

  it("reaches packet 1000 with End; the tree and the bytes follow", async () => {
    await list().focus();
    await page.keyboard.press("Home");
    await expect
      .poll(() => page.locator("#packet-row-1").getAttribute("aria-selected"))
      .toBe("true");
    expect(await page.locator("#packet-row-1000").count()).toBe(0);

    await page.keyboard.press("End");
    await expect
      .poll(() => page.locator("#packet-row-1000").getAttribute("aria-selected"))
      .toBe("true");
    expect(await list().getAttribute("aria-activedescendant")).toBe("packet-row-1000");
    const last = (await storedPacket(1000)).hex;
    await expect.poll(hexBytes).toBe(last);
    await page.getByRole("treeitem").first().waitFor();

    // PageUp moves by a screenful and keeps the new selection in view. Read once the list has
    // drawn it: until then the selected row is still packet 1000.
    await page.keyboard.press("PageUp");
    const selected = page.locator('.packet-rows .packet-row[aria-selected="true"]');
    const selectedSeq = async () => Number(await selected.getAttribute("data-seq"));
    await expect.poll(selectedSeq).toBeLessThan(999);
    const seq = await selectedSeq();
    expect(seq).toBeGreaterThan(950);
    const [row, box, header] = await Promise.all([
      selected.boundingBox(),
      page.locator(".packet-list").boundingBox(),
      page.locator(".packet-row.head").boundingBox(),
    ]);
    // In view: below the sticky header, above the list's bottom edge.
    expect(row!.y).toBeGreaterThanOrEqual(header!.y + header!.height - 1);
    expect(row!.y + row!.height).toBeLessThanOrEqual(box!.y + box!.height + 1);
    const shown = (await storedPacket(seq)).hex;
    await expect.poll(hexBytes).toBe(shown);
    expect(await drawnRows()).toBeLessThan(60);
  });

  it("keeps the selected row when it is scrolled out of view, and stays accessible", async () => {
    await page.evaluate(`document.querySelector(".packet-list").scrollTop = 0`);
    await page.locator("#packet-row-1").waitFor();
    const active = await list().getAttribute("aria-activedescendant");
    expect(active).toMatch(/^packet-row-9\d\d$/);
    expect(await page.locator(`#${active}`).count()).toBe(1);
    expect(await drawnRows()).toBeLessThan(60);
    await expectAccessible(page);
  });

  it("draws only the ladder's arrows in view, the selected one among them", async () => {
    await page.getByRole("button", { name: "Ladder diagram" }).click();
    await page.locator(".ladder .arrow.selected").waitFor();
    const arrows = await page.locator(".ladder .arrow").count();
    expect(arrows).toBeGreaterThan(5);
    expect(arrows).toBeLessThan(60);
    await page.evaluate(`document.querySelector(".ladder-scroll").scrollTop = 0`);
    await page.locator('.ladder .arrow[data-seq="1"]').click();
    const first = (await storedPacket(1)).hex;
    await expect.poll(hexBytes).toBe(first);
    // The ladder takes the list's keys: End goes to the last packet and scrolls to it.
    await page.getByRole("region", { name: "Ladder diagram" }).focus();
    await page.keyboard.press("End");
    await expect
      .poll(() => page.locator(".ladder .arrow.selected").getAttribute("data-seq"))
      .toBe("1000");
    expect(await page.locator('.ladder .arrow[data-seq="1"]').count()).toBe(0);
    const last = (await storedPacket(1000)).hex;
    await expect.poll(hexBytes).toBe(last);
    await expectAccessible(page);
  });
});
