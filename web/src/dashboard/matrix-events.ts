// The class matrix after one event of the activity feed, as a pure function (the tests run it
// in Node): a submission replaces a cell, a join adds a row, a rename or a removal changes or
// drops one. Its types come from the API's schema directly, not through client.ts, so the
// root project's type check (the tests') takes this file as it is.
import type { components } from "../api/schema.d.ts";

type Schemas = components["schemas"];
type ClassProgress = Schemas["ClassProgress"];
export type ClassUpdatedEvent = Schemas["ActivityClassUpdatedEvent"];
/** The events that change the matrix (a class-updated event changes the class, not its rows). */
export type FeedEvent =
  | Schemas["ActivityEvent"]
  | Schemas["ActivityJoinEvent"]
  | Schemas["ActivityLearnerRenamedEvent"]
  | Schemas["ActivityLearnerRemovedEvent"]
  | Schemas["ActivityLearnersMergedEvent"];

/** The matrix after one event; undefined when the event is about a learner it does not have. */
export function applyEvent(progress: ClassProgress, event: FeedEvent): ClassProgress | undefined {
  const index = progress.learners.findIndex((learner) => learner.id === event.learnerId);
  // Roster events about a learner the matrix does not have (removed since) change nothing.
  if (event.type === "learner-removed" || event.type === "learners-merged") {
    const gone = event.type === "learner-removed" ? event.learnerId : event.fromLearnerId;
    const learners = progress.learners.filter((learner) => learner.id !== gone);
    const renamed =
      event.type === "learners-merged" && index !== -1
        ? learners.map((l) =>
            l.id === event.learnerId ? { ...l, displayName: event.displayName } : l,
          )
        : learners;
    return { ...progress, learners: renamed };
  }
  if (event.type === "learner-renamed") {
    if (index === -1) return progress;
    const learners = progress.learners.slice();
    learners[index] = { ...learners[index]!, displayName: event.displayName };
    return { ...progress, learners };
  }
  if (event.type === "learner-joined") {
    if (index !== -1) return progress;
    const cells = progress.exercises.map(() => ({
      status: "not-started" as const,
      attempts: 0,
      bestScore: 0,
      lastActivityAt: null,
      secondsSinceLastAttempt: null,
      latest: null,
      stuck: null,
    }));
    const row = { id: event.learnerId, displayName: event.displayName, cells };
    return { ...progress, learners: [...progress.learners, row] };
  }
  if (index === -1) return undefined;
  const column = progress.exercises.findIndex(
    (e) => e.lessonId === event.lessonId && e.exerciseId === event.exerciseId,
  );
  const learner = progress.learners[index]!;
  const cells =
    column === -1 || !event.cell
      ? learner.cells
      : learner.cells.map((cell, i) => (i === column ? event.cell! : cell));
  const learners = progress.learners.slice();
  learners[index] = { ...learner, displayName: event.displayName, cells };
  return { ...progress, learners };
}
