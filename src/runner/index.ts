// The runner area: runs learner programs in isolated-vm workers against the simulated network.
export * from "./types.ts";
export { createRunner, RunnerBusyError, type RunnerConfig } from "./pool.ts";
export { DEFAULT_LIMITS, clampLimits } from "./limits.ts";
export { packetsJson } from "./packet-wire.ts";
