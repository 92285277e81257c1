// A class pressing Run at once: BURST learners each open the session stream, authenticate,
// and send one run of the Alice solution in the same instant. Counts the runs that finished,
// those refused, the time to the last answer and the longest queue position the service told.
import WebSocket from "ws";
import { OPERATOR } from "./http.ts";

export interface BurstResult {
  streams: number;
  finished: number;
  refused: Record<string, number>;
  lastMs: number;
  p50Ms: number;
  maxPosition: number;
}

async function post(base: string, path: string, body: unknown, token?: string) {
  const response = await fetch(base + path, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, string>>;
}

/** `count` learners of one class, each with a session of the lesson, made 25 at a time. */
async function classOf(base: string, count: number) {
  const teacher = await post(base, "/v1/teachers", { name: "Burst" }, OPERATOR);
  const klass = await post(base, "/v1/classes", { name: "Burst" }, teacher.token);
  const learners: { token: string; sessionId: string }[] = [];
  for (let i = 0; i < count; i += 25) {
    const batch = Array.from({ length: Math.min(25, count - i) }, async (_, j) => {
      const joined = await post(base, "/v1/classes/join", {
        joinCode: klass.joinCode,
        displayName: `B${i + j}`,
      });
      const session = await post(
        base,
        "/v1/sessions",
        { lessonId: "exchanging-messages" },
        joined.token,
      );
      return { token: joined.token!, sessionId: session.id! };
    });
    learners.push(...(await Promise.all(batch)));
  }
  return learners;
}

export async function burst(base: string, count: number, code: string): Promise<BurstResult> {
  const learners = await classOf(base, count);
  const sockets = await Promise.all(
    learners.map(async (learner) => {
      const socket = new WebSocket(
        `${base.replace("http", "ws")}/v1/sessions/${learner.sessionId}/stream`,
      );
      await new Promise((resolve, reject) => {
        socket.once("open", resolve);
        socket.once("error", reject);
      });
      const ready = new Promise((resolve) => socket.once("message", resolve));
      socket.send(JSON.stringify({ type: "auth", token: learner.token }));
      await ready;
      return socket;
    }),
  );
  const result: BurstResult = {
    streams: count,
    finished: 0,
    refused: {},
    lastMs: 0,
    p50Ms: 0,
    maxPosition: 0,
  };
  const started = performance.now();
  const times = await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<number>((resolve) => {
          socket.on("message", (data) => {
            const message = JSON.parse(String(data)) as {
              type: string;
              position?: number;
              error?: { code: string };
            };
            if (message.type === "run-queued") {
              result.maxPosition = Math.max(result.maxPosition, message.position ?? 0);
            } else if (message.type === "run-finished") {
              result.finished++;
              resolve(performance.now() - started);
            } else if (message.type === "error") {
              const code = message.error?.code ?? "?";
              result.refused[code] = (result.refused[code] ?? 0) + 1;
              resolve(performance.now() - started);
            }
          });
          socket.send(
            JSON.stringify({
              type: "run",
              exerciseId: "message-to-alice",
              language: "typescript",
              code,
            }),
          );
        }),
    ),
  );
  for (const socket of sockets) socket.terminate();
  const sorted = times.sort((a, b) => a - b);
  result.lastMs = sorted.at(-1) ?? 0;
  result.p50Ms = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return result;
}
