// Results for runs that never reached (or never came back from) the sandbox: a crashed or
// killed worker, a cancelled queued run, an internal failure.
import type { TopologySpec } from "../netsim/types.ts";
import type { Outcome, RunLimits, RunResult } from "./types.ts";

export function resultWithoutRun(
  outcome: Outcome,
  message: string,
  limits: RunLimits,
  topology: TopologySpec | undefined,
  wallMs = 0,
): RunResult {
  const host = typeof topology?.learnerHost === "string" ? topology.learnerHost : "";
  const address = Array.isArray(topology?.hosts)
    ? (topology.hosts.find((h) => h?.name === host)?.address ?? "")
    : "";
  return {
    outcome,
    message,
    output: [],
    outputTruncated: false,
    packets: [],
    peers: {},
    learner: { host, address },
    virtualTimeUs: 0,
    cpuMs: 0,
    wallMs,
    limits,
  };
}
