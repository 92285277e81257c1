// CORS as a browser enforces it, in a real Chromium: a page on an allowed origin uses every
// method and header the API has (DELETE to log out, Idempotency-Key), reads the headers it needs,
// opens the session stream and downloads through a plain <a download>; a page on another origin
// can do none of it.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALICE,
  aliceSolution,
  bearer,
  classroom,
  expectStatus,
  joinAndStart,
  startTestApp,
  submit,
  type TestApp,
} from "../helpers/app.ts";

const CHROMIUM = "/usr/bin/chromium";

/** A page server: its own origin, one empty page. */
async function pageServer(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.setHeader("content-type", "text/html; charset=utf-8");
    response.end("<!doctype html><title>a page</title><body></body>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let allowed: Awaited<ReturnType<typeof pageServer>>;
let refused: Awaited<ReturnType<typeof pageServer>>;
let t: TestApp;
let api: string;
let cast: Awaited<ReturnType<typeof classroom>>;
let submissionId: string;
let profile: string;
let browser: BrowserContext;

beforeAll(async () => {
  allowed = await pageServer();
  refused = await pageServer();
  t = await startTestApp({ env: { CORS_ORIGINS: allowed.origin } });
  api = await t.listen();
  cast = await classroom(t.app, "Browser");
  submissionId = expectStatus(
    await submit(t.app, cast.learner.token, cast.learner.session.id, {}),
    201,
  ).id;
  profile = mkdtempSync(join(tmpdir(), "packetlab-chromium-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
  await t.close();
  allowed.server.close();
  refused.server.close();
});

async function pageOn(origin: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  return page;
}

/** What the download test uses of the page's DOM. */
interface PageDocument {
  createElement(tag: "a"): { href: string; download: string; textContent: string; id: string };
  body: { append(node: unknown): void };
}

/** Opens the session stream from the page; what became of it. */
function openStreamFrom(page: Page, url: string) {
  return page.evaluate(
    (url) =>
      new Promise<{ opened: boolean; first?: string; closeCode?: number }>((resolve) => {
        const socket = new WebSocket(url);
        let opened = false;
        socket.onopen = () => (opened = true);
        socket.onmessage = (event) => {
          resolve({ opened, first: String(event.data) });
          socket.close();
        };
        socket.onclose = (event) => resolve({ opened, closeCode: event.code });
      }),
    url,
  );
}

async function ticket(): Promise<string> {
  return expectStatus(
    await t.app.inject({
      method: "POST",
      url: "/v1/ws-tickets",
      headers: bearer(cast.learner.token),
    }),
    201,
  ).ticket;
}

describe("a page on an allowed origin (CORS_ORIGINS)", () => {
  it("logs out with DELETE, as preflight now allows it", { timeout: 60_000 }, async () => {
    const leaving = await joinAndStart(t.app, cast.klass.joinCode, "Leaving");
    const page = await pageOn(allowed.origin);
    const statuses = await page.evaluate(
      async ({ api, token }) => {
        const auth = { authorization: `Bearer ${token}` };
        const me = await fetch(`${api}/v1/me`, { headers: auth });
        const logout = await fetch(`${api}/v1/tokens/current`, { method: "DELETE", headers: auth });
        const after = await fetch(`${api}/v1/me`, { headers: auth });
        return [me.status, logout.status, after.status];
      },
      { api, token: leaving.token },
    );
    expect(statuses).toEqual([200, 204, 401]);
  });

  it(
    "submits with an Idempotency-Key and reads Location and request-id",
    { timeout: 60_000 },
    async () => {
      const page = await pageOn(allowed.origin);
      const result = await page.evaluate(
        async ({ api, token, sessionId, body }) => {
          const response = await fetch(`${api}/v1/sessions/${sessionId}/submissions`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${token}`,
              "content-type": "application/json",
              "idempotency-key": "browser-1",
            },
            body: JSON.stringify(body),
          });
          const json = (await response.json()) as { id: string; packets: unknown[] };
          return {
            status: response.status,
            location: response.headers.get("location"),
            requestId: response.headers.get("request-id"),
            id: json.id,
            packets: json.packets.length,
          };
        },
        {
          api,
          token: cast.learner.token,
          sessionId: cast.learner.session.id,
          body: { exerciseId: ALICE, language: "typescript", code: aliceSolution },
        },
      );
      expect(result.status).toBe(201);
      expect(result.location).toBe(`/v1/submissions/${result.id}`);
      expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.packets).toBeGreaterThan(0);
    },
  );

  it("opens the session stream", { timeout: 60_000 }, async () => {
    const page = await pageOn(allowed.origin);
    const url = `${api.replace("http", "ws")}/v1/sessions/${cast.learner.session.id}/stream?ticket=${await ticket()}`;
    const outcome = await openStreamFrom(page, url);
    expect(outcome.opened).toBe(true);
    expect(JSON.parse(outcome.first!)).toMatchObject({ type: "ready", seq: 1 });
  });

  it(
    "downloads through a plain <a href download> to a signed link",
    { timeout: 60_000 },
    async () => {
      const page = await pageOn(allowed.origin);
      const link = await page.evaluate(
        async ({ api, token, path }) => {
          const made = await fetch(`${api}/v1/download-links`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: JSON.stringify({ path }),
          });
          const { url } = (await made.json()) as { url: string };
          // A page can read the file's name: Content-Disposition is exposed.
          const head = await fetch(`${api}${url}`);
          // The page's DOM (the project's TypeScript has no DOM types: it is a server).
          const { document } = globalThis as unknown as { document: PageDocument };
          const anchor = document.createElement("a");
          anchor.href = `${api}${url}`;
          anchor.download = "";
          anchor.textContent = "Download the trace";
          anchor.id = "download";
          document.body.append(anchor);
          return { status: head.status, disposition: head.headers.get("content-disposition") };
        },
        { api, token: cast.learner.token, path: `/v1/submissions/${submissionId}/trace.pcap` },
      );
      expect(link.status).toBe(200);
      expect(link.disposition).toBe(`attachment; filename="submission-${submissionId}.pcap"`);

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click("#download"),
      ]);
      expect(download.suggestedFilename()).toBe(`submission-${submissionId}.pcap`);
      const file = readFileSync((await download.path())!);
      // A classic pcap, little-endian: a1b2c3d4 as the first four bytes read backwards.
      expect(file.subarray(0, 4).toString("hex")).toBe("d4c3b2a1");
    },
  );
});

describe("a page on another origin", () => {
  it("cannot call the API with a token, nor open the stream", { timeout: 60_000 }, async () => {
    const page = await pageOn(refused.origin);
    const fetched = await page.evaluate(
      async ({ api, token }) => {
        try {
          await fetch(`${api}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
          return "answered";
        } catch (error) {
          return (error as Error).name;
        }
      },
      { api, token: cast.learner.token },
    );
    expect(fetched).toBe("TypeError");
    const url = `${api.replace("http", "ws")}/v1/sessions/${cast.learner.session.id}/stream?ticket=${await ticket()}`;
    const outcome = await openStreamFrom(page, url);
    expect(outcome).toEqual({ opened: false, closeCode: 1006 });
  });
});
