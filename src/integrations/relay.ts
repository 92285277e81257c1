// The outbox relay: claims due messages, hands each to the deliverer of its kind, and settles
// it: delivered, retried later (exponential backoff with jitter), or parked after maxAttempts
// or a permanent refusal. Every replica runs one; SKIP LOCKED claims and leases keep them from
// sending the same message at once, and a replica killed mid-send leaves a lease that runs out,
// after which another sends the message again under the same id (receivers deduplicate on it).
import type { OutboxMessage } from "../progress/outbox.ts";
import type { Store } from "../progress/store.ts";

export type DeliveryResult =
  | { ok: true; status: number }
  | {
      ok: false;
      status: number | null;
      error: string;
      /** Retrying cannot help (the target is gone, or refuses this message for good). */
      permanent?: boolean;
      /** The target asked to wait (Retry-After). */
      retryAfterMs?: number;
    };

export type Deliverer = (message: OutboxMessage) => Promise<DeliveryResult>;

export interface RelayOptions {
  pollMs: number;
  leaseMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  batchSize?: number;
}

export interface RelayLog {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export function createRelay(deps: {
  outbox: Pick<Store["outbox"], "claim" | "delivered" | "failed">;
  deliverers: Record<string, Deliverer>;
  options: RelayOptions;
  log: RelayLog;
  random?: () => number;
}) {
  const { outbox, options, log } = deps;
  const random = deps.random ?? Math.random;
  const batchSize = options.batchSize ?? 16;
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;

  /** Exponential backoff with jitter: between half and all of base·2^(n−1), capped. */
  function backoff(attempt: number): number {
    const ceiling = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** (attempt - 1));
    return Math.round(ceiling * (0.5 + random() * 0.5));
  }

  async function settle(message: OutboxMessage): Promise<void> {
    const deliver = deps.deliverers[message.kind];
    let result: DeliveryResult;
    try {
      result = deliver
        ? await deliver(message)
        : { ok: false, status: null, error: `no deliverer for ${message.kind}`, permanent: true };
    } catch (error) {
      result = { ok: false, status: null, error: (error as Error).message || String(error) };
    }
    if (result.ok) return outbox.delivered(message, result.status);
    const park = result.permanent === true || message.attempts >= options.maxAttempts;
    if (park) log.warn({ messageId: message.id, error: result.error }, "outbox message parked");
    await outbox.failed(message, {
      status: result.status,
      error: result.error,
      park,
      retryInMs: Math.max(backoff(message.attempts), result.retryAfterMs ?? 0),
    });
  }

  /** One claim and its deliveries; returns how many messages were claimed. */
  async function runOnce(): Promise<number> {
    const messages = await outbox.claim(batchSize, options.leaseMs);
    await Promise.all(
      messages.map((message) =>
        settle(message).catch((error: unknown) =>
          log.error({ err: error, messageId: message.id }, "outbox settle failed"),
        ),
      ),
    );
    return messages.length;
  }

  async function run(): Promise<void> {
    while (running) {
      let claimed = 0;
      try {
        claimed = await runOnce();
      } catch (error) {
        log.error({ err: error }, "outbox claim failed");
      }
      if (!running) break;
      if (claimed === batchSize) continue;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        timer = setTimeout(resolve, options.pollMs);
      });
      clearTimeout(timer);
      wakeUp = undefined;
    }
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      loop = run();
    },
    /** Stops claiming; resolves once the deliveries in hand are settled. */
    async stop(): Promise<void> {
      running = false;
      wakeUp?.();
      await loop;
    },
    /** Something was just written to the outbox: look now rather than at the next poll. */
    wake(): void {
      wakeUp?.();
    },
    runOnce,
    backoff,
  };
}

export type Relay = ReturnType<typeof createRelay>;
