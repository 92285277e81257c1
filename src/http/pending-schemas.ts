// The shape of a submission accepted asynchronously and not graded yet: what the 202 of
// POST …/submissions with `Prefer: respond-async` and of polling GET /v1/submissions/{id} hold.
import { Type } from "typebox";
import { nullable, ref, stringEnum } from "./schema-kit.ts";
import { Language, Timestamp, Uuid } from "./schemas.ts";

export const PendingStatus = stringEnum(["queued", "running"] as const, {
  $id: "PendingStatus",
  description:
    "queued: waiting for a sandbox (learners are served in turn); running: in a sandbox (or its compiler).",
});

export const PendingSubmission = Type.Object(
  {
    id: Uuid,
    sessionId: Uuid,
    learnerId: Uuid,
    lessonId: Type.String(),
    exerciseId: Type.String(),
    language: ref(Language),
    status: ref(PendingStatus),
    queuePosition: nullable(Type.Integer({ minimum: 1 }), {
      description:
        "Its place in the sandbox queue (1 = next) when the replica answering knows it; else null.",
    }),
    createdAt: Timestamp,
  },
  {
    $id: "PendingSubmission",
    description:
      "A submission accepted asynchronously and not graded yet. Poll its Location (GET /v1/submissions/{id}): 202 with this body until it is graded, then 200 with the Submission (same id).",
  },
);

export const pendingSchemas = [PendingStatus, PendingSubmission];

const headerDocs = {
  location: {
    type: "string",
    description: "The submission: GET it to poll (/v1/submissions/{id}).",
  },
  "retry-after": { type: "string", description: "Seconds to wait before polling again." },
} as const;

/** A 202 whose body is the pending submission, documented with the headers it carries. */
export function pendingResponse(description: string, preferenceApplied: boolean) {
  return {
    ...ref(PendingSubmission),
    description,
    headers: {
      ...headerDocs,
      ...(preferenceApplied
        ? {
            "preference-applied": {
              type: "string",
              description: "RFC 7240 §3: `respond-async` (and `wait=N` when one was sent).",
            },
          }
        : {}),
    },
  };
}
