// Webhook endpoints: the operator's hear about every learner, a teacher's about the learners of
// their classes. Registering checks the URL against the outbound address policy (SSRF); the
// relay checks again at every connection. The delivery log is the outbox's rows for the
// endpoint; a replay sends a message again under the same webhook-id.
import { lookup } from "node:dns/promises";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AddressPolicy } from "../integrations/address-policy.ts";
import { checkOutboundUrl } from "../integrations/outbound-http.ts";
import type { WebhookEndpointRecord, WebhookOwner } from "../progress/webhooks.ts";
import type { DeliveryRecord } from "../progress/outbox.ts";
import type { RouteDeps } from "./deps.ts";
import { apiError, quote } from "./errors.ts";
import { ref } from "./schema-kit.ts";
import { responses, Uuid } from "./schemas.ts";
import {
  CreatedWebhookEndpoint,
  CreateWebhookRequest,
  RotatedWebhookSecret,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointList,
  webhookCallbacks,
  type WebhookEventType,
} from "./webhook-schemas.ts";

/** How long a rotated-out secret keeps signing beside the new one. */
const ROTATION_OVERLAP_MS = 24 * 3_600_000;

const EndpointParams = Type.Object({ webhookId: Uuid });
const DeliveryParams = Type.Object({ webhookId: Uuid, deliveryId: Uuid });

function ownerOf(request: FastifyRequest): WebhookOwner {
  const principal = request.principal;
  if (principal?.role === "teacher") return { teacherId: principal.teacherId };
  if (principal?.role === "operator") return { operator: true };
  throw apiError("UNAUTHENTICATED");
}

const view = (row: WebhookEndpointRecord) => ({
  id: row.id,
  url: row.url,
  events: row.events as WebhookEventType[],
  description: row.description,
  scope: row.teacherId ? ("teacher" as const) : ("operator" as const),
  enabled: row.enabled,
  failureStreak: row.failureStreak,
  disabledReason: row.disabledReason,
  createdAt: row.createdAt.toISOString(),
});

const deliveryView = (row: DeliveryRecord) => ({
  id: row.id,
  eventType: row.eventType,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.nextAttemptAt.toISOString(),
  lastStatus: row.lastStatus,
  lastError: row.lastError,
  createdAt: row.createdAt.toISOString(),
  deliveredAt: row.deliveredAt?.toISOString() ?? null,
  payload: row.payload,
});

/** Refuses a URL whose host is, or resolves to, an address the policy forbids. */
async function checkWebhookUrl(raw: string, policy: AddressPolicy): Promise<void> {
  const refused = checkOutboundUrl(raw, policy);
  if (refused) throw apiError("URL_NOT_ALLOWED", `The URL ${quote(raw)} is refused: ${refused}.`);
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, "");
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    throw apiError("URL_NOT_ALLOWED", `The host ${quote(host)} does not resolve.`);
  }
  for (const { address } of addresses) {
    const why = policy.refuse(address);
    if (why) throw apiError("URL_NOT_ALLOWED", `The URL ${quote(raw)} is refused: ${why}.`);
  }
}

export const webhookRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { webhooks, outbox } = deps.store;
  const owners = { preHandler: app.requireRole("operator", "teacher") };

  async function ownEndpoint(request: FastifyRequest, id: string) {
    const found = await webhooks.find(ownerOf(request), id);
    if (!found) throw apiError("NOT_FOUND", `You have no webhook endpoint ${quote(id)}.`);
    return found;
  }

  app.post(
    "/v1/webhooks",
    {
      ...owners,
      schema: {
        tags: ["webhooks"],
        operationId: "createWebhook",
        summary: "Register a webhook endpoint; its signing secret is shown once.",
        description:
          "Deliveries follow Standard Webhooks: POST with webhook-id, webhook-timestamp and webhook-signature, retried with exponential backoff and jitter until a 2xx, parked after OUTBOX_MAX_ATTEMPTS; the endpoint is disabled after WEBHOOK_DISABLE_AFTER failed attempts in a row. The events are described under `callbacks` (and `x-webhooks`).",
        body: ref(CreateWebhookRequest),
        response: responses({ 201: ref(CreatedWebhookEndpoint) }, 400, 401, 403, 503),
        callbacks: webhookCallbacks,
      } as Record<string, unknown> as { body: typeof CreateWebhookRequest },
    },
    async (request, reply) => {
      const { url, events, description } = request.body;
      await checkWebhookUrl(url, deps.addressPolicy);
      const created = await webhooks.create(ownerOf(request), {
        url,
        events: [...new Set(events)],
        description: description?.trim() ?? "",
      });
      return reply.status(201).send({ ...view(created), secret: created.secret });
    },
  );

  app.get(
    "/v1/webhooks",
    {
      ...owners,
      schema: {
        tags: ["webhooks"],
        operationId: "listWebhooks",
        summary: "Your webhook endpoints (the operator's, or this teacher's).",
        response: responses({ 200: ref(WebhookEndpointList) }, 401, 403, 503),
      },
    },
    async (request) => ({ items: (await webhooks.list(ownerOf(request))).map(view) }),
  );

  app.get(
    "/v1/webhooks/:webhookId",
    {
      ...owners,
      schema: {
        tags: ["webhooks"],
        operationId: "getWebhook",
        summary: "One of your webhook endpoints.",
        params: EndpointParams,
        response: responses({ 200: ref(WebhookEndpoint) }, 400, 401, 403, 404, 503),
      },
    },
    async (request) => view(await ownEndpoint(request, request.params.webhookId)),
  );

  app.delete(
    "/v1/webhooks/:webhookId",
    {
      ...owners,
      schema: {
        tags: ["webhooks"],
        operationId: "deleteWebhook",
        summary: "Delete an endpoint; its pending deliveries are parked.",
        params: EndpointParams,
        response: responses(
          { 204: { type: "null", description: "Deleted." } },
          400,
          401,
          403,
          404,
          503,
        ),
      },
    },
    async (request, reply) => {
      const { webhookId } = request.params;
      await ownEndpoint(request, webhookId);
      await outbox.parkPending(webhookId, "the endpoint was deleted");
      await webhooks.remove(ownerOf(request), webhookId);
      return reply.status(204).send();
    },
  );

  app.post(
    "/v1/webhooks/:webhookId/enable",
    {
      ...owners,
      schema: {
        tags: ["webhooks"],
        operationId: "enableWebhook",
        summary: "Turn a disabled endpoint back on (its failure streak starts again from 0).",
        params: EndpointParams,
        response: responses({ 200: ref(WebhookEndpoint) }, 400, 401, 403, 404, 503),
      },
    },
    async (request) => {
      const { webhookId } = request.params;
      await ownEndpoint(request, webhookId);
      await webhooks.setEnabled(ownerOf(request), webhookId, true);
      return view(await ownEndpoint(request, webhookId));
    },
  );

  app.post(
    "/v1/webhooks/:webhookId/rotate-secret",
    {
      ...owners,
      schema: {
        tags: ["webhooks"],
        operationId: "rotateWebhookSecret",
        summary: "A new signing secret; the old one keeps signing beside it for 24 hours.",
        params: EndpointParams,
        response: responses({ 200: ref(RotatedWebhookSecret) }, 400, 401, 403, 404, 503),
      },
    },
    async (request) => {
      const { webhookId } = request.params;
      const rotated = await webhooks.rotateSecret(ownerOf(request), webhookId, ROTATION_OVERLAP_MS);
      if (!rotated)
        throw apiError("NOT_FOUND", `You have no webhook endpoint ${quote(webhookId)}.`);
      return {
        secret: rotated.secret,
        previousSecretValidUntil: new Date(Date.now() + ROTATION_OVERLAP_MS).toISOString(),
      };
    },
  );

  app.get(
    "/v1/webhooks/:webhookId/deliveries",
    {
      ...owners,
      schema: {
        tags: ["webhooks"],
        operationId: "listWebhookDeliveries",
        summary: "The endpoint's delivery log, newest first.",
        params: EndpointParams,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        }),
        response: responses({ 200: ref(WebhookDeliveryList) }, 400, 401, 403, 404, 503),
      },
    },
    async (request) => {
      const { webhookId } = request.params;
      await ownEndpoint(request, webhookId);
      const rows = await outbox.listForTarget(webhookId, request.query.limit ?? 50);
      return { items: rows.map(deliveryView) };
    },
  );

  app.post(
    "/v1/webhooks/:webhookId/deliveries/:deliveryId/replay",
    {
      ...owners,
      schema: {
        tags: ["webhooks"],
        operationId: "replayWebhookDelivery",
        summary: "Send a delivery again (same webhook-id and body), whatever its state.",
        params: DeliveryParams,
        response: responses(
          { 202: { type: "null", description: "Queued." } },
          400,
          401,
          403,
          404,
          503,
        ),
      },
    },
    async (request, reply) => {
      const { webhookId, deliveryId } = request.params;
      const endpoint = await ownEndpoint(request, webhookId);
      const found = await outbox.find(deliveryId);
      if (!found || found.targetId !== endpoint.id)
        throw apiError("NOT_FOUND", `The endpoint has no delivery ${quote(deliveryId)}.`);
      await outbox.replay(deliveryId);
      deps.wakeRelay();
      return reply.status(202).send();
    },
  );
};
