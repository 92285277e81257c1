/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies in tests; the assertions check their shape */
// The real app on a fresh database (PGlite, or PostgreSQL with TEST_DATABASE_URL), with the real
// lessons, grader and sandbox pool unless a test passes its own through buildApp's arguments.
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildApp, type AppDeps } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createGrader, loadLessons } from "../../src/grading/index.ts";
import type { Database } from "../../src/progress/database.ts";
import { createRunner } from "../../src/runner/index.ts";
import type { Runner } from "../../src/runner/types.ts";
import { openTestDatabase } from "./database.ts";

export const OPERATOR_TOKEN = "operator-token-for-tests-0123456789";
export const LESSON = "exchanging-messages";
export const ALICE = "message-to-alice";
const lessonsDir = new URL("../../lessons", import.meta.url).pathname;
export const aliceSolution = readFileSync(
  new URL(`../../lessons/${LESSON}/05-message-to-alice/solution.ts`, import.meta.url),
  "utf8",
);

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  runner: Runner | undefined;
  /** http://127.0.0.1:<port> once listen() was called. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  grader?: AppDeps["grader"];
  runner?: AppDeps["runner"];
  languages?: AppDeps["languages"];
  db?: Database;
  logger?: AppDeps["logger"];
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.db ? undefined : await openTestDatabase();
  const db = options.db ?? database!.db;
  const catalogue = await loadLessons(lessonsDir);
  const runner = options.grader ? undefined : createRunner({ workers: 1 });
  const grader = options.grader ?? createGrader({ catalogue, runner: runner! });
  const config = loadConfig({
    LOG_LEVEL: "silent",
    OPERATOR_TOKEN,
    LESSONS_DIR: lessonsDir,
    ...options.env,
  });
  const app = await buildApp({
    ...(options.logger ? { logger: options.logger } : {}),
    config,
    db,
    catalogue,
    grader,
    runner: options.runner ??
      runner ?? { stats: () => ({ workers: 1, busy: 0, queued: 0, restarts: 0 }) },
    ...(options.languages ? { languages: options.languages } : {}),
  });
  return {
    app,
    db,
    runner,
    async listen() {
      await app.listen({ port: 0, host: "127.0.0.1" });
      return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    },
    async close() {
      await app.close();
      await runner?.close();
      await database?.close();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Fails the test with the response body when the status is not the expected one. */
export function expectStatus(response: LightMyRequestResponse, status: number): any {
  if (response.statusCode !== status) {
    throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
  }
  return response.headers["content-type"]?.toString().includes("json")
    ? response.json()
    : response.body;
}

/** A teacher, created by the operator: its id, name and token. */
export async function createTeacher(app: FastifyInstance, name = "Ms Frizzle") {
  return expectStatus(
    await app.inject({
      method: "POST",
      url: "/v1/teachers",
      headers: bearer(OPERATOR_TOKEN),
      payload: { name },
    }),
    201,
  );
}

/** A teacher, a class, and a learner in it with a session on the lesson: the usual cast. */
export async function classroom(app: FastifyInstance, learnerName = "Ada") {
  const teacher = await createTeacher(app);
  const klass = expectStatus(
    await app.inject({
      method: "POST",
      url: "/v1/classes",
      headers: bearer(teacher.token),
      payload: { name: "Networks" },
    }),
    201,
  );
  const learner = await joinAndStart(app, klass.joinCode, learnerName);
  return { teacher, klass, learner };
}

export async function joinAndStart(app: FastifyInstance, joinCode: string, displayName: string) {
  const joined = expectStatus(
    await app.inject({
      method: "POST",
      url: "/v1/classes/join",
      payload: { joinCode, displayName },
    }),
    201,
  );
  const session = expectStatus(
    await app.inject({
      method: "POST",
      url: "/v1/sessions",
      headers: bearer(joined.token),
      payload: { lessonId: LESSON },
    }),
    201,
  );
  return { ...joined, token: joined.token as string, session };
}

export function submit(
  app: FastifyInstance,
  token: string,
  sessionId: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: "POST",
    url: `/v1/sessions/${sessionId}/submissions`,
    headers: { ...bearer(token), ...headers },
    payload: { exerciseId: ALICE, language: "typescript", code: aliceSolution, ...body },
  });
}
