// Every run is bounded: a learner loop that sends forever must end quickly with a clear code.
import { NetworkError } from "./errors.ts";
import type { LimitReport, NetworkErrorCode, NetworkLimits } from "./types.ts";

export type ResolvedLimits = Required<NetworkLimits>;

export const DEFAULT_NETWORK_LIMITS: Readonly<ResolvedLimits> = Object.freeze({
  maxPackets: 10_000,
  maxBytes: 10 * 1024 * 1024,
  maxSockets: 64,
  maxVirtualTimeUs: 60_000_000,
  maxSocketQueue: 256,
  // Room for a few maximum-size (65,535-byte) datagrams in flight at once.
  maxReassemblyBytes: 1024 * 1024,
});

/** Fills in defaults; a value that is not a non-negative finite number keeps the default. */
export function resolveLimits(given: Partial<NetworkLimits> | undefined): ResolvedLimits {
  const limits: ResolvedLimits = { ...DEFAULT_NETWORK_LIMITS };
  if (!given) return limits;
  for (const key of Object.keys(limits) as (keyof ResolvedLimits)[]) {
    const value = given[key];
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) {
      limits[key] = Math.floor(value);
    }
  }
  return limits;
}

/**
 * Remembers the first limit a run hit. Once tripped the network refuses to go on: every later
 * call throws the same error, so a learner's catch-and-retry loop cannot keep it alive.
 */
export interface LimitGuard {
  readonly report: LimitReport | null;
  /** Throws if a limit was already reached. */
  check(): void;
  /** Records the limit and throws it. */
  trip(code: NetworkErrorCode, message: string): never;
}

/** `onTrip` runs once, when the first limit is reached, before the error is thrown. */
export function createLimitGuard(onTrip?: (report: LimitReport) => void): LimitGuard {
  let error: NetworkError | null = null;
  let report: LimitReport | null = null;
  return {
    get report() {
      return report;
    },
    check() {
      if (error) throw error;
    },
    trip(code, message) {
      if (!error) {
        error = new NetworkError(code, message);
        report = { code, message };
        onTrip?.(report);
      }
      throw error;
    },
  };
}
