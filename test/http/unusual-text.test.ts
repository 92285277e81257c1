/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies in tests; the assertions check their shape */
// Text PostgreSQL cannot hold as is (NUL, lone UTF-16 surrogates) in everything a learner or a
// teacher can produce: program output, error messages, code, names, join codes, DNS names in the
// trace. It is stored (escaped, src/progress/storable-text.ts) and shown back as it was sent.
// Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  classroom,
  expectStatus,
  OPERATOR_TOKEN,
  startTestApp,
  submit,
  type TestApp,
} from "../helpers/app.ts";
import { openTestDatabase } from "../helpers/database.ts";
import type { Database } from "../../src/progress/database.ts";

// NUL, a lone high and a lone low surrogate, the escape character itself, and a well-formed pair.
const HOSTILE = "a\u0000b\ud800c\udc00d\uffff0041e\ud83d\ude00f";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { SUBMISSION_RATE_LIMIT: "3" } });
});
afterAll(async () => t.close());

const get = (url: string, token: string) =>
  t.app.inject({ method: "GET", url, headers: bearer(token) });

describe("text PostgreSQL refuses as is", () => {
  it("program output, error message and code are stored and shown back faithfully", async () => {
    const { learner } = await classroom(t.app);
    // The lesson's name server answers 4 address bytes: printed as text they hold NUL bytes
    // (10.0.0.x), which is what a beginner does in the first exercise.
    const code = `// ${HOSTILE}
import { UdpSocket, decodeText } from "net";
const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const [answer] = socket.recvFrom();
console.log(decodeText(answer));
console.log(${JSON.stringify(HOSTILE)});
throw new Error(${JSON.stringify(HOSTILE)});
`;
    const created = expectStatus(
      await submit(t.app, learner.token, learner.session.id, { code, language: "javascript" }),
      201,
    );
    expect(created.outcome).toBe("runtime-error");
    expect(created.code).toBe(code);
    expect(created.output[0].text).toContain("\u0000");
    expect(created.output[1].text).toBe(HOSTILE);
    expect(created.error.message).toBe(HOSTILE);

    const stored = expectStatus(await get(`/v1/submissions/${created.id}`, learner.token), 200);
    expect(stored.code).toBe(code);
    expect(stored.output).toEqual(created.output);
    expect(stored.error.message).toBe(HOSTILE);
    expect(stored.message).toBe(created.message);
    const list = expectStatus(await get("/v1/submissions", learner.token), 200);
    expect(list.items.map((item: any) => item.id)).toEqual([created.id]);
  });

  it("a DNS name with a NUL byte in the trace is stored and read back", async () => {
    const { learner } = await classroom(t.app);
    // A real DNS query whose one label is "a\0b" (and a name server that must not choke on it).
    const code = `
import { UdpSocket } from "net";
const query = new Uint8Array([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x61, 0, 0x62, 0, 0, 1, 0, 1]);
const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(500);
socket.sendTo(query, "10.0.0.53:53");
try { socket.recvFrom(); } catch {}
`;
    const created = expectStatus(
      await submit(t.app, learner.token, learner.session.id, { code, language: "javascript" }),
      201,
    );
    const trace = expectStatus(
      await get(`/v1/submissions/${created.id}/trace`, learner.token),
      200,
    );
    expect(trace.packets.length).toBeGreaterThan(0);
    // The query's name holds the NUL byte, in the trace as in the answer (jsonb reorders keys).
    expect(JSON.stringify(created.packets[0].layers)).toContain("\\u0000");
    expect(trace.packets).toEqual(created.packets);
  });

  it("teacher, class and display names keep NUL and lone surrogates", async () => {
    const teacher = expectStatus(
      await t.app.inject({
        method: "POST",
        url: "/v1/teachers",
        headers: bearer(OPERATOR_TOKEN),
        payload: { name: HOSTILE },
      }),
      201,
    );
    expect(teacher.name).toBe(HOSTILE);
    const klass = expectStatus(
      await t.app.inject({
        method: "POST",
        url: "/v1/classes",
        headers: bearer(teacher.token),
        payload: { name: HOSTILE },
      }),
      201,
    );
    expect(klass.name).toBe(HOSTILE);
    const joined = expectStatus(
      await t.app.inject({
        method: "POST",
        url: "/v1/classes/join",
        payload: { joinCode: klass.joinCode, displayName: HOSTILE },
      }),
      201,
    );
    expect(joined.className).toBe(HOSTILE);
    const me = expectStatus(await get("/v1/me", teacher.token), 200);
    expect(me.name).toBe(HOSTILE);
    expect(me.classes[0].name).toBe(HOSTILE);
    const learnerMe = expectStatus(await get("/v1/me", joined.token), 200);
    expect(learnerMe.name).toBe(HOSTILE);
    expect(learnerMe.classes[0].teacherName).toBe(HOSTILE);
    const progress = expectStatus(
      await get(`/v1/classes/${klass.id}/progress`, teacher.token),
      200,
    );
    expect(progress.class.name).toBe(HOSTILE);
    expect(progress.learners[0].displayName).toBe(HOSTILE);
    // A hand-written $queryRaw (the roster's rename) stores and answers it the same way.
    const renamed = expectStatus(
      await t.app.inject({
        method: "PATCH",
        url: `/v1/classes/${klass.id}/learners/${progress.learners[0].id}`,
        headers: bearer(teacher.token),
        payload: { displayName: `${HOSTILE}!` },
      }),
      200,
    );
    expect(renamed.displayName).toBe(`${HOSTILE}!`);
  });

  it("a join code with NUL or a lone surrogate is an unknown code, not a 500", async () => {
    for (const joinCode of ["ABCD\u0000EFGH", "ABCD\ud800EFGH"]) {
      const response = await t.app.inject({
        method: "POST",
        url: "/v1/classes/join",
        payload: { joinCode, displayName: "Ada" },
      });
      expect(response.statusCode, response.body).toBe(404);
      expect(response.json().error.code).toBe("CLASS_NOT_FOUND");
    }
  });
});

describe("a submission the database refuses", () => {
  it("does not count against the learner's allowance", async () => {
    const database = await openTestDatabase();
    let refuse = true;
    // The database refuses the first submission's row once (as it refused NUL before storable
    // text): the learner's one submission a minute must still be there for the retry.
    const db: Database = {
      ...database.db,
      sql: {
        query: (statement, values) => {
          if (statement.name === "packetlab_record_submission" && refuse) {
            refuse = false;
            return Promise.reject(new Error("invalid byte sequence for encoding UTF8: 0x00"));
          }
          return database.db.sql.query(statement, values);
        },
      },
    };
    const limited = await startTestApp({ db, env: { SUBMISSION_RATE_LIMIT: "1" } });
    try {
      const { learner } = await classroom(limited.app);
      const refused = await submit(limited.app, learner.token, learner.session.id, {});
      expect(refused.statusCode).toBe(500);
      expectStatus(await submit(limited.app, learner.token, learner.session.id, {}), 201);
      expect((await submit(limited.app, learner.token, learner.session.id, {})).statusCode).toBe(
        429,
      );
    } finally {
      await limited.close();
      await database.close();
    }
  });
});
