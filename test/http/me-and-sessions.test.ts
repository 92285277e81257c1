// What a page needs after a reload: who the token is (GET /v1/me), the learner's sessions, and
// the latest session of a lesson resumed, so the learner keeps their network (Alice her address).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  classroom,
  expectStatus,
  joinAndStart,
  LESSON,
  OPERATOR_TOKEN,
  startTestApp,
  submit,
  type TestApp,
} from "../helpers/app.ts";
import { openApiChecker, type OpenApiChecker } from "../helpers/openapi.ts";

let t: TestApp;
let api: OpenApiChecker;
beforeAll(async () => {
  t = await startTestApp();
  api = await openApiChecker(t.app);
});
afterAll(async () => t.close());

const me = (token?: string) => t.app.inject({ url: "/v1/me", headers: token ? bearer(token) : {} });

const startSession = (token: string, body: Record<string, unknown>) =>
  t.app.inject({ method: "POST", url: "/v1/sessions", headers: bearer(token), payload: body });

describe("GET /v1/me", () => {
  it("says who each kind of token is: role, name, ids and classes", async () => {
    const { teacher, klass, learner } = await classroom(t.app, "Ada");
    const second = expectStatus(
      await t.app.inject({
        method: "POST",
        url: "/v1/classes",
        headers: bearer(teacher.token),
        payload: { name: "Networks 102" },
      }),
      201,
    );

    const asTeacher = await me(teacher.token);
    api.expectDocumented("GET", "/v1/me", asTeacher);
    expect(expectStatus(asTeacher, 200)).toEqual({
      role: "teacher",
      teacherId: teacher.id,
      name: "Ms Frizzle",
      classes: [
        {
          id: klass.id,
          name: "Networks",
          joinCode: klass.joinCode,
          joinsOpen: true,
          createdAt: klass.createdAt,
        },
        {
          id: second.id,
          name: "Networks 102",
          joinCode: second.joinCode,
          joinsOpen: true,
          createdAt: second.createdAt,
        },
      ],
    });

    const asLearner = await me(learner.token);
    api.expectDocumented("GET", "/v1/me", asLearner);
    const body = expectStatus(asLearner, 200);
    expect(body).toMatchObject({
      role: "learner",
      learnerId: learner.learnerId,
      name: "Ada",
      classes: [{ id: klass.id, name: "Networks", teacherName: "Ms Frizzle" }],
    });
    // A learner sees the class, not the code to hand around.
    expect(body.classes[0].joinCode).toBeUndefined();

    api.expectDocumented("GET", "/v1/me", await me(OPERATOR_TOKEN));
    expect(expectStatus(await me(OPERATOR_TOKEN), 200)).toEqual({ role: "operator" });
  });

  it("answers 401 without a token or with a revoked one", async () => {
    const { learner } = await classroom(t.app, "Gone");
    expect((await me()).statusCode).toBe(401);
    api.expectDocumented("GET", "/v1/me", await me());
    await t.app.inject({
      method: "DELETE",
      url: "/v1/tokens/current",
      headers: bearer(learner.token),
    });
    expect(expectStatus(await me(learner.token), 401).error.code).toBe("UNAUTHENTICATED");
  });
});

describe("sessions after a reload", () => {
  it("resume: true answers the lesson's latest session, with the same seed and network", async () => {
    const { klass } = await classroom(t.app, "Host");
    const learner = await joinAndStart(t.app, klass.joinCode, "Reloading Ada");
    const first = learner.session;

    const resumed = await startSession(learner.token, { lessonId: LESSON, resume: true });
    api.expectDocumented("POST", "/v1/sessions", resumed);
    expect(expectStatus(resumed, 200)).toEqual(first);

    // Alice keeps her address: the same program sends to the same place in both.
    const before = expectStatus(await submit(t.app, learner.token, first.id, {}), 201);
    const after = expectStatus(
      await submit(t.app, learner.token, expectStatus(resumed, 200).id, {}),
      201,
    );
    const destinations = (result: {
      packets: { layers: { fields: { name: string; value: unknown }[] }[] }[];
    }) =>
      result.packets.map(
        (packet) => packet.layers[0]!.fields.find((field) => field.name === "destination")?.value,
      );
    expect(destinations(after)).toEqual(destinations(before));

    // Without resume, a fresh session (new seed); resume then finds that newer one.
    const fresh = expectStatus(await startSession(learner.token, { lessonId: LESSON }), 201);
    expect(fresh.id).not.toBe(first.id);
    const latest = expectStatus(
      await startSession(learner.token, { lessonId: LESSON, resume: true }),
      200,
    );
    expect(latest.id).toBe(fresh.id);

    // Nothing to resume on another lesson: one is started.
    const other = await startSession(learner.token, { lessonId: "fragmentation", resume: true });
    api.expectDocumented("POST", "/v1/sessions", other);
    expect(expectStatus(other, 201).lessonId).toBe("fragmentation");
  });

  it("GET /v1/sessions lists one's own, newest first, by lesson, page by page", async () => {
    const { klass } = await classroom(t.app, "Lister");
    const learner = await joinAndStart(t.app, klass.joinCode, "Lister Ada");
    const other = await joinAndStart(t.app, klass.joinCode, "Someone else");
    const made = [learner.session.id];
    for (const lessonId of [LESSON, "fragmentation", LESSON]) {
      made.push(expectStatus(await startSession(learner.token, { lessonId }), 201).id);
    }
    const list = (query: string, token = learner.token) =>
      t.app.inject({ url: `/v1/sessions${query}`, headers: bearer(token) });

    // Newest first by creation time; two made within one millisecond are ordered by id.
    const newestFirst = (items: { id: string; createdAt: string }[]) =>
      items.toSorted((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    const all = await list("");
    api.expectDocumented("GET", "/v1/sessions", all);
    const items = expectStatus(all, 200).items;
    expect(items).toEqual(newestFirst(items));
    expect(items.map((session: { id: string }) => session.id).toSorted()).toEqual(made.toSorted());
    expect(items.at(-1).id).toBe(made[0]);
    const ofLesson = expectStatus(await list(`?lessonId=${LESSON}`), 200);
    expect(ofLesson.items.map((session: { id: string }) => session.id).toSorted()).toEqual(
      [made[0], made[1], made[3]].toSorted(),
    );
    expect(
      ofLesson.items.every((session: { lessonId: string }) => session.lessonId === LESSON),
    ).toBe(true);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = expectStatus(
        await list(`?limit=1${cursor ? `&cursor=${cursor}` : ""}`),
        200,
      );
      expect(page.items.length).toBe(1);
      seen.push(...page.items.map((session) => session.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(items.map((session: { id: string }) => session.id));

    expect(expectStatus(await list("", other.token), 200).items).toHaveLength(1);
    expect(expectStatus(await list("?cursor=bogus"), 400).error.code).toBe("INVALID_CURSOR");
  });
});
