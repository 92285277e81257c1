// Downloads a page can offer as plain links: signed, short-lived, bound to one path and one
// account, shared by every replica, and no key to more than that account's own token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDownloadLinks } from "../../src/http/download-links.ts";
import { readPcap } from "../../src/protocols/pcap.ts";
import {
  bearer,
  classroom,
  expectStatus,
  joinAndStart,
  startTestApp,
  submit,
  type TestApp,
} from "../helpers/app.ts";
import { openTestDatabase, type TestDatabase } from "../helpers/database.ts";

let database: TestDatabase;
let t: TestApp;
let cast: Awaited<ReturnType<typeof classroom>>;
let submissionId: string;
const unusedGrader = {
  gradeSubmission: async () => {
    throw new Error("this replica grades nothing");
  },
};
const pcapPath = () => `/v1/submissions/${submissionId}/trace.pcap`;
const csvPath = () => `/v1/classes/${cast.klass.id}/progress.csv`;

beforeAll(async () => {
  database = await openTestDatabase();
  t = await startTestApp({ db: database.db });
  cast = await classroom(t.app, "Downloader");
  submissionId = expectStatus(
    await submit(t.app, cast.learner.token, cast.learner.session.id, {}),
    201,
  ).id;
});
afterAll(async () => {
  await t.close();
  await database.close();
});

const makeLink = (app: TestApp["app"], token: string, path: string) =>
  app.inject({
    method: "POST",
    url: "/v1/download-links",
    headers: bearer(token),
    payload: { path },
  });

describe("signed download links", () => {
  it("fetch a learner's pcap and a teacher's CSV without a token, as attachments", async () => {
    const pcapLink = expectStatus(await makeLink(t.app, cast.learner.token, pcapPath()), 201);
    expect(pcapLink.url.startsWith(`${pcapPath()}?`)).toBe(true);
    const expiresIn = new Date(pcapLink.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(60_000);
    expect(expiresIn).toBeLessThanOrEqual(300_000);
    const pcap = await t.app.inject({ url: pcapLink.url });
    expect(pcap.statusCode).toBe(200);
    expect(pcap.headers["content-disposition"]).toBe(
      `attachment; filename="submission-${submissionId}.pcap"`,
    );
    expect(readPcap(new Uint8Array(pcap.rawPayload)).records.length).toBeGreaterThan(0);

    const csvLink = expectStatus(await makeLink(t.app, cast.teacher.token, csvPath()), 201);
    const csv = await t.app.inject({ url: csvLink.url });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-disposition"]).toMatch(/^attachment; filename="class-.*\.csv"$/);
    expect(csv.body).toContain("Downloader");
    // The teacher may link to the pcap of their learner's submission too.
    const teachersPcap = expectStatus(await makeLink(t.app, cast.teacher.token, pcapPath()), 201);
    expect((await t.app.inject({ url: teachersPcap.url })).statusCode).toBe(200);
  });

  it("are refused when altered: another path, account or expiry, or no signature", async () => {
    const { url } = expectStatus(await makeLink(t.app, cast.learner.token, pcapPath()), 201);
    const link = new URL(url, "http://api.example");
    const altered = (change: (params: URLSearchParams) => void, path = link.pathname) => {
      const params = new URLSearchParams(link.search);
      change(params);
      return t.app.inject({ url: `${path}?${params}` });
    };
    const other = await classroom(t.app, "Other");
    const cases = {
      "another path": await altered(
        () => {},
        `/v1/submissions/00000000-0000-4000-8000-000000000000/trace.pcap`,
      ),
      "another account": await altered((p) =>
        p.set("principal", `learner:${other.learner.learnerId}`),
      ),
      "a later expiry": await altered((p) =>
        p.set("expires", String(Number(p.get("expires")) + 600)),
      ),
      "a forged signature": await altered((p) => p.set("signature", "A".repeat(43))),
      "no principal": await altered((p) => p.delete("principal")),
    };
    for (const [what, response] of Object.entries(cases)) {
      expect(response.statusCode, what).toBe(401);
      expect(response.json().error.code, what).toBe("UNAUTHENTICATED");
    }
    expect((await t.app.inject({ url: pcapPath() })).statusCode).toBe(401);
  });

  it("grant nothing the account could not fetch with its token", async () => {
    // A classmate can make a link to someone else's pcap, but it answers 404 as their token does.
    const classmate = await joinAndStart(t.app, cast.klass.joinCode, "Classmate");
    const { url } = expectStatus(await makeLink(t.app, classmate.token, pcapPath()), 201);
    expect((await t.app.inject({ url })).statusCode).toBe(404);
    // A learner gets no link to a class CSV, and no path but a download gets one.
    expect(expectStatus(await makeLink(t.app, cast.learner.token, csvPath()), 403).error.code).toBe(
      "FORBIDDEN",
    );
    const lessons = expectStatus(await makeLink(t.app, cast.learner.token, "/v1/lessons"), 400);
    expect(lessons.error.code).toBe("NOT_DOWNLOADABLE");
    expect(lessons.error.message).toContain("/v1/classes/:classId/progress.csv");
    // A link only reaches the route it was made for: it is no token for other routes.
    const link = new URL(url, "http://api.example");
    const elsewhere = await t.app.inject({
      url: `/v1/submissions/${submissionId}/trace${link.search}`,
    });
    expect(elsewhere.statusCode).toBe(401);
  });

  it("expire", async () => {
    const secret = "a-download-link-secret-for-the-tests-0123";
    const keyed = await startTestApp({
      db: database.db,
      env: { DOWNLOAD_LINK_SECRET: secret },
      grader: unusedGrader,
    });
    try {
      const links = createDownloadLinks(async () => Buffer.from(secret, "utf8"));
      const principal = {
        role: "learner" as const,
        learnerId: cast.learner.learnerId,
        tokenId: "x",
      };
      const fresh = await links.sign(pcapPath(), principal);
      expect((await keyed.app.inject({ url: `${pcapPath()}?${fresh.query}` })).statusCode).toBe(
        200,
      );
      const old = await links.sign(pcapPath(), principal, new Date(Date.now() - 301_000));
      const expired = await keyed.app.inject({ url: `${pcapPath()}?${old.query}` });
      expect(expired.statusCode).toBe(401);
      expect(expired.json().error.message).toMatch(/expired/);
      // Signed under another key (the database's): refused here.
      const { url } = expectStatus(await makeLink(t.app, cast.learner.token, pcapPath()), 201);
      expect((await keyed.app.inject({ url })).statusCode).toBe(401);
    } finally {
      await keyed.close();
    }
  });

  it("made by one replica work on another (the key is kept in the database)", async () => {
    const replica = await startTestApp({ db: database.db, grader: unusedGrader });
    try {
      const { url } = expectStatus(await makeLink(t.app, cast.learner.token, pcapPath()), 201);
      expect((await replica.app.inject({ url })).statusCode).toBe(200);
    } finally {
      await replica.close();
    }
  });
});
