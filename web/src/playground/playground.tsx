// The learner's playground: the lessons and their exercises with progress marks at the side,
// the chosen exercise beside them. A lesson's session is resumed (same seed, so Alice keeps her
// address) rather than started anew on every visit.
import { useEffect, useMemo } from "preact/hooks";
import type { Account } from "../account.ts";
import { createApi, type Progress } from "../api/client.ts";
import { navigate } from "../route.ts";
import { useLoad } from "../use-load.ts";
import { ExerciseView } from "./exercise-view.tsx";

const MARKS: Record<Progress["status"], [string, string]> = {
  passed: ["✓", "passed"],
  attempted: ["●", "attempted"],
  "not-started": ["○", "not started"],
};

export function Playground({ account, route }: { account: Account; route: string[] }) {
  const api = useMemo(() => createApi(account.token), [account.token]);
  const [, lessonId, exerciseId] = route;
  const lessons = useLoad(() => api.lessons(), [api]);
  const progress = useLoad(() => api.progress(), [api]);
  const lesson = useLoad(
    () => (lessonId ? api.lesson(lessonId) : Promise.resolve(undefined)),
    [api, lessonId],
  );
  const session = useLoad(
    () => (lessonId ? api.resumeSession(lessonId) : Promise.resolve(undefined)),
    [api, lessonId],
  );

  // Land on the first exercise not yet passed.
  useEffect(() => {
    if (exerciseId || !lessons.value || !progress.value) return;
    const chosen = lessons.value.items.find((l) => l.id === lessonId) ?? lessons.value.items[0];
    if (!chosen) return;
    const open = chosen.exercises.find(
      (e) =>
        progress.value!.items.find((p) => p.lessonId === chosen.id && p.exerciseId === e.id)
          ?.status !== "passed",
    );
    const target = open ?? chosen.exercises[0];
    if (target) navigate("learn", chosen.id, target.id);
  }, [lessons.value, progress.value, lessonId, exerciseId]);

  const statusOf = (lesson: string, exercise: string) =>
    progress.value?.items.find((p) => p.lessonId === lesson && p.exerciseId === exercise)?.status ??
    "not-started";

  const exercise = lesson.value?.exercises.find((e) => e.id === exerciseId);
  const error = lessons.error || lesson.error || session.error;
  return (
    <div class="playground">
      <nav class="lesson-nav" aria-labelledby="lessons-title">
        <h1 id="lessons-title">Lessons</h1>
        {lessons.value?.items.map((summary) => (
          <div key={summary.id} class="lesson-entry">
            <h2>{summary.title}</h2>
            <ol>
              {summary.exercises.map((entry) => {
                const [mark, words] = MARKS[statusOf(summary.id, entry.id)];
                const current = summary.id === lessonId && entry.id === exerciseId;
                return (
                  <li key={entry.id}>
                    <a
                      href={`#/learn/${summary.id}/${entry.id}`}
                      aria-current={current ? "page" : undefined}
                      class={current ? "current" : ""}
                    >
                      <span aria-hidden="true" class={`mark ${words.replace(" ", "-")}`}>
                        {mark}
                      </span>{" "}
                      {entry.title}
                      <span class="visually-hidden"> ({words})</span>
                    </a>
                  </li>
                );
              })}
            </ol>
          </div>
        ))}
      </nav>
      <div class="exercise-pane">
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {lesson.value && session.value && exercise ? (
          <ExerciseView
            key={`${lesson.value.id}/${exercise.id}`}
            api={api}
            lesson={lesson.value}
            session={session.value}
            exercise={exercise}
            onGraded={progress.reload}
          />
        ) : (
          !error && <p role="status">Loading…</p>
        )}
      </div>
    </div>
  );
}
