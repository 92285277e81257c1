/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document is JSON */
// CORS and the WebSocket's Origin check, without a browser (cors-browser.test.ts has one): every
// method and header of the API is allowed to the configured origins, and an upgrade from another
// origin is refused with a clear status before it becomes a WebSocket.
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";

const ALLOWED = "https://lessons.example";
let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp({
    env: { CORS_ORIGINS: ALLOWED },
    grader: {
      gradeSubmission: async () => {
        throw new Error("not used");
      },
    },
  });
  base = await t.listen();
});
afterAll(async () => t.close());

const preflight = (url: string, method: string, origin = ALLOWED, headers = "") =>
  t.app.inject({
    method: "OPTIONS",
    url,
    headers: {
      origin,
      "access-control-request-method": method,
      ...(headers ? { "access-control-request-headers": headers } : {}),
    },
  });

describe("CORS preflight", () => {
  it("allows every method of every operation, with the headers the API reads", async () => {
    const document = (await t.app.inject({ url: "/docs/json" })).json();
    let checked = 0;
    for (const [path, item] of Object.entries<any>(document.paths)) {
      for (const method of Object.keys(item).filter((key) => key !== "parameters")) {
        const url = path.replace(/\{[^}]+\}/g, "00000000-0000-4000-8000-000000000000");
        const response = await preflight(url, method.toUpperCase(), ALLOWED, "authorization");
        expect(response.statusCode, `${method} ${path}`).toBe(204);
        expect(response.headers["access-control-allow-origin"]).toBe(ALLOWED);
        const methods = String(response.headers["access-control-allow-methods"]).split(/,\s*/);
        expect(methods, `${method} ${path}`).toContain(method.toUpperCase());
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    const response = await preflight(
      "/v1/sessions/00000000-0000-4000-8000-000000000000/submissions",
      "POST",
      ALLOWED,
      "authorization, content-type, idempotency-key",
    );
    expect(String(response.headers["access-control-allow-headers"]).split(/,\s*/)).toEqual(
      expect.arrayContaining(["authorization", "content-type", "idempotency-key"]),
    );
  });

  it("exposes the headers a page reads, and nothing to other origins", async () => {
    const answer = await t.app.inject({ url: "/v1/lessons", headers: { origin: ALLOWED } });
    expect(String(answer.headers["access-control-expose-headers"]).split(/,\s*/)).toEqual(
      expect.arrayContaining(["content-disposition", "retry-after", "location", "request-id"]),
    );
    const other = await preflight("/v1/tokens/current", "DELETE", "https://evil.example");
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("the session stream's Origin check", () => {
  const open = (origin: string | undefined) =>
    new Promise<{ status: number; body?: any }>((resolve, reject) => {
      const socket = new WebSocket(
        `${base.replace("http", "ws")}/v1/sessions/00000000-0000-4000-8000-000000000000/stream`,
        origin ? { origin } : {},
      );
      socket.on("open", () => {
        socket.close();
        resolve({ status: 101 });
      });
      socket.on("unexpected-response", (_request, response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode!, body: JSON.parse(body) }));
      });
      socket.on("error", reject);
    });

  it("upgrades allowed origins, the API's own, and clients that send none", async () => {
    expect((await open(ALLOWED)).status).toBe(101);
    expect((await open(base)).status).toBe(101);
    expect((await open(undefined)).status).toBe(101);
  });

  it("refuses another origin before the upgrade: 403 ORIGIN_NOT_ALLOWED", async () => {
    const refused = await open("https://evil.example");
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: "ORIGIN_NOT_ALLOWED",
      message: expect.stringContaining('"https://evil.example"'),
      requestId: expect.any(String),
    });
  });
});
