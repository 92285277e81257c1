// The web app in Debian's Chromium, measured rather than asserted (the budgets):
// - the learner page's first load: JavaScript + CSS it fetched, raw and gzip (budget 350 KB gzip);
// - a run of ~1,000 packets arriving over the stream, then the packet list scrolled end to end:
//   the longest main-thread task (Long Tasks API) while rendering and while scrolling (budget:
//   no frame over 50 ms).
import { gzipSync } from "node:zlib";
import { classroom } from "../test/helpers/app.ts";
import { startWebRig } from "../test/web/browser.ts";

// Each name query is answered: two packets a loop, until the run's packet limit stops it.
const chatty = `import { UdpSocket } from "net";
const socket = UdpSocket.bind("0.0.0.0:0");
for (let i = 0; i < 520; i++) socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
socket.setReadTimeout(50);
try { for (;;) socket.recvFrom(); } catch {}
`;

export async function bench(): Promise<void> {
  const rig = await startWebRig();
  try {
    const { app } = rig.t;
    const { learner } = await classroom(app, "Bench");
    const page = await rig.browser.newPage();
    await page.goto(`${rig.base}/`);
    await page.evaluate(
      `localStorage.setItem("packetlab.account", ${JSON.stringify(JSON.stringify({ role: "learner", token: learner.token, name: "Bench" }))})`,
    );

    const assets: { url: string; raw: number; gzip: number }[] = [];
    page.on("response", async (response) => {
      const type = response.headers()["content-type"] ?? "";
      if (!/javascript|css/.test(type)) return;
      const body = await response.body();
      assets.push({ url: response.url(), raw: body.length, gzip: gzipSync(body).length });
    });
    await page.goto(`${rig.base}/#/learn/exchanging-messages/message-to-alice`);
    await page.reload();
    await page.locator(".cm-content").waitFor();
    await page.waitForLoadState("networkidle");
    const sum = (key: "raw" | "gzip") => assets.reduce((total, a) => total + a[key], 0);
    console.log("learner page, first load (JS + CSS):");
    for (const a of assets) {
      console.log(
        `  ${new URL(a.url).pathname.padEnd(44)} ${(a.raw / 1024).toFixed(1).padStart(8)} KB  ${(a.gzip / 1024).toFixed(1).padStart(7)} KB gzip`,
      );
    }
    console.log(
      `  total ${(sum("raw") / 1024).toFixed(1)} KB, ${(sum("gzip") / 1024).toFixed(1)} KB gzip (budget 350 KB gzip)`,
    );

    await page.evaluate(`(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
      }).observe({ type: "longtask" });
    })()`);
    await page.locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.insertText(chatty);
    await page.getByLabel("Language").selectOption("javascript");
    const started = Date.now();
    await page.getByRole("button", { name: "Run" }).click();
    await page.locator("h2", { hasText: /Passed|Not yet/ }).waitFor({ timeout: 120_000 });
    const rows = await page.locator(".packet-rows .packet-row").count();
    const renderMs = Date.now() - started;
    const renderTasks = (await page.evaluate("window.__longTasks.splice(0)")) as number[];

    await page.evaluate(`(async () => {
      const list = document.querySelector(".packet-rows");
      for (let y = 0; y <= list.scrollHeight; y += 200) {
        list.scrollTop = y;
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
    })()`);
    const grid = page.getByRole("grid", { name: "Packets" });
    await grid.focus();
    await page.keyboard.press("Home");
    for (let i = 0; i < 100; i++) await page.keyboard.press("PageDown");
    const scrollTasks = (await page.evaluate("window.__longTasks.splice(0)")) as number[];
    const worst = (tasks: number[]) => (tasks.length ? Math.max(...tasks).toFixed(0) : "none");
    console.log(`a run of ${rows} packets over the stream (run to last row drawn ${renderMs} ms):`);
    console.log(
      `  tasks over 50 ms while it arrived: ${renderTasks.length} (longest ${worst(renderTasks)} ms)`,
    );
    console.log(
      `  tasks over 50 ms while scrolling and paging through the list: ${scrollTasks.length} (longest ${worst(scrollTasks)} ms)`,
    );
  } finally {
    await rig.close();
  }
}
