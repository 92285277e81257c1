// A class's matrix kept current from its activity feed: the matrix is asked for once, then each
// `submission` event replaces the learner's cell with the one it carries (the cell as it is
// now, stuck signal included), each `learner-joined` event adds a row, and the roster's events
// (made in another tab, by a script) rename or drop a row; a merge drops the duplicate's row and
// asks for the matrix again, for the merged learner's cells. Events that arrive before the
// matrix are kept and applied after it, in order. Only when the feed is down ("polling") is the
// matrix asked for again every few seconds. A `class-deleted` event ends it all: the class is
// gone, and the dashboard says so instead of asking for it again.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { openClassActivity, type ActivityState } from "../api/activity.ts";
import type {
  ActivityClassDeletedEvent,
  ActivityEvent,
  Api,
  ClassProgress,
} from "../api/client.ts";
import { applyEvent, type ClassUpdatedEvent, type FeedEvent } from "./matrix-events.ts";

const POLL_MS = 3000;

export interface LiveProgress {
  progress: ClassProgress | undefined;
  error: string;
  connection: ActivityState;
  /** The newest submission seen on the feed (a learner's attempts reload on it). */
  latest: ActivityEvent | undefined;
  /** Events seen so far (the statistics reload on a change). */
  events: number;
  /** The newest `class-updated` event (opened or closed elsewhere): the class is asked again. */
  classUpdate: ClassUpdatedEvent | undefined;
  /** The feed's `class-deleted` event: the class is gone (the feed has closed). */
  deleted: ActivityClassDeletedEvent | undefined;
  reload: () => void;
}

export function useLiveProgress(api: Api, classId: string): LiveProgress {
  const [progress, setProgress] = useState<ClassProgress>();
  const [error, setError] = useState("");
  const [connection, setConnection] = useState<ActivityState>("connecting");
  const [latest, setLatest] = useState<ActivityEvent>();
  const [events, setEvents] = useState(0);
  const [classUpdate, setClassUpdate] = useState<ClassUpdatedEvent>();
  const [deleted, setDeleted] = useState<ActivityClassDeletedEvent>();
  // The matrix as events see it (state updates are not synchronous), and the events that came
  // before the first matrix did.
  const current = useRef<ClassProgress | undefined>(undefined);
  const pending = useRef<FeedEvent[] | undefined>([]);
  const shown = useRef(classId);

  const show = (next: ClassProgress | undefined) => {
    current.current = next;
    setProgress(next);
  };

  const reload = useCallback(() => {
    api.classProgress(classId).then(
      (loaded) => {
        if (shown.current !== classId) return; // an answer about the class shown before
        const early = pending.current ?? [];
        pending.current = undefined;
        // An event about a learner even this matrix does not have (removed since) is dropped.
        show(early.reduce((matrix, event) => applyEvent(matrix, event) ?? matrix, loaded));
        setError("");
      },
      (caught: unknown) => setError(caught instanceof Error ? caught.message : String(caught)),
    );
  }, [api, classId]);

  useEffect(() => {
    shown.current = classId;
    pending.current = [];
    show(undefined);
    setLatest(undefined);
    setClassUpdate(undefined);
    setDeleted(undefined);
    const apply = (event: FeedEvent) => {
      if (event.type === "submission") setLatest(event);
      setEvents((n) => n + 1);
      if (pending.current || !current.current) {
        (pending.current ??= []).push(event);
        return;
      }
      const next = applyEvent(current.current, event);
      if (next) show(next);
      if (!next || event.type === "learners-merged") {
        // A learner the matrix does not have yet, or a merged learner's cells (which the event
        // does not carry): ask for the matrix, and apply the event after.
        pending.current = [event];
        reload();
      }
    };
    const feed = openClassActivity(api, classId, {
      submission: apply,
      joined: apply,
      roster: (event) => {
        if (event.type !== "class-updated") apply(event);
        else {
          setEvents((n) => n + 1);
          setClassUpdate(event);
        }
      },
      deleted: setDeleted,
      state: setConnection,
    });
    reload();
    return () => feed.close();
  }, [api, classId, reload]);

  useEffect(() => {
    if (connection !== "polling") return;
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [connection, reload]);

  return { progress, error, connection, latest, events, classUpdate, deleted, reload };
}
