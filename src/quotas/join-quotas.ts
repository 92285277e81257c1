// Who may join a class, and how often. Joining mints a learner (a fresh submission allowance
// and a roster line), so successful joins are bounded per client address and per class; failed
// joins are bounded so codes cannot be guessed, without one learner's typos locking out a
// school behind one NAT.
//
// A failed code is a *near miss* when a real class's code begins with the same four characters
// (what a typo of a code read off a projector mostly is), else a *wide miss* (what a random
// guess almost always is: with 10,000 live classes a guess's first four characters match one
// of them about 1% of the time). Before the code is looked up, a join is refused when its
// address made JOIN_FAILURE_LIMIT wide misses this minute (guessing widely), or ten times that
// many near misses on this code's first four characters (guessing the rest of one code whose
// start it knows), or when thirty times that many near misses on those characters came from
// all addresses together (the same, spread over many addresses). Otherwise the right code is
// accepted: a classroom's typos never reach these bounds at a human pace. README "Quotas" gives
// the arithmetic of why this is still safe.
import {
  createRateLimiter,
  type RateAnswer,
  type RateLimitOptions,
  type RateWindows,
} from "./rate-limit.ts";
import { normaliseJoinCode } from "../progress/tokens.ts";

export const PREFIX_LENGTH = 4;
/** Near misses an address may make on one prefix, per wide miss it may make. */
export const NEAR_MISS_FACTOR = 10;
/** Near misses all addresses together may make on one prefix, per wide miss of one address. */
export const NEAR_MISS_FACTOR_ALL = 30;

export interface JoinQuotaOptions {
  failuresPerMinute: number;
  joinsPerAddressPerHour: number;
  joinsPerClassPerHour: number;
  /** Where the counts live (shared-windows.ts for every replica); default: this process. */
  windows?: RateWindows;
  now?: () => number;
}

export type Refusal = { retryAfterSeconds: number };

export function createJoinQuotas(options: JoinQuotaOptions) {
  const shared: Pick<RateLimitOptions, "now" | "windows"> = {
    ...(options.now ? { now: options.now } : {}),
    ...(options.windows ? { windows: options.windows } : {}),
  };
  const wideMisses = createRateLimiter({
    name: "join-wide-miss",
    limit: options.failuresPerMinute,
    windowMs: 60_000,
    ...shared,
  });
  const nearMisses = createRateLimiter({
    name: "join-near-miss",
    limit: options.failuresPerMinute * NEAR_MISS_FACTOR,
    windowMs: 60_000,
    ...shared,
  });
  const nearMissesOfPrefix = createRateLimiter({
    name: "join-near-miss-all",
    limit: options.failuresPerMinute * NEAR_MISS_FACTOR_ALL,
    windowMs: 60_000,
    ...shared,
  });
  const byAddress = createRateLimiter({
    name: "join-address",
    limit: options.joinsPerAddressPerHour,
    windowMs: 3_600_000,
    ...shared,
  });
  const byClass = createRateLimiter({
    name: "join-class",
    limit: options.joinsPerClassPerHour,
    windowMs: 3_600_000,
    ...shared,
  });
  const prefixOf = (joinCode: string) => normaliseJoinCode(joinCode).slice(0, PREFIX_LENGTH);
  const nearKey = (address: string, joinCode: string) => `${address}\u0000${prefixOf(joinCode)}`;
  const refusal = (answer: RateAnswer): Refusal | undefined =>
    answer.allowed ? undefined : { retryAfterSeconds: answer.retryAfterSeconds };

  return {
    prefixOf,

    /** Before the lookup: is this address guessing (widely, or around this code)? */
    async guessing(address: string, joinCode: string): Promise<Refusal | undefined> {
      // Asked together: with shared windows these are three reads, sent at once.
      const answers = await Promise.all([
        wideMisses.peek(address),
        nearMisses.peek(nearKey(address, joinCode)),
        nearMissesOfPrefix.peek(prefixOf(joinCode)),
      ]);
      return answers.map(refusal).find((refused) => refused !== undefined);
    },

    /** Counts an unknown code; `near` when a real class's code has its first characters. */
    async failed(address: string, joinCode: string, near: boolean): Promise<Refusal | undefined> {
      if (!near) return refusal(await wideMisses.take(address));
      return (
        refusal(await nearMisses.take(nearKey(address, joinCode))) ??
        refusal(await nearMissesOfPrefix.take(prefixOf(joinCode)))
      );
    },

    /** Takes one successful join from the address's and the class's hourly allowance. */
    async admit(
      address: string,
      classId: string,
    ): Promise<{ refused: "address" | "class"; retryAfterSeconds: number } | undefined> {
      const fromAddress = await byAddress.take(address);
      if (!fromAddress.allowed)
        return { refused: "address", retryAfterSeconds: fromAddress.retryAfterSeconds };
      const toClass = await byClass.take(classId);
      if (!toClass.allowed) {
        await byAddress.release(address);
        return { refused: "class", retryAfterSeconds: toClass.retryAfterSeconds };
      }
      return undefined;
    },

    /** Gives a join back (the learner could not be created). */
    async release(address: string, classId: string): Promise<void> {
      await Promise.all([byAddress.release(address), byClass.release(classId)]);
    },
  };
}

export type JoinQuotas = ReturnType<typeof createJoinQuotas>;
