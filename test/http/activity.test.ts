/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies in tests; the assertions check their shape */
// The class activity feed over a real socket: Server-Sent Events a browser's EventSource reads,
// opened with a token or with a signed link, resumable with Last-Event-ID (or lastEventId, for a
// new EventSource on a fresh link); submissions carry the learner's matrix cell, joins a new row,
// and roster changes (rename, remove, merge, close/open) made through the API come as events; a
// deleted class's feed ends with a class-deleted event.
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
let base: string;
beforeAll(async () => {
  t = await startTestApp();
  base = await t.listen();
});
afterAll(async () => t.close());

interface SseEvent {
  id: string;
  event: string;
  data: any;
}

/** Reads events from an open SSE response until `until` says it has enough. */
async function readEvents(response: Response, until: (events: SseEvent[]) => boolean) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buffer = "";
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields: Record<string, string> = Object.fromEntries(
        block
          .split("\n")
          .filter((line) => !line.startsWith(":"))
          .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]),
      );
      if (fields.data)
        events.push({
          id: fields.id ?? "",
          event: fields.event ?? "",
          data: JSON.parse(fields.data),
        });
    }
  }
  await reader.cancel();
  return events;
}

describe("a class's live activity feed", () => {
  it("streams each submission as it is stored, with the first failing check by title", async () => {
    const { teacher, klass, learner } = await classroom(t.app, "Ada");
    expectStatus(await submit(t.app, learner.token, learner.session.id, {}), 201);
    const response = await fetch(`${base}/v1/classes/${klass.id}/activity`, {
      headers: bearer(teacher.token),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const later = submit(t.app, learner.token, learner.session.id, {
      code: wrongPort,
      language: "javascript",
    });
    const events = await readEvents(response, (seen) => seen.length >= 3);
    const stored = expectStatus(await later, 201);
    expect(events.map((e) => e.event)).toEqual(["learner-joined", "submission", "submission"]);
    expect(events[0]!.data).toEqual({
      type: "learner-joined",
      learnerId: learner.learnerId,
      displayName: "Ada",
      joinedAt: expect.any(String),
    });
    expect(events[1]!.data).toMatchObject({
      displayName: "Ada",
      passed: true,
      firstFailedCheck: null,
    });
    expect(events[2]!.data).toMatchObject({
      type: "submission",
      submissionId: stored.id,
      learnerId: learner.learnerId,
      exerciseId: "message-to-alice",
      passed: false,
      firstFailedCheck: {
        id: "reached-alice",
        title: "A datagram reached Alice's address on port 1000",
      },
      // The cell as it is now: passed once, and the latest attempt failed.
      cell: {
        status: "passed",
        attempts: 2,
        latest: {
          submissionId: stored.id,
          passed: false,
          firstFailedCheck: { id: "reached-alice" },
        },
        stuck: null,
      },
    });
    expect(events[2]!.id).toBe(`${stored.createdAt},${stored.id}`);

    // Resuming after the passing submission gives the failed one again, and nothing before it.
    const resumed = await fetch(`${base}/v1/classes/${klass.id}/activity`, {
      headers: { ...bearer(teacher.token), "last-event-id": events[1]!.id },
    });
    const again = await readEvents(resumed, (seen) => seen.length >= 1);
    expect(again[0]!.data.submissionId).toBe(stored.id);
  });

  it("opens with a signed link (EventSource sends no token), and is the teacher's only", async () => {
    const { teacher, klass, learner } = await classroom(t.app, "Ada");
    const other = await classroom(t.app, "Eve");
    expectStatus(await submit(t.app, learner.token, learner.session.id, {}), 201);
    const path = `/v1/classes/${klass.id}/activity`;
    const link = expectStatus(
      await t.app.inject({
        method: "POST",
        url: "/v1/download-links",
        headers: bearer(teacher.token),
        payload: { path },
      }),
      201,
    );
    const response = await fetch(`${base}${link.url}`);
    expect(response.status).toBe(200);
    const events = await readEvents(response, (seen) => seen.length >= 2);
    expect(events.map((e) => [e.event, e.data.displayName])).toEqual([
      ["learner-joined", "Ada"],
      ["submission", "Ada"],
    ]);

    // A new EventSource cannot set Last-Event-ID: the same resume point goes in the query.
    const resumed = await fetch(
      `${base}${link.url}&lastEventId=${encodeURIComponent(events[0]!.id)}`,
    );
    const again = await readEvents(resumed, (seen) => seen.length >= 1);
    expect(again[0]!.id).toBe(events[1]!.id);

    const stranger = await t.app.inject({
      method: "GET",
      url: path,
      headers: bearer(other.teacher.token),
    });
    expect(stranger.statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: "GET", url: path, headers: bearer(learner.token) })).statusCode,
    ).toBe(403);
    expect((await t.app.inject({ method: "GET", url: path })).statusCode).toBe(401);
  });

  it("tells of a learner who joins while it is open", async () => {
    const { teacher, klass } = await classroom(t.app, "Ada");
    const response = await fetch(`${base}/v1/classes/${klass.id}/activity`, {
      headers: bearer(teacher.token),
    });
    const joining = joinAndStart(t.app, klass.joinCode, "Grace");
    const events = await readEvents(response, (seen) => seen.length >= 2);
    const grace = await joining;
    expect(events.map((e) => [e.event, e.data.displayName])).toEqual([
      ["learner-joined", "Ada"],
      ["learner-joined", "Grace"],
    ]);
    expect(events[1]!.data.learnerId).toBe(grace.learnerId);
  });

  it("tells of roster changes made through the API, in order", async () => {
    const { teacher, klass, learner } = await classroom(t.app, "Ada");
    const grace = await joinAndStart(t.app, klass.joinCode, "Grace");
    const duplicate = await joinAndStart(t.app, klass.joinCode, "Ada again");
    const response = await fetch(`${base}/v1/classes/${klass.id}/activity`, {
      headers: bearer(teacher.token),
    });
    const change = async (method: string, url: string, payload?: object) =>
      expectStatus(
        await t.app.inject({
          method: method as "PATCH",
          url,
          headers: bearer(teacher.token),
          payload,
        }),
        method === "DELETE" ? 204 : 200,
      );
    const learners = `/v1/classes/${klass.id}/learners`;
    await change("PATCH", `${learners}/${learner.learnerId}`, { displayName: "Ada Lovelace" });
    await change("POST", `${learners}/${learner.learnerId}/merge`, {
      fromLearnerId: duplicate.learnerId,
    });
    await change("DELETE", `${learners}/${grace.learnerId}`);
    await change("PATCH", `/v1/classes/${klass.id}`, { joinsOpen: false });
    const roster = (await readEvents(response, (seen) => seen.length >= 6)).filter(
      (e) => e.event !== "learner-joined",
    );
    expect(roster.map((e) => e.data)).toEqual([
      {
        type: "learner-renamed",
        learnerId: learner.learnerId,
        displayName: "Ada Lovelace",
        at: expect.any(String),
      },
      {
        type: "learners-merged",
        learnerId: learner.learnerId,
        fromLearnerId: duplicate.learnerId,
        displayName: "Ada Lovelace",
        at: expect.any(String),
      },
      { type: "learner-removed", learnerId: grace.learnerId, at: expect.any(String) },
      { type: "class-updated", name: klass.name, joinsOpen: false, at: expect.any(String) },
    ]);
    expect(roster.map((e) => e.event)).toEqual(roster.map((e) => e.data.type));
    // The SSE id resumes after a roster event too.
    const resumed = await fetch(`${base}/v1/classes/${klass.id}/activity`, {
      headers: { ...bearer(teacher.token), "last-event-id": roster[2]!.id },
    });
    await change("PATCH", `/v1/classes/${klass.id}`, { joinsOpen: true });
    const after = await readEvents(resumed, (seen) => seen.length >= 2);
    expect(after.map((e) => [e.event, e.data.joinsOpen])).toEqual([
      ["class-updated", false],
      ["class-updated", true],
    ]);
  });

  it("ends with class-deleted when the class is deleted, and another class's goes on", async () => {
    const doomed = await classroom(t.app, "Ada");
    const other = await classroom(t.app, "Eve");
    const open = ({ teacher, klass }: typeof doomed) =>
      fetch(`${base}/v1/classes/${klass.id}/activity`, { headers: bearer(teacher.token) });
    // Each response is open (its backlog read) before the class goes.
    const [feed, otherFeed] = await Promise.all([open(doomed), open(other)]);
    expect(
      (
        await t.app.inject({
          method: "DELETE",
          url: `/v1/classes/${doomed.klass.id}`,
          headers: bearer(doomed.teacher.token),
        })
      ).statusCode,
    ).toBe(204);

    const events = await readEvents(feed, () => false); // to the stream's end
    expect(events.map((e) => e.event)).toEqual(["learner-joined", "class-deleted"]);
    const deleted = events[1]!;
    expect(deleted.data).toEqual({
      type: "class-deleted",
      classId: doomed.klass.id,
      at: expect.any(String),
    });
    expect(deleted.id).toBe(`${deleted.data.at},${doomed.klass.id}`);
    // An EventSource reconnects with the last id: the class is not found.
    const again = await fetch(`${base}/v1/classes/${doomed.klass.id}/activity`, {
      headers: { ...bearer(doomed.teacher.token), "last-event-id": deleted.id },
    });
    expect(again.status).toBe(404);
    await again.body?.cancel();

    const joining = joinAndStart(t.app, other.klass.joinCode, "Grace");
    const otherEvents = await readEvents(otherFeed, (seen) => seen.length >= 2);
    await joining;
    expect(otherEvents.map((e) => [e.event, e.data.displayName])).toEqual([
      ["learner-joined", "Eve"],
      ["learner-joined", "Grace"],
    ]);
  });

  it("ends with class-deleted when the class goes with its teacher", async () => {
    const { teacher, klass } = await classroom(t.app, "Ada");
    const feed = await fetch(`${base}/v1/classes/${klass.id}/activity`, {
      headers: bearer(teacher.token),
    });
    expect(feed.status).toBe(200);
    // The API deletes no teacher: an operator does, in the database, and the classes cascade.
    await t.db.prisma.teacher.delete({ where: { id: teacher.id } });
    const events = await readEvents(feed, () => false);
    expect(events.map((e) => [e.event, e.data.classId])).toEqual([
      ["learner-joined", undefined],
      ["class-deleted", klass.id],
    ]);
  });
});
