// The session stream (AsyncAPI at /docs/asyncapi.json): opened with a single-use ticket from
// POST /v1/ws-tickets, ready once the server says `ready`; runs and cancels go out as typed
// messages, everything the server says comes back to one listener. Opened again on the next
// run if it was closed (a deploy, a network blip).
import type { Api, Language, StreamClientMessage, StreamServerMessage } from "./client.ts";

export type StreamListener = (message: StreamServerMessage) => void;

export interface SessionStream {
  run(exerciseId: string, code: string, language: Language): Promise<string>;
  cancel(runId: string): void;
  close(): void;
}

export function openSessionStream(
  api: Api,
  sessionId: string,
  listener: StreamListener,
): SessionStream {
  let socket: Promise<WebSocket> | undefined;
  let runs = 0;
  let closed = false;

  const connect = async (): Promise<WebSocket> => {
    const { ticket } = await api.wsTicket();
    const url = new URL(`/v1/sessions/${encodeURIComponent(sessionId)}/stream`, api.baseUrl);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("ticket", ticket);
    const ws = new WebSocket(url);
    return new Promise((resolve, reject) => {
      ws.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as StreamServerMessage;
        if (message.type === "ready") resolve(ws);
        else if (message.type === "error") reject(new Error(message.error.message));
        listener(message);
      };
      ws.onclose = (event) => {
        socket = undefined;
        reject(
          new Error(`The stream closed (${event.code}${event.reason ? `: ${event.reason}` : ""}).`),
        );
      };
    });
  };

  const ready = () => {
    if (closed) return Promise.reject(new Error("The stream is closed."));
    socket ??= connect().catch((error: unknown) => {
      socket = undefined;
      throw error;
    });
    return socket;
  };
  const send = async (message: StreamClientMessage) =>
    (await ready()).send(JSON.stringify(message));

  return {
    async run(exerciseId, code, language) {
      const runId = `run-${Date.now().toString(36)}-${++runs}`;
      // Several packets a message: one message a packet was half the page's work in a large run.
      await send({ type: "run", exerciseId, code, language, runId, packetBatches: true });
      return runId;
    },
    cancel(runId) {
      void send({ type: "cancel", runId });
    },
    close() {
      closed = true;
      void socket?.then(
        (ws) => ws.close(1000),
        () => undefined,
      );
    },
  };
}
