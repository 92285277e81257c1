// One class: its join code large enough to project (and as a QR code), the learner × exercise
// matrix kept live by asking again every few seconds (the API has no teacher stream), per
// exercise statistics, a learner's attempts, and the CSV export.
import { useEffect, useState } from "preact/hooks";
import type { Api, Class, ClassProgress } from "../api/client.ts";
import { navigate } from "../route.ts";
import { useLoad } from "../use-load.ts";
import { LearnerView } from "./learner-view.tsx";
import { QrCode } from "./qr-code.tsx";

const REFRESH_MS = 3000;
const INACTIVE_MS = 10 * 60_000;

type Filter = "all" | "stuck" | "not-passed" | "inactive";

export function ClassView({
  api,
  klass,
  learnerId,
}: {
  api: Api;
  klass: Class;
  learnerId?: string;
}) {
  const progress = useLoad(() => api.classProgress(klass.id), [api, klass.id]);
  const stats = useLoad(() => api.classStats(klass.id), [api, klass.id]);
  const [filter, setFilter] = useState<Filter>("all");
  const [showCode, setShowCode] = useState(false);

  useEffect(() => {
    const timer = setInterval(() => {
      progress.reload();
      stats.reload();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [progress.reload, stats.reload]);

  const joinLink = `${location.origin}/#/join/${klass.joinCode}`;
  const download = async () => {
    const link = await api.downloadLink(`/v1/classes/${klass.id}/progress.csv`);
    const anchor = document.createElement("a");
    anchor.href = new URL(link.url, api.baseUrl).href;
    anchor.download = "";
    anchor.click();
  };

  return (
    <article aria-labelledby="class-title">
      <h1 id="class-title">{klass.name}</h1>
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
        </div>
        {progress.error && <p role="alert">{progress.error}</p>}
        {progress.value && <Matrix progress={progress.value} filter={filter} classId={klass.id} />}
      </section>

      {learnerId && progress.value && (
        <LearnerView
          api={api}
          classId={klass.id}
          learnerId={learnerId}
          name={progress.value.learners.find((l) => l.id === learnerId)?.displayName ?? ""}
        />
      )}

      <section aria-labelledby="stats-title">
        <h2 id="stats-title">Exercises</h2>
        <table class="stats">
          <thead>
            <tr>
              <th scope="col">Exercise</th>
              <th scope="col">Passed</th>
              <th scope="col">Stuck</th>
              <th scope="col">Attempts</th>
              <th scope="col">Attempts to pass (median)</th>
              <th scope="col">Most failed check</th>
              <th scope="col">Common wrong answers</th>
            </tr>
          </thead>
          <tbody>
            {stats.value?.items.map((item) => (
              <tr key={`${item.lessonId}/${item.exerciseId}`}>
                <th scope="row">{item.title}</th>
                <td>
                  {item.learnersPassed} of {item.learners} ({Math.round(item.passRate * 100)}%)
                </td>
                <td>{item.learnersStuck}</td>
                <td>{item.attempts}</td>
                <td>{item.medianAttemptsToPass ?? "—"}</td>
                <td>
                  {item.mostFailedCheck
                    ? `${item.mostFailedCheck.title} (${item.mostFailedCheck.failures}×)`
                    : "—"}
                </td>
                <td>
                  {item.wrongAnswers.length === 0
                    ? "—"
                    : item.wrongAnswers.slice(0, 3).map((answer) => (
                        <div key={answer.wire}>
                          <code>{answer.wire}</code> ({answer.learners})
                        </div>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}

function Matrix({
  progress,
  filter,
  classId,
}: {
  progress: ClassProgress;
  filter: Filter;
  classId: string;
}) {
  const now = Date.now();
  const learners = progress.learners.filter((learner) => {
    if (filter === "stuck") return learner.cells.some((c) => c.stuck);
    if (filter === "not-passed") return learner.cells.some((c) => c.status !== "passed");
    if (filter === "inactive") {
      const last = Math.max(
        0,
        ...learner.cells.map((c) => (c.lastActivityAt ? Date.parse(c.lastActivityAt) : 0)),
      );
      return now - last > INACTIVE_MS;
    }
    return true;
  });
  if (progress.learners.length === 0) {
    return <p class="muted">No learner has joined yet.</p>;
  }
  return (
    <div class="matrix-scroll" tabIndex={0} aria-label="Progress matrix">
      <table class="matrix">
        <thead>
          <tr>
            <th scope="col">Learner</th>
            {progress.exercises.map((e) => (
              <th key={`${e.lessonId}/${e.exerciseId}`} scope="col">
                {e.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {learners.map((learner) => (
            <tr key={learner.id}>
              <th scope="row">
                <button
                  type="button"
                  class="link"
                  onClick={() => navigate("teach", classId, learner.id)}
                >
                  {learner.displayName}
                </button>
              </th>
              {learner.cells.map((cell, index) => (
                <td
                  key={index}
                  class={`cell ${cell.status}`}
                  data-status={cell.status}
                  data-exercise={progress.exercises[index]?.exerciseId}
                >
                  {cell.status === "passed"
                    ? "✓ passed"
                    : cell.status === "attempted"
                      ? `✗ ${cell.attempts} ${cell.attempts === 1 ? "try" : "tries"}`
                      : "○"}
                  {cell.status !== "not-started" && <span class="muted"> · {cell.bestScore}</span>}
                  {cell.status === "not-started" && (
                    <span class="visually-hidden">not started</span>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
