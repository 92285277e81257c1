// Who may see what: a learner only their own work, a teacher only their classes' learners, the
// operator only teacher creation. Someone else's resource is 404 (indistinguishable from absent).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  classroom,
  expectStatus,
  joinAndStart,
  OPERATOR_TOKEN,
  startTestApp,
  submit,
  type TestApp,
} from "../helpers/app.ts";

let t: TestApp;
let home: Awaited<ReturnType<typeof classroom>>;
let away: Awaited<ReturnType<typeof classroom>>;
let classmate: Awaited<ReturnType<typeof joinAndStart>>;
let submissionId: string;

beforeAll(async () => {
  t = await startTestApp();
  home = await classroom(t.app, "Ada");
  away = await classroom(t.app, "Mallory");
  classmate = await joinAndStart(t.app, home.klass.joinCode, "Grace");
  submissionId = expectStatus(
    await submit(t.app, home.learner.token, home.learner.session.id, {}),
    201,
  ).id;
});
afterAll(async () => t.close());

const get = (url: string, token?: string) =>
  t.app.inject({ url, headers: token ? bearer(token) : {} });

describe("authorization", () => {
  it("a submission: its learner and their teacher see it; everyone else gets 404", async () => {
    const url = `/v1/submissions/${submissionId}`;
    const cases: [string, string, number][] = [
      ["its learner", home.learner.token, 200],
      ["their teacher", home.teacher.token, 200],
      ["a classmate", classmate.token, 404],
      ["a learner of another class", away.learner.token, 404],
      ["another class's teacher", away.teacher.token, 404],
      ["the operator", OPERATOR_TOKEN, 403],
    ];
    for (const [who, token, status] of cases) {
      expect((await get(url, token)).statusCode, who).toBe(status);
      expect((await get(`${url}/trace`, token)).statusCode, `${who} (trace)`).toBe(status);
    }
    expect((await get(url)).statusCode).toBe(401);
  });

  it("a session: only its learner may read it or submit to it", async () => {
    const url = `/v1/sessions/${home.learner.session.id}`;
    expect((await get(url, home.learner.token)).statusCode).toBe(200);
    expect((await get(url, classmate.token)).statusCode).toBe(404);
    expect((await get(url, home.teacher.token)).statusCode).toBe(403);
    const foreign = await submit(t.app, away.learner.token, home.learner.session.id, {});
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe("SESSION_NOT_FOUND");
  });

  it("lists and progress are the caller's own", async () => {
    const mine = expectStatus(await get("/v1/submissions", home.learner.token), 200);
    expect(mine.items.map((item: { id: string }) => item.id)).toContain(submissionId);
    const theirs = expectStatus(await get("/v1/submissions", classmate.token), 200);
    expect(theirs.items).toEqual([]);
    const progress = expectStatus(await get("/v1/progress", classmate.token), 200);
    expect(progress.items.every((item: { attempts: number }) => item.attempts === 0)).toBe(true);
  });

  it("a class's reports are its teacher's only", async () => {
    const classId = home.klass.id;
    for (const path of [
      "progress",
      "progress.csv",
      "stats",
      `learners/${home.learner.learnerId}/submissions`,
    ]) {
      const url = `/v1/classes/${classId}/${path}`;
      expect((await get(url, home.teacher.token)).statusCode, path).toBe(200);
      expect((await get(url, away.teacher.token)).statusCode, path).toBe(404);
      expect((await get(url, home.learner.token)).statusCode, path).toBe(403);
      expect((await get(url)).statusCode, path).toBe(401);
    }
    // A learner of another class, asked about through one's own class: 404.
    const url = `/v1/classes/${away.klass.id}/learners/${home.learner.learnerId}/submissions`;
    expect((await get(url, away.teacher.token)).statusCode).toBe(404);
  });

  it("roles: only the operator creates teachers, only teachers create classes, only learners start sessions", async () => {
    const post = (url: string, token: string, payload: object) =>
      t.app.inject({ method: "POST", url, headers: bearer(token), payload });
    expect((await post("/v1/teachers", home.teacher.token, { name: "X" })).statusCode).toBe(403);
    expect((await post("/v1/teachers", home.learner.token, { name: "X" })).statusCode).toBe(403);
    expect((await post("/v1/classes", home.learner.token, { name: "X" })).statusCode).toBe(403);
    expect((await post("/v1/classes", OPERATOR_TOKEN, { name: "X" })).statusCode).toBe(403);
    expect(
      (await post("/v1/sessions", home.teacher.token, { lessonId: "exchanging-messages" }))
        .statusCode,
    ).toBe(403);
    const listed = expectStatus(await get("/v1/classes", home.teacher.token), 200);
    expect(listed.items.map((item: { id: string }) => item.id)).toEqual([home.klass.id]);
  });
});

describe("a teacher's view of a class", () => {
  it("shows the learner × exercise matrix, statistics, history with code, and CSV", async () => {
    const { teacher, klass, learner } = await classroom(t.app, '=HYPERLINK("evil")');
    expectStatus(await submit(t.app, learner.token, learner.session.id, {}), 201);
    const wrong = expectStatus(
      await submit(t.app, learner.token, learner.session.id, {
        code: "console.log('hi')",
        language: "javascript",
      }),
      201,
    );
    expect(wrong.passed).toBe(false);

    const matrix = expectStatus(await get(`/v1/classes/${klass.id}/progress`, teacher.token), 200);
    const column = matrix.exercises.findIndex(
      (exercise: { exerciseId: string }) => exercise.exerciseId === "message-to-alice",
    );
    expect(matrix.learners).toHaveLength(1);
    expect(matrix.learners[0].cells[column]).toMatchObject({
      status: "passed",
      attempts: 2,
      bestScore: 100,
    });
    expect(
      matrix.learners[0].cells.filter((cell: { status: string }) => cell.status === "not-started"),
    ).toHaveLength(matrix.exercises.length - 1);

    const stats = expectStatus(await get(`/v1/classes/${klass.id}/stats`, teacher.token), 200);
    const alice = stats.items.find(
      (item: { exerciseId: string }) => item.exerciseId === "message-to-alice",
    );
    expect(alice).toMatchObject({ learners: 1, learnersPassed: 1, passRate: 1, attempts: 2 });
    expect(alice.mostFailedCheck).toMatchObject({ failures: 1 });
    const failedCheck = wrong.grade.checks.find((check: { passed: boolean }) => !check.passed).id;
    expect(
      wrong.grade.checks
        .filter((check: { passed: boolean }) => !check.passed)
        .map((c: { id: string }) => c.id),
    ).toContain(alice.mostFailedCheck.id);
    expect(failedCheck).toBeTruthy();

    const history = expectStatus(
      await get(`/v1/classes/${klass.id}/learners/${learner.learnerId}/submissions`, teacher.token),
      200,
    );
    expect(history.items.map((item: { id: string }) => item.id)[0]).toBe(wrong.id);
    expect(history.items[0].code).toBe("console.log('hi')");

    const csv = await get(`/v1/classes/${klass.id}/progress.csv`, teacher.token);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split("\r\n");
    expect(lines[0]).toBe(
      "learner_id,display_name,lesson_id,lesson_title,exercise_id,exercise_title,status,attempts,best_score,last_activity_at,latest_score,first_failed_check,first_failed_check_title,stuck",
    );
    expect(lines).toHaveLength(1 + matrix.exercises.length);
    // The display name is neutralised so a spreadsheet does not run it as a formula.
    expect(lines[1]).toContain(`"'=HYPERLINK(""evil"")"`);
  });
});
