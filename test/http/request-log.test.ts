// What the service logs per request: one line, with what an operator looks for (method, URL,
// status, time). fastify's default was two lines a request, a third of the API's system calls
// per graded submission at the default level.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classroom, startTestApp, type TestApp } from "../helpers/app.ts";
import { recordingLogger } from "../helpers/recording-logger.ts";
import { openStream } from "../helpers/ws-client.ts";

const { logger, lines } = recordingLogger();
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ logger });
});
afterAll(async () => t.close());

const logged = (message: string) => lines.filter((line) => line.message === message);
const fields = (line: { object: unknown }) =>
  line.object as { req: { method: string; url: string }; res: { statusCode: number } };

describe("the request log", () => {
  it("writes one line per request, with its method, URL, status and time", async () => {
    lines.length = 0;
    const response = await t.app.inject({ method: "GET", url: "/v1/lessons?x=1" });
    expect(response.statusCode).toBe(200);
    expect(lines.map((line) => line.message)).toEqual(["request completed"]);
    const [line] = lines;
    expect(line!.level).toBe("info");
    expect(fields(line!).req).toMatchObject({ method: "GET", url: "/v1/lessons?x=1" });
    expect(fields(line!).res.statusCode).toBe(200);
    expect((line!.object as { responseTime: number }).responseTime).toBeGreaterThanOrEqual(0);
  });

  it("logs a refused request once too, with its status", async () => {
    lines.length = 0;
    const response = await t.app.inject({ method: "GET", url: "/v1/lessons/no-such-lesson" });
    expect(response.statusCode).toBe(404);
    const completed = logged("request completed");
    expect(completed).toHaveLength(1);
    expect(fields(completed[0]!).res.statusCode).toBe(404);
  });

  it("logs a WebSocket stream when it opens (an upgraded request never completes as HTTP)", async () => {
    const { learner } = await classroom(t.app);
    const base = await t.listen();
    lines.length = 0;
    const client = await openStream(
      `${base.replace("http", "ws")}/v1/sessions/${learner.session.id}/stream`,
    );
    client.send({ type: "auth", token: learner.token });
    await client.next((message) => message.type === "ready");
    client.socket.close();
    const opened = logged("stream opened");
    expect(opened).toHaveLength(1);
    expect(fields(opened[0]!).req.url).toBe(`/v1/sessions/${learner.session.id}/stream`);
    expect(logged("request completed")).toHaveLength(0);
  });
});
