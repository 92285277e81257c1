// The web app in a real browser: Debian's Chromium driven by playwright-core (which downloads no
// browser of its own), against the real app serving the real build (dist/web, built here if the
// sources changed), on a fresh database.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";
import { classroom, startTestApp, type TestApp, type TestAppOptions } from "../helpers/app.ts";

const CHROMIUM = "/usr/bin/chromium";
const root = new URL("../..", import.meta.url).pathname;
export const webDir = join(root, "dist", "web");

/** Builds the web app unless dist/web is current (scripts/build-web.mjs decides). */
export function buildWebApp(): void {
  execFileSync(process.execPath, [join(root, "scripts", "build-web.mjs")], { stdio: "inherit" });
}

export interface WebRig {
  t: TestApp;
  base: string;
  browser: BrowserContext;
  close(): Promise<void>;
}

/** `app`: what startTestApp takes beside the environment (a runner that compiles Rust…). */
export async function startWebRig(
  env: Record<string, string> = {},
  app: Omit<TestAppOptions, "env"> = {},
): Promise<WebRig> {
  buildWebApp();
  const t = await startTestApp({ ...app, env: { WEB_DIR: webDir, ...env } });
  const base = await t.listen();
  const profile = mkdtempSync(join(tmpdir(), "packetlab-web-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1400, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  return {
    t,
    base,
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
      await t.close();
    },
  };
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Opens `hash` signed in as `account`, the way the app keeps an account: in localStorage, read
 * when the app starts (so the page is loaded again once it is stored).
 */
export async function openSignedIn(
  page: Page,
  base: string,
  account: { role: "learner" | "teacher"; token: string; name: string },
  hash: string,
): Promise<void> {
  await page.goto(`${base}/`);
  await page.evaluate(
    `localStorage.setItem("packetlab.account", ${JSON.stringify(JSON.stringify(account))})`,
  );
  await page.goto(`${base}/${hash}`);
  await page.reload();
}

/** A learner of a new class, signed in on a new page, on the Alice exercise with its editor ready. */
export async function openAliceAsLearner(
  rig: WebRig,
  name = "Ada",
): Promise<{ page: Page; learner: { token: string } }> {
  const { learner } = await classroom(rig.t.app, name);
  const page = await rig.browser.newPage();
  await openSignedIn(
    page,
    rig.base,
    { role: "learner", token: learner.token, name },
    "#/learn/exchanging-messages/message-to-alice",
  );
  await page.locator(".cm-content").waitFor({ timeout: 60_000 });
  return { page, learner };
}

/** axe-core on the page as it is now: no serious or critical violation (WCAG 2.1 A and AA). */
export async function expectAccessible(page: Page): Promise<void> {
  // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') allows it.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const { axe } = globalThis as unknown as {
      axe: { run(options: unknown): Promise<{ violations: AxeViolation[] }> };
    };
    const result = await axe.run({
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.slice(0, 3).map((node) => ({ target: node.target })),
    }));
  });
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious).toEqual([]);
}
