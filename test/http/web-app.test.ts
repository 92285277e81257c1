// How the service serves the built web app: index.html at `/` under a strict CSP, hashed assets
// cached for good, the API's own 404 for any other path, and a note (not a 404) when the app
// was never built.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";

const grader = { gradeSubmission: () => Promise.reject(new Error("not used")) };
const dirs: string[] = [];
const apps: TestApp[] = [];
afterAll(async () => {
  for (const t of apps) await t.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function appWith(webDir: string) {
  const t = await startTestApp({ grader, env: { WEB_DIR: webDir } });
  apps.push(t);
  return t.app;
}

function builtApp(): string {
  const dir = mkdtempSync(join(tmpdir(), "packetlab-web-dir-"));
  dirs.push(dir);
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>packetlab</title>");
  writeFileSync(join(dir, "assets", "index-abc123.js"), "console.log(1)");
  return dir;
}

describe("the web app's files", () => {
  it("serves index.html at / under a CSP that allows only the app's own origin", async () => {
    const app = await appWith(builtApp());
    const page = await app.inject({ url: "/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    expect(page.body).toContain("<title>packetlab</title>");
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(page.headers["cache-control"]).toBe("no-cache");

    const asset = await app.inject({ url: "/assets/index-abc123.js" });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["cache-control"]).toContain("immutable");
  });

  it("answers other paths with the API's 404, not a page", async () => {
    const app = await appWith(builtApp());
    const missing = await app.inject({ url: "/no/such/page" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe("ROUTE_NOT_FOUND");
    expect((await app.inject({ url: "/v1/lessons" })).statusCode).toBe(200);
  });

  it("keeps the app's pages out of the OpenAPI document", async () => {
    const app = await appWith(builtApp());
    const paths = Object.keys((await app.inject({ url: "/docs/json" })).json().paths);
    // The API (/v1), health (/healthz, /readyz) and the LTI endpoints platforms call (/lti/…).
    const api = (path: string) =>
      path.startsWith("/v1/") || path.startsWith("/lti/") || path.endsWith("z");
    expect(paths.filter((path) => !api(path))).toEqual([]);
    expect(paths).not.toContain("/");
  });

  it("says how to build the app when WEB_DIR holds no build", async () => {
    const dir = mkdtempSync(join(tmpdir(), "packetlab-web-empty-"));
    dirs.push(dir);
    const app = await appWith(dir);
    const page = await app.inject({ url: "/" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("npm run build:web");
  });
});
