// Assignment and Grade Services: a learner's score, posted when it changes, through the outbox
// (kind "lti-score"). Each message carries the learner's progress as the grade's statement
// wrote it (progress/), so the platform sees the changes in order. Platform quirks handled here: timestamps that only increase and are at least a
// second apart (Canvas refuses earlier ones, Moodle answers 409 to one not later in whole
// seconds), FullyGraded always (Canvas ignores scoreGiven otherwise), never for instructors
// (Canvas answers 422), the exact content type (Moodle is strict), Retry-After on 429/403.
import type { OutboxMessage } from "../../progress/outbox.ts";
import type { LtiStore } from "../../progress/lti.ts";
import type { OutboundHttp } from "../outbound-http.ts";
import type { DeliveryResult } from "../relay.ts";
import { SCOPES } from "./claims.ts";
import { nextLink } from "./nrps.ts";
import { TokenRefused, type ServiceTokens } from "./service-tokens.ts";

export const SCORE_TYPE = "application/vnd.ims.lis.v1.score+json";

/** `…/lineitems/7?type_id=1` → `…/lineitems/7/scores?type_id=1` (AGS §3.4). */
export function scoresUrl(lineItemUrl: string): string {
  const url = new URL(lineItemUrl);
  url.pathname = `${url.pathname.replace(/\/$/, "")}/scores`;
  return url.toString();
}

export function createScoreDeliverer(deps: {
  store: Pick<LtiStore, "scoreTarget" | "nextScoreTimestamp">;
  http: OutboundHttp;
  tokens: Pick<ServiceTokens, "get" | "forget">;
}) {
  return async (message: OutboxMessage): Promise<DeliveryResult> => {
    const { lineItemId, learnerId, bestScore, passed } = message.payload as {
      lineItemId: string;
      learnerId: string;
      bestScore: number;
      passed: boolean;
    };
    const target = await deps.store.scoreTarget(lineItemId, learnerId);
    if (!target)
      return { ok: false, status: null, error: "line item or LMS user is gone", permanent: true };
    const { lineItem, registration, user } = target;
    if (!user.learnerId || user.teacherId)
      return { ok: false, status: null, error: "not sent for instructors", permanent: true };
    if (!lineItem.scopes.includes(SCOPES.score))
      return {
        ok: false,
        status: null,
        error: "the platform did not grant the score scope",
        permanent: true,
      };
    const scopes = [SCOPES.score];
    let token: string;
    try {
      token = await deps.tokens.get(registration, scopes);
    } catch (error) {
      const status = error instanceof TokenRefused ? error.status : null;
      return { ok: false, status, error: (error as Error).message };
    }
    const timestamp = await deps.store.nextScoreTimestamp(lineItem.id, learnerId);
    const scoreMaximum = lineItem.scoreMaximum;
    const body = JSON.stringify({
      userId: user.sub,
      scoreGiven: Math.min(scoreMaximum, (bestScore / 100) * scoreMaximum),
      scoreMaximum,
      activityProgress: passed ? "Completed" : "Submitted",
      gradingProgress: "FullyGraded",
      timestamp: timestamp.toISOString(),
    });
    const response = await deps.http(scoresUrl(lineItem.url), {
      method: "POST",
      headers: {
        "content-type": SCORE_TYPE,
        authorization: `Bearer ${token}`,
        accept: "application/json",
      },
      body,
    });
    if (response.status >= 200 && response.status < 300)
      return { ok: true, status: response.status };
    const error = `HTTP ${response.status}: ${response.body.slice(0, 200)}`;
    if (response.status === 401) deps.tokens.forget(registration, scopes);
    // 409: our timestamp was not later than the stored one; the next attempt's is.
    const retryable = [401, 403, 408, 409, 429].includes(response.status) || response.status >= 500;
    const retryAfter = Number(response.headers["retry-after"]);
    return {
      ok: false,
      status: response.status,
      error,
      permanent: !retryable,
      ...(Number.isFinite(retryAfter) && retryAfter > 0
        ? { retryAfterMs: Math.min(retryAfter, 3600) * 1000 }
        : {}),
    };
  };
}

const LINE_ITEM_CONTAINER = "application/vnd.ims.lis.v2.lineitemcontainer+json";
const LINE_ITEM = "application/vnd.ims.lis.v2.lineitem+json";

/**
 * The line item scores for this exercise go to: the launch's own (a link made by Deep Linking
 * has one), else one found among the context's line items by resourceId (pages followed by
 * Link rel="next"), else one created, when the launch granted the lineitem scope.
 */
export async function resolveLineItem(
  deps: { http: OutboundHttp; tokens: Pick<ServiceTokens, "get"> },
  registration: Parameters<ServiceTokens["get"]>[0],
  ags: { lineitem?: string; lineitems?: string; scope: string[] },
  item: { lessonId: string; exerciseId: string; resourceLinkId: string | undefined; label: string },
): Promise<string | undefined> {
  if (ags.lineitem) return ags.lineitem;
  if (!ags.lineitems || !ags.scope.includes(SCOPES.lineItem)) return undefined;
  const token = await deps.tokens.get(registration, [SCOPES.lineItem]);
  const resourceId = `${item.lessonId}/${item.exerciseId}`;
  const first = new URL(ags.lineitems);
  first.searchParams.set("resource_id", resourceId);
  let url: string | undefined = first.toString();
  for (let page = 0; url && page < 50; page++) {
    const response = await deps.http(url, {
      headers: { accept: LINE_ITEM_CONTAINER, authorization: `Bearer ${token}` },
    });
    if (response.status !== 200) break;
    const items = JSON.parse(response.body) as { id?: string; resourceId?: string }[];
    const found = items.find((entry) => entry.resourceId === resourceId && entry.id);
    if (found) return found.id;
    url = nextLink(response.headers.link);
  }
  const created = await deps.http(ags.lineitems, {
    method: "POST",
    headers: { "content-type": LINE_ITEM, accept: LINE_ITEM, authorization: `Bearer ${token}` },
    body: JSON.stringify({
      scoreMaximum: 100,
      label: item.label,
      resourceId,
      tag: "packetlab",
      ...(item.resourceLinkId ? { resourceLinkId: item.resourceLinkId } : {}),
    }),
  });
  if (created.status !== 200 && created.status !== 201) return undefined;
  return (JSON.parse(created.body) as { id?: string }).id;
}
