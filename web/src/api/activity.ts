// A class's live activity (GET /v1/classes/{id}/activity, Server-Sent Events) for the teacher's
// dashboard: submissions, joins, and roster changes made anywhere. EventSource cannot send the
// bearer token, so each connection opens on a signed link (POST /v1/download-links, good for 5
// minutes, checked when the stream opens). While a link is valid the browser reconnects by
// itself and sends Last-Event-ID; once the server refuses it (an expired link after a restart,
// a 503) the EventSource closes and a new one opens here on a fresh link, resuming with
// ?lastEventId=. After FALLBACK_AFTER failures in a row the state says "polling" so the
// dashboard asks for the matrix itself, and the stream is still retried. A `class-deleted` event
// is the feed's last: it is closed for good (a new one would only get 404).
import type {
  ActivityClassDeletedEvent,
  ActivityEvent,
  ActivityJoinEvent,
  ActivityRosterEvent,
  Api,
} from "./client.ts";

export type ActivityState = "connecting" | "live" | "reconnecting" | "polling";

export interface ActivityListener {
  submission(event: ActivityEvent): void;
  joined(event: ActivityJoinEvent): void;
  /** A learner renamed, removed or merged, or the class opened or closed, by anyone. */
  roster(event: ActivityRosterEvent): void;
  /** The class was deleted: the feed is closed, and nothing else comes. */
  deleted(event: ActivityClassDeletedEvent): void;
  state(state: ActivityState): void;
}

const ROSTER_EVENTS: ActivityRosterEvent["type"][] = [
  "learner-renamed",
  "learner-removed",
  "learners-merged",
  "class-updated",
];
const FALLBACK_AFTER = 3;
const RETRY_MS = [1000, 2000, 5000, 10_000, 30_000];

export function openClassActivity(
  api: Api,
  classId: string,
  listener: ActivityListener,
): { close(): void } {
  const path = `/v1/classes/${encodeURIComponent(classId)}/activity`;
  let source: EventSource | undefined;
  let lastEventId: string | undefined;
  let failures = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let state: ActivityState | undefined;

  const setState = (next: ActivityState) => {
    if (next !== state) listener.state((state = next));
  };

  const fail = () => {
    source?.close();
    source = undefined;
    if (closed) return;
    failures++;
    setState(failures >= FALLBACK_AFTER ? "polling" : "reconnecting");
    retry = setTimeout(open, RETRY_MS[Math.min(failures, RETRY_MS.length) - 1]);
  };

  const close = () => {
    closed = true;
    clearTimeout(retry);
    source?.close();
    source = undefined;
  };

  const receive = (handler: (data: never) => void) => (message: MessageEvent<string>) => {
    lastEventId = message.lastEventId || lastEventId;
    handler(JSON.parse(message.data) as never);
  };

  async function open() {
    retry = undefined;
    let url: URL;
    try {
      const link = await api.downloadLink(path);
      url = new URL(link.url, api.baseUrl);
    } catch {
      fail();
      return;
    }
    if (closed) return;
    if (lastEventId) url.searchParams.set("lastEventId", lastEventId);
    const opened = new EventSource(url);
    source = opened;
    opened.onopen = () => {
      failures = 0;
      setState("live");
    };
    opened.addEventListener("submission", receive(listener.submission));
    opened.addEventListener("learner-joined", receive(listener.joined));
    for (const name of ROSTER_EVENTS) opened.addEventListener(name, receive(listener.roster));
    // Closed before the server ends the stream, so the browser does not reconnect to a 404.
    opened.addEventListener(
      "class-deleted",
      receive((event: ActivityClassDeletedEvent) => {
        close();
        listener.deleted(event);
      }),
    );
    opened.onerror = () => {
      if (opened !== source) return;
      // CONNECTING: the browser retries on its own with Last-Event-ID; a stream that keeps
      // failing (no server answering) still counts towards falling back to polling.
      if (opened.readyState === EventSource.CONNECTING) {
        failures++;
        if (failures < FALLBACK_AFTER) {
          setState("reconnecting");
          return;
        }
      }
      fail();
    };
  }

  setState("connecting");
  void open();
  return { close };
}
