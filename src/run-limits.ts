// The limits a graded submission runs under, from the configuration: one definition for the
// service (src/http/submitter.ts) and the command line (`packetlab run --lesson`), so a program
// graded offline meets exactly the limits the service would give it.
import type { Config } from "./config.ts";
import type { RunLimits } from "./runner/types.ts";

export function submissionLimits(
  config: Pick<
    Config,
    | "RUN_CPU_MS"
    | "RUN_WALL_MS"
    | "SYNC_WAIT_MS"
    | "RUN_MEMORY_MB"
    | "RUN_OUTPUT_BYTES"
    | "RUN_MAX_PACKETS"
  >,
): Partial<RunLimits> {
  return {
    cpuMs: config.RUN_CPU_MS,
    // A synchronous submission waits at most SYNC_WAIT_MS for its run.
    wallMs: Math.min(config.RUN_WALL_MS, config.SYNC_WAIT_MS),
    memoryMb: config.RUN_MEMORY_MB,
    outputBytes: config.RUN_OUTPUT_BYTES,
    maxPackets: config.RUN_MAX_PACKETS,
  };
}
