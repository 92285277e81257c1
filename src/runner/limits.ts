// Limits: configured defaults, and a request that may only lower them.
import type { RunLimits } from "./types.ts";

export const DEFAULT_LIMITS: Readonly<RunLimits> = Object.freeze({
  cpuMs: 2_000,
  wallMs: 5_000,
  memoryMb: 64,
  outputBytes: 64 * 1024,
  maxPackets: 1_000,
  maxBytes: 4 * 1024 * 1024,
  maxSockets: 16,
  maxVirtualTimeUs: 60_000_000,
});

/** isolated-vm refuses heaps under 8 MB. */
const MIN_MEMORY_MB = 8;

/**
 * The limits a run gets: each requested value is used only if it is a positive finite number
 * below the configured one (a request can lower a limit, never raise it).
 */
export function clampLimits(configured: RunLimits, requested?: Partial<RunLimits>): RunLimits {
  const limits: RunLimits = { ...configured };
  if (!requested) return limits;
  for (const key of Object.keys(configured) as (keyof RunLimits)[]) {
    const wanted = requested[key];
    const ceiling = configured[key];
    if (
      ceiling !== undefined &&
      typeof wanted === "number" &&
      Number.isFinite(wanted) &&
      wanted > 0
    ) {
      limits[key] = Math.min(ceiling, Math.floor(wanted));
    }
  }
  limits.memoryMb = Math.max(MIN_MEMORY_MB, limits.memoryMb);
  return limits;
}
