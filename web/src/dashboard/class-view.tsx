// One class: its join code large enough to project (and as a QR code), the learner × exercise
// matrix kept live by the class's activity feed (useLiveProgress), per exercise statistics, a
// learner's attempts, the roster actions, and the CSV export.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ActivityState } from "../api/activity.ts";
import type { Api, Class } from "../api/client.ts";
import { navigate } from "../route.ts";
import { useLoad } from "../use-load.ts";
import { ExerciseStatsTable } from "./exercise-stats.tsx";
import { LearnerView } from "./learner-view.tsx";
import { useLiveProgress } from "./live-progress.ts";
import { Matrix, type Filter } from "./matrix.tsx";
import { QrCode } from "./qr-code.tsx";
import { ClassActions } from "./roster-actions.tsx";

/** The statistics are recomputed by the API: asked again at most this often while events come. */
const STATS_MS = 5000;

const CONNECTION_TEXT: Record<ActivityState, string> = {
  connecting: "Connecting to the live feed…",
  live: "Live: the matrix changes as learners submit.",
  reconnecting: "The live feed was interrupted; reconnecting…",
  polling: "The live feed is unavailable: asking for the matrix every 3 seconds.",
};

export function ClassView({
  api,
  klass,
  learnerId,
  onClassChanged,
  onDeletedElsewhere,
}: {
  api: Api;
  klass: Class;
  learnerId?: string;
  /** The class was changed (opened, closed) or deleted: the list of classes is asked again. */
  onClassChanged: () => void;
  /** The live feed says the class was deleted elsewhere (another tab, a script, its teacher). */
  onDeletedElsewhere: () => void;
}) {
  const live = useLiveProgress(api, klass.id);
  const stats = useLoad(() => api.classStats(klass.id), [api, klass.id]);
  const [filter, setFilter] = useState<Filter>("all");
  const [showCode, setShowCode] = useState(false);
  const [exportError, setExportError] = useState("");
  const statsTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => {
    if (live.events === 0 || statsTimer.current) return;
    statsTimer.current = setTimeout(() => {
      statsTimer.current = undefined;
      stats.reload();
    }, STATS_MS);
  }, [live.events, stats.reload]);
  useEffect(() => () => clearTimeout(statsTimer.current), []);
  useEffect(() => {
    if (live.connection !== "polling") return;
    const timer = setInterval(stats.reload, STATS_MS);
    return () => clearInterval(timer);
  }, [live.connection, stats.reload]);

  // Opened or closed elsewhere (another tab, a script): the class's own record is asked again.
  useEffect(() => {
    if (live.classUpdate && live.classUpdate.joinsOpen !== klass.joinsOpen) onClassChanged();
  }, [live.classUpdate]);

  useEffect(() => {
    if (live.deleted) onDeletedElsewhere();
  }, [live.deleted]);

  const rosterChanged = () => {
    live.reload();
    stats.reload();
  };

  const joinLink = `${location.origin}/#/join/${klass.joinCode}`;
  const download = async () => {
    setExportError("");
    try {
      const link = await api.downloadLink(`/v1/classes/${klass.id}/progress.csv`);
      const anchor = document.createElement("a");
      anchor.href = new URL(link.url, api.baseUrl).href;
      anchor.download = "";
      anchor.click();
    } catch (caught) {
      setExportError(caught instanceof Error ? caught.message : String(caught));
    }
  };
  const learners = live.progress?.learners ?? [];
  // A learner removed or merged away elsewhere while shown stays on screen, marked as gone, so
  // a dialog open on them stays too (its action then gets the API's answer).
  const lastShown = useRef<(typeof learners)[number]>(undefined);
  const present = learners.find((l) => l.id === learnerId);
  if (present) lastShown.current = present;
  const learner = present ?? (lastShown.current?.id === learnerId ? lastShown.current : undefined);

  return (
    <article aria-labelledby="class-title">
      <h1 id="class-title">{klass.name}</h1>
      <ClassActions
        api={api}
        klass={klass}
        onChanged={onClassChanged}
        onDeleted={() => {
          onClassChanged();
          navigate("teach");
        }}
      />
      <section class="join-panel" aria-label="Join code">
        <p>
          Learners join at <strong>{location.host}</strong> with the code
        </p>
        <p class="join-code" aria-label={`Join code ${klass.joinCode.split("").join(" ")}`}>
          {klass.joinCode}
        </p>
        <button type="button" class="secondary" onClick={() => setShowCode(!showCode)}>
          {showCode ? "Hide the QR code" : "Show a QR code"}
        </button>
        {showCode && <QrCode text={joinLink} label={`QR code of the join link ${joinLink}`} />}
      </section>

      <section aria-labelledby="matrix-title">
        <div class="section-head">
          <h2 id="matrix-title">Progress</h2>
          <p class={`live-state ${live.connection}`} role="status" data-state={live.connection}>
            <span aria-hidden="true">{live.connection === "live" ? "● " : "○ "}</span>
            {CONNECTION_TEXT[live.connection]}
          </p>
        </div>
        <div class="section-head">
          <label class="inline">
            Show
            <select value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
              <option value="all">every learner</option>
              <option value="stuck">stuck learners</option>
              <option value="not-passed">learners with an exercise not passed</option>
              <option value="inactive">learners inactive for 10 minutes</option>
            </select>
          </label>
          <button type="button" class="secondary" onClick={() => void download()}>
            Export CSV
          </button>
          {exportError && (
            <p class="error" role="alert">
              {exportError}
            </p>
          )}
        </div>
        {live.error && <p role="alert">{live.error}</p>}
        {live.progress && (
          <Matrix
            progress={live.progress}
            filter={filter}
            classId={klass.id}
            selected={learnerId}
          />
        )}
      </section>

      {learnerId && learner && (
        <LearnerView
          api={api}
          classId={klass.id}
          learner={learner}
          learners={learners}
          gone={!present}
          refresh={live.latest?.learnerId === learnerId ? live.latest.submissionId : ""}
          onRosterChanged={rosterChanged}
          onRemoved={() => {
            rosterChanged();
            navigate("teach", klass.id);
          }}
        />
      )}

      <section aria-labelledby="stats-title">
        <h2 id="stats-title">Exercises</h2>
        {stats.error && <p role="alert">{stats.error}</p>}
        {stats.value && <ExerciseStatsTable items={stats.value.items} />}
      </section>
    </article>
  );
}
