// Sends one outbox message to a webhook endpoint, signed per Standard Webhooks. The body is the
// stored payload, so every attempt of a message sends the same bytes under the same webhook-id.
import type { OutboxMessage } from "../progress/outbox.ts";
import type { Store } from "../progress/store.ts";
import type { OutboundHttp } from "./outbound-http.ts";
import type { DeliveryResult } from "./relay.ts";
import { webhookHeaders } from "./standard-webhooks.ts";

export function createWebhookDeliverer(deps: {
  store: Pick<Store, "webhooks" | "outbox">;
  http: OutboundHttp;
  /** Failed attempts in a row after which an endpoint is disabled. */
  disableAfter: number;
}) {
  const { webhooks } = deps.store;
  return async (message: OutboxMessage): Promise<DeliveryResult> => {
    const target = await webhooks.target(message.targetId);
    if (!target)
      return { ok: false, status: null, error: "the endpoint was deleted", permanent: true };
    if (!target.enabled)
      return {
        ok: false,
        status: null,
        error: `the endpoint is disabled: ${target.disabledReason ?? ""}`,
        permanent: true,
      };
    const body = JSON.stringify(message.payload);
    const secrets = [target.secret];
    if (
      target.previousSecret &&
      target.previousSecretUntil &&
      target.previousSecretUntil > new Date()
    )
      secrets.push(target.previousSecret);
    const timestamp = Math.floor(Date.now() / 1000);
    let result: DeliveryResult;
    try {
      const response = await deps.http(target.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...webhookHeaders(secrets, message.id, timestamp, body),
        },
        body,
      });
      result =
        response.status >= 200 && response.status < 300
          ? { ok: true, status: response.status }
          : {
              ok: false,
              status: response.status,
              error: `HTTP ${response.status}: ${response.body.slice(0, 200)}`,
              ...retryAfter(response.headers["retry-after"]),
            };
    } catch (error) {
      result = { ok: false, status: null, error: (error as Error).message };
    }
    if (result.ok) {
      await webhooks.recordSuccess(target.id);
    } else if (await webhooks.recordFailure(target.id, deps.disableAfter)) {
      await deps.store.outbox.parkPending(
        target.id,
        "the endpoint was disabled after repeated failures",
      );
    }
    return result;
  };
}

function retryAfter(header: string | string[] | undefined): { retryAfterMs?: number } {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !/^\d+$/.test(value.trim())) return {};
  return { retryAfterMs: Math.min(Number(value) * 1000, 3_600_000) };
}
