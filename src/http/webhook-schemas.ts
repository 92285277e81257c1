// Webhook endpoints, their delivery log, and the events they receive (published in the OpenAPI
// document as the `callbacks` of POST /v1/webhooks and as `x-webhooks`).
import { Type } from "typebox";
import { nullable, ref, stringEnum } from "./schema-kit.ts";
import { Timestamp, Uuid } from "./schemas.ts";

export const WEBHOOK_EVENTS = ["submission.graded", "progress.changed", "learner.joined"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export const WebhookEventType = stringEnum(WEBHOOK_EVENTS, {
  $id: "WebhookEventType",
  description:
    "submission.graded: every stored submission. progress.changed: a learner's best score on an exercise rose, or it became passed. learner.joined: a learner joined a class with its code.",
});

export const CreateWebhookRequest = Type.Object(
  {
    url: Type.String({
      minLength: 8,
      maxLength: 2000,
      description:
        "http(s) URL the events are POSTed to. Private, loopback and reserved addresses are refused unless OUTBOUND_ALLOW_PRIVATE allows them.",
    }),
    events: Type.Array(ref(WebhookEventType), { minItems: 1, maxItems: 10, uniqueItems: true }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  {
    $id: "CreateWebhookRequest",
    examples: [{ url: "https://lms.example.org/packetlab-hook", events: ["submission.graded"] }],
  },
);

const endpointFields = {
  id: Uuid,
  url: Type.String(),
  events: Type.Array(ref(WebhookEventType)),
  description: Type.String(),
  scope: stringEnum(["operator", "teacher"] as const, {
    description: "operator: events of every learner; teacher: of the learners in their classes.",
  }),
  enabled: Type.Boolean(),
  failureStreak: Type.Integer({ description: "Failed attempts in a row." }),
  disabledReason: nullable(Type.String()),
  createdAt: Timestamp,
};

export const WebhookEndpoint = Type.Object(endpointFields, { $id: "WebhookEndpoint" });

export const CreatedWebhookEndpoint = Type.Object(
  {
    ...endpointFields,
    secret: Type.String({
      description:
        "whsec_…: the signing secret (Standard Webhooks), shown this once. Verify webhook-signature with it.",
    }),
  },
  { $id: "CreatedWebhookEndpoint" },
);

export const WebhookEndpointList = Type.Object(
  { items: Type.Array(ref(WebhookEndpoint)) },
  { $id: "WebhookEndpointList" },
);

export const RotatedWebhookSecret = Type.Object(
  {
    secret: Type.String({ description: "The new whsec_… secret, shown this once." }),
    previousSecretValidUntil: Timestamp,
  },
  {
    $id: "RotatedWebhookSecret",
    description: "Until previousSecretValidUntil, deliveries carry a signature by each secret.",
  },
);

export const WebhookDelivery = Type.Object(
  {
    id: Type.String({ description: "The webhook-id every attempt of it carries." }),
    eventType: Type.String(),
    status: stringEnum(["pending", "delivered", "parked"] as const),
    attempts: Type.Integer(),
    nextAttemptAt: Timestamp,
    lastStatus: nullable(Type.Integer({ description: "HTTP status of the last attempt." })),
    lastError: nullable(Type.String()),
    createdAt: Timestamp,
    deliveredAt: nullable(Timestamp),
    payload: Type.Unknown({ description: "The body sent." }),
  },
  { $id: "WebhookDelivery" },
);

export const WebhookDeliveryList = Type.Object(
  { items: Type.Array(ref(WebhookDelivery)) },
  { $id: "WebhookDeliveryList" },
);

export const SubmissionGradedEvent = Type.Object(
  {
    type: Type.Literal("submission.graded"),
    timestamp: Timestamp,
    data: Type.Object({
      submissionId: Uuid,
      learnerId: Uuid,
      lessonId: Type.String(),
      exerciseId: Type.String(),
      passed: Type.Boolean(),
      score: Type.Integer(),
      outcome: Type.String(),
      finishedAt: Timestamp,
    }),
  },
  { $id: "SubmissionGradedEvent" },
);

export const ProgressChangedEvent = Type.Object(
  {
    type: Type.Literal("progress.changed"),
    timestamp: Timestamp,
    data: Type.Object({
      learnerId: Uuid,
      lessonId: Type.String(),
      exerciseId: Type.String(),
      attempts: Type.Integer(),
      bestScore: Type.Integer(),
      passed: Type.Boolean(),
      firstPassedAt: nullable(Timestamp),
    }),
  },
  { $id: "ProgressChangedEvent" },
);

export const LearnerJoinedEvent = Type.Object(
  {
    type: Type.Literal("learner.joined"),
    timestamp: Timestamp,
    data: Type.Object({
      learnerId: Uuid,
      classId: Uuid,
      displayName: Type.String(),
      joinedAt: Timestamp,
    }),
  },
  { $id: "LearnerJoinedEvent" },
);

export const webhookSchemas = [
  LearnerJoinedEvent,
  WebhookEventType,
  CreateWebhookRequest,
  WebhookEndpoint,
  CreatedWebhookEndpoint,
  WebhookEndpointList,
  RotatedWebhookSecret,
  WebhookDelivery,
  WebhookDeliveryList,
  SubmissionGradedEvent,
  ProgressChangedEvent,
];

const signedHeaders = [
  ["webhook-id", "The message id: the same on every retry; deduplicate on it."],
  ["webhook-timestamp", "Unix seconds of this attempt; refuse ones far from now."],
  [
    "webhook-signature",
    "Space-separated `v1,<base64 HMAC-SHA256 of id.timestamp.body>`, one per active secret.",
  ],
].map(([name, description]) => ({
  name,
  in: "header",
  required: true,
  description,
  schema: { type: "string" },
}));

/** One OpenAPI path item per event: what an endpoint receives. */
function eventOperation(event: WebhookEventType, schemaId: string) {
  return {
    post: {
      summary: `${event}, signed per Standard Webhooks`,
      operationId: `webhook_${event.replace(".", "_")}`,
      parameters: signedHeaders,
      requestBody: {
        required: true,
        content: { "application/json": { schema: { $ref: `#/components/schemas/${schemaId}` } } },
      },
      responses: {
        "200": { description: "Any 2xx: delivered. Anything else (or no answer): retried." },
      },
    },
  };
}

/** As `callbacks` of POST /v1/webhooks: each event POSTed to the URL the request registered. */
export const webhookCallbacks = Object.fromEntries(
  (
    [
      ["submission.graded", "SubmissionGradedEvent"],
      ["progress.changed", "ProgressChangedEvent"],
      ["learner.joined", "LearnerJoinedEvent"],
    ] as const
  ).map(([event, schemaId]) => [
    event,
    {
      "{$request.body#/url}": {
        post: {
          requestBody: {
            content: {
              "application/json": { schema: { $ref: `#/components/schemas/${schemaId}` } },
            },
          },
          responses: {
            "200": { description: "Any 2xx: delivered. Anything else (or no answer): retried." },
          },
        },
      },
    },
  ]),
);

/** OpenAPI 3.1's top-level `webhooks`, carried as `x-webhooks` in this 3.0 document. */
export const webhooksDocument = {
  "submission.graded": eventOperation("submission.graded", "SubmissionGradedEvent"),
  "progress.changed": eventOperation("progress.changed", "ProgressChangedEvent"),
  "learner.joined": eventOperation("learner.joined", "LearnerJoinedEvent"),
};
