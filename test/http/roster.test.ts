/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies in tests; the assertions check their shape */
// Roster management: rename, remove, merge a learner who joined twice, delete a class; always
// on the teacher's own class only.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  classroom,
  expectStatus,
  joinAndStart,
  startTestApp,
  submit,
  type TestApp,
} from "../helpers/app.ts";

const wrongPort = readFileSync(
  new URL(
    "../../lessons/exchanging-messages/05-message-to-alice/wrong/wrong-port.js",
    import.meta.url,
  ),
  "utf8",
);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const call = (
  method: "GET" | "PATCH" | "POST" | "DELETE",
  url: string,
  token: string,
  payload?: object,
) => t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

async function aliceCell(classId: string, token: string, name: string) {
  const matrix = expectStatus(await call("GET", `/v1/classes/${classId}/progress`, token), 200);
  const column = matrix.exercises.findIndex((e: any) => e.exerciseId === "message-to-alice");
  const learner = matrix.learners.find((l: any) => l.displayName === name);
  return { matrix, cell: learner?.cells[column] };
}

describe("a class's roster", () => {
  it("renames a learner, and refuses another teacher's class or a stranger", async () => {
    const { teacher, klass, learner } = await classroom(t.app, "Ada");
    const other = await classroom(t.app, "Eve");
    const url = `/v1/classes/${klass.id}/learners/${learner.learnerId}`;
    const renamed = expectStatus(
      await call("PATCH", url, teacher.token, { displayName: " Ada L. " }),
      200,
    );
    expect(renamed).toMatchObject({ id: learner.learnerId, displayName: "Ada L." });
    expect((await aliceCell(klass.id, teacher.token, "Ada L.")).cell).toBeDefined();
    expect((await call("PATCH", url, other.teacher.token, { displayName: "X" })).statusCode).toBe(
      404,
    );
    const stranger = `/v1/classes/${klass.id}/learners/${other.learner.learnerId}`;
    expect((await call("PATCH", stranger, teacher.token, { displayName: "X" })).statusCode).toBe(
      404,
    );
    expect((await call("PATCH", url, teacher.token, { displayName: "" })).statusCode).toBe(400);
    expect((await call("PATCH", url, learner.token, { displayName: "Me" })).statusCode).toBe(403);
  });

  it("merges a learner who joined twice: work, progress and tokens move to one", async () => {
    const { teacher, klass, learner: ada } = await classroom(t.app, "Ada");
    const twice = await joinAndStart(t.app, klass.joinCode, "Ada (phone)");
    expectStatus(
      await submit(t.app, ada.token, ada.session.id, { code: wrongPort, language: "javascript" }),
      201,
    );
    expectStatus(await submit(t.app, twice.token, twice.session.id, {}), 201);
    const url = `/v1/classes/${klass.id}/learners/${ada.learnerId}/merge`;
    expect(
      (await call("POST", url, teacher.token, { fromLearnerId: ada.learnerId })).statusCode,
    ).toBe(400);
    const merged = expectStatus(
      await call("POST", url, teacher.token, { fromLearnerId: twice.learnerId }),
      200,
    );
    expect(merged).toMatchObject({ id: ada.learnerId, displayName: "Ada" });

    const { matrix, cell } = await aliceCell(klass.id, teacher.token, "Ada");
    expect(matrix.learners.map((l: any) => l.displayName)).toEqual(["Ada"]);
    expect(cell).toMatchObject({
      status: "passed",
      attempts: 2,
      bestScore: 100,
      latest: { passed: true },
    });
    // The phone's token now stands for Ada, and sees both submissions.
    const me = expectStatus(await call("GET", "/v1/me", twice.token), 200);
    expect(me).toMatchObject({ role: "learner", learnerId: ada.learnerId });
    const mine = expectStatus(await call("GET", "/v1/submissions", twice.token), 200);
    expect(mine.items).toHaveLength(2);
    // The duplicate is gone.
    const again = await call("POST", url, teacher.token, { fromLearnerId: twice.learnerId });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.message).toContain(twice.learnerId);
  });

  it("removes a learner, whose token then stops working", async () => {
    const { teacher, klass, learner } = await classroom(t.app, "Ada");
    const bob = await joinAndStart(t.app, klass.joinCode, "Bob");
    expectStatus(await call("GET", "/v1/me", bob.token), 200);
    const url = `/v1/classes/${klass.id}/learners/${bob.learnerId}`;
    expect((await call("DELETE", url, teacher.token)).statusCode).toBe(204);
    expect((await call("DELETE", url, teacher.token)).statusCode).toBe(404);
    expect((await call("GET", "/v1/me", bob.token)).statusCode).toBe(401);
    const { matrix } = await aliceCell(klass.id, teacher.token, "Ada");
    expect(matrix.learners.map((l: any) => l.id)).toEqual([learner.learnerId]);
  });

  it("deletes a class with its learners; another teacher cannot", async () => {
    const { teacher, klass, learner } = await classroom(t.app, "Ada");
    const other = await classroom(t.app, "Eve");
    expect((await call("DELETE", `/v1/classes/${klass.id}`, other.teacher.token)).statusCode).toBe(
      404,
    );
    expect((await call("DELETE", `/v1/classes/${klass.id}`, teacher.token)).statusCode).toBe(204);
    expect((await call("GET", `/v1/classes/${klass.id}/progress`, teacher.token)).statusCode).toBe(
      404,
    );
    expect((await call("GET", "/v1/me", learner.token)).statusCode).toBe(401);
    expect((await call("GET", "/v1/me", other.learner.token)).statusCode).toBe(200);
    const classes = expectStatus(await call("GET", "/v1/classes", teacher.token), 200);
    expect(classes.items).toEqual([]);
  });
});
