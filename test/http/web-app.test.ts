// How the service serves the built web app: index.html at `/` under a strict CSP, hashed assets
// cached for good, the API's own 404 for any other path, and a note (not a 404) when the app
// was never built; the build's Brotli and gzip copies sent to browsers that accept them.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

// A hashed asset and an index.html large enough to compress, each with the copies
// scripts/build-web.mjs writes beside it.
const script = Buffer.from(
  Array.from({ length: 400 }, (_, i) => `export const line${i} = "packet ${i}";\n`).join(""),
);
const page = Buffer.from(
  `<!doctype html><title>packetlab</title>${"<!-- padding -->".repeat(200)}`,
);
function compressedApp(): string {
  const dir = builtApp();
  for (const [path, plain] of [
    ["assets/chunk-Hash1234.js", script],
    ["index.html", page],
  ] as const) {
    writeFileSync(join(dir, path), plain);
    writeFileSync(join(dir, `${path}.br`), brotliCompressSync(plain));
    writeFileSync(join(dir, `${path}.gz`), gzipSync(plain));
  }
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

describe("the web app's compressed copies", () => {
  const url = "/assets/chunk-Hash1234.js";
  // One app for all: these requests change nothing.
  let app: Awaited<ReturnType<typeof appWith>>;
  beforeAll(async () => {
    app = await appWith(compressedApp());
  });

  it("sends the Brotli copy to a browser that accepts it, as the same file", async () => {
    const res = await app.inject({
      url,
      headers: { "accept-encoding": "gzip, deflate, br, zstd" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["content-type"]).toMatch(/javascript/);
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(Number(res.headers["content-length"])).toBe(res.rawPayload.length);
    expect(res.rawPayload.length).toBeLessThan(script.length / 4);
    expect(brotliDecompressSync(res.rawPayload).equals(script)).toBe(true);
  });

  it("sends the gzip copy to a browser that accepts gzip only", async () => {
    const res = await app.inject({ url, headers: { "accept-encoding": "gzip" } });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers["content-type"]).toMatch(/javascript/);
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(gunzipSync(res.rawPayload).equals(script)).toBe(true);
  });

  it("sends the plain file without Accept-Encoding, or when no encoding is acceptable", async () => {
    for (const headers of [
      {},
      { "accept-encoding": "identity" },
      { "accept-encoding": "br;q=0" },
    ]) {
      const res = await app.inject({ url, headers });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-encoding"]).toBeUndefined();
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.rawPayload.equals(script)).toBe(true);
    }
  });

  it("compresses index.html at / too, keeping it uncached", async () => {
    const res = await app.inject({ url: "/", headers: { "accept-encoding": "br" } });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(brotliDecompressSync(res.rawPayload).equals(page)).toBe(true);
  });

  it("sends a file the build did not compress as it is, whatever the browser accepts", async () => {
    const res = await app.inject({
      url: "/assets/index-abc123.js",
      headers: { "accept-encoding": "br, gzip" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.body).toBe("console.log(1)");
  });

  it("answers HEAD with the chosen encoding's headers and no body", async () => {
    const res = await app.inject({ method: "HEAD", url, headers: { "accept-encoding": "br" } });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(Number(res.headers["content-length"])).toBe(brotliCompressSync(script).length);
    expect(res.rawPayload.length).toBe(0);
  });

  it("answers a Range request with bytes of the representation it chose", async () => {
    const plain = await app.inject({ url, headers: { range: "bytes=0-9" } });
    expect(plain.statusCode).toBe(206);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers["content-range"]).toBe(`bytes 0-9/${script.length}`);
    expect(plain.rawPayload.equals(script.subarray(0, 10))).toBe(true);

    // With an encoding, the range is of the encoded bytes (RFC 9110 §14.1.2).
    const br = brotliCompressSync(script);
    const encoded = await app.inject({
      url,
      headers: { range: "bytes=0-9", "accept-encoding": "br" },
    });
    expect(encoded.statusCode).toBe(206);
    expect(encoded.headers["content-encoding"]).toBe("br");
    expect(encoded.headers["content-range"]).toBe(`bytes 0-9/${br.length}`);
    expect(encoded.rawPayload.equals(br.subarray(0, 10))).toBe(true);
  });

  it("does not serve the copies under names of their own", async () => {
    const res = await app.inject({ url: `${url}.br` });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe("ROUTE_NOT_FOUND");
  });
});
