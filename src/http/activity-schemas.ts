// The data of each event of a class's activity feed (src/http/activity.ts), named by its `type`,
// which is also the SSE event name. The OpenAPI document lists them (ActivityFeedEvent), and the
// web app's types come from there.
import { Type } from "typebox";
import { CheckRef, ProgressCell } from "./class-report-schemas.ts";
import { nullable, ref } from "./schema-kit.ts";
import { Timestamp, Uuid } from "./schemas.ts";

export const ActivityEvent = Type.Object(
  {
    type: Type.Literal("submission"),
    submissionId: Uuid,
    learnerId: Uuid,
    displayName: Type.String(),
    lessonId: Type.String(),
    exerciseId: Type.String(),
    passed: Type.Boolean(),
    score: Type.Integer(),
    outcome: Type.String(),
    firstFailedCheck: nullable(ref(CheckRef)),
    createdAt: Timestamp,
    cell: nullable(ref(ProgressCell), {
      description:
        "The learner's cell of the class matrix for this exercise as it is when the event is sent (so an older event sent again carries the latest state): replace the cell with it. Null if the exercise is no longer in the lessons.",
    }),
  },
  {
    $id: "ActivityEvent",
    description:
      "The data of one `submission` event of a class's activity feed (its SSE id: createdAt and submissionId).",
  },
);

export const ActivityJoinEvent = Type.Object(
  {
    type: Type.Literal("learner-joined"),
    learnerId: Uuid,
    displayName: Type.String(),
    joinedAt: Timestamp,
  },
  {
    $id: "ActivityJoinEvent",
    description:
      "The data of one `learner-joined` event of a class's activity feed: a new row of the matrix, nothing started (its SSE id: joinedAt and learnerId).",
  },
);

const at = Timestamp;
const rosterEvent = (description: string) => `${description} (its SSE id: at and the event's id).`;

export const ActivityLearnerRenamedEvent = Type.Object(
  { type: Type.Literal("learner-renamed"), learnerId: Uuid, displayName: Type.String(), at },
  {
    $id: "ActivityLearnerRenamedEvent",
    description: rosterEvent(
      "The data of one `learner-renamed` event of a class's activity feed: the learner's row takes the new name",
    ),
  },
);

export const ActivityLearnerRemovedEvent = Type.Object(
  { type: Type.Literal("learner-removed"), learnerId: Uuid, at },
  {
    $id: "ActivityLearnerRemovedEvent",
    description: rosterEvent(
      "The data of one `learner-removed` event of a class's activity feed: the learner's row goes",
    ),
  },
);

export const ActivityLearnersMergedEvent = Type.Object(
  {
    type: Type.Literal("learners-merged"),
    learnerId: Uuid,
    fromLearnerId: Type.String({
      format: "uuid",
      description: "The duplicate, merged into learnerId and gone.",
    }),
    displayName: Type.String(),
    at,
  },
  {
    $id: "ActivityLearnersMergedEvent",
    description: rosterEvent(
      "The data of one `learners-merged` event of a class's activity feed: fromLearnerId's row goes; learnerId's cells now add up both (ask for the matrix again)",
    ),
  },
);

export const ActivityClassUpdatedEvent = Type.Object(
  { type: Type.Literal("class-updated"), name: Type.String(), joinsOpen: Type.Boolean(), at },
  {
    $id: "ActivityClassUpdatedEvent",
    description: rosterEvent(
      "The data of one `class-updated` event of a class's activity feed: the class was opened or closed to new learners",
    ),
  },
);

export const ActivityClassDeletedEvent = Type.Object(
  { type: Type.Literal("class-deleted"), classId: Uuid, at },
  {
    $id: "ActivityClassDeletedEvent",
    description:
      "The data of the `class-deleted` event, the last of a class's activity feed: the class was deleted (by its teacher, or with the teacher's account), so the stream ends, and opening it again gets 404. `at` is when the feed noticed, within about a second of the deletion (its SSE id: at and classId).",
  },
);

export const ActivityFeedEvent = Type.Union(
  [
    ref(ActivityEvent),
    ref(ActivityJoinEvent),
    ref(ActivityLearnerRenamedEvent),
    ref(ActivityLearnerRemovedEvent),
    ref(ActivityLearnersMergedEvent),
    ref(ActivityClassUpdatedEvent),
    ref(ActivityClassDeletedEvent),
  ],
  {
    $id: "ActivityFeedEvent",
    description: "The data of an event of a class's activity feed; `type` is the SSE event name.",
  },
);

export const activitySchemas = [
  ActivityEvent,
  ActivityJoinEvent,
  ActivityLearnerRenamedEvent,
  ActivityLearnerRemovedEvent,
  ActivityLearnersMergedEvent,
  ActivityClassUpdatedEvent,
  ActivityClassDeletedEvent,
  ActivityFeedEvent,
];
