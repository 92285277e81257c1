import { Validator } from "@seriousme/openapi-schema-validator";
// Health, readiness, metrics and the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classroom, expectStatus, startTestApp, submit, type TestApp } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe("operations endpoints", () => {
  it("/healthz says alive; /readyz checks the database and the sandbox pool", async () => {
    expect(expectStatus(await t.app.inject({ url: "/healthz" }), 200)).toEqual({ status: "ok" });
    const ready = expectStatus(await t.app.inject({ url: "/readyz" }), 200);
    expect(ready).toMatchObject({ status: "ready", database: "up", runner: { workers: 1 } });
  });

  it("/metrics counts runs by outcome and times them", async () => {
    const { learner } = await classroom(t.app);
    const result = expectStatus(await submit(t.app, learner.token, learner.session.id, {}), 201);
    const metrics = (await t.app.inject({ url: "/metrics" })).body;
    // The outcome label is the run's own (a loaded machine may turn "ok" into "time-limit").
    expect(metrics).toContain(`packetlab_runs_total{outcome="${result.outcome}",channel="http"} 1`);
    expect(metrics).toMatch(/packetlab_run_duration_seconds_count 1/);
    expect(metrics).toMatch(/packetlab_runner_workers\{state="total"\} \d+/);
  });

  it("publishes the OpenAPI document built from the route schemas", async () => {
    const document = expectStatus(await t.app.inject({ url: "/docs/json" }), 200);
    expect(document.openapi).toMatch(/^3\./);
    for (const path of [
      "/v1/lessons",
      "/v1/sessions/{sessionId}/submissions",
      "/v1/classes/{classId}/progress",
      "/v1/ws-tickets",
    ]) {
      expect(Object.keys(document.paths)).toContain(path);
    }
    // Frontends generate clients from it: it must be a valid OpenAPI document, not just JSON.
    const validation = await new Validator().validate(document);
    expect(validation.errors ?? [], JSON.stringify(validation.errors, null, 2)).toEqual([]);
    expect(validation.valid).toBe(true);
    const submitOperation = document.paths["/v1/sessions/{sessionId}/submissions"].post;
    expect(Object.keys(submitOperation.responses)).toEqual(
      expect.arrayContaining(["201", "413", "422", "429", "503"]),
    );
  });

  it("answers CORS preflights only for configured origins", async () => {
    const open = await startTestApp({
      env: { CORS_ORIGINS: "https://lessons.example" },
      grader: {
        gradeSubmission: async () => {
          throw new Error("unused");
        },
      },
    });
    try {
      const preflight = (origin: string) =>
        open.app.inject({
          method: "OPTIONS",
          url: "/v1/lessons",
          headers: { origin, "access-control-request-method": "GET" },
        });
      expect(
        (await preflight("https://lessons.example")).headers["access-control-allow-origin"],
      ).toBe("https://lessons.example");
      expect(
        (await preflight("https://evil.example")).headers["access-control-allow-origin"],
      ).toBeUndefined();
    } finally {
      await open.close();
    }
  });
});
