// Prometheus metrics. Each app has its own registry, so several apps in one process (tests)
// never clash over metric names.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Runner } from "../runner/types.ts";

export function createMetrics(runner: Pick<Runner, "stats">) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "packetlab_process_" });
  const runs = new Counter({
    name: "packetlab_runs_total",
    help: "Graded runs by outcome and channel (http or websocket).",
    labelNames: ["outcome", "channel"] as const,
    registers: [registry],
  });
  const runSeconds = new Histogram({
    name: "packetlab_run_duration_seconds",
    help: "Wall time from accepting a submission to its grade being stored.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const webSockets = new Gauge({
    name: "packetlab_websocket_connections",
    help: "Open WebSocket connections.",
    registers: [registry],
  });
  const pool = new Gauge({
    name: "packetlab_runner_workers",
    help: "Sandbox workers by state (total, busy, queued runs, restarts so far).",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const stats = runner.stats();
      this.set({ state: "total" }, stats.workers);
      this.set({ state: "busy" }, stats.busy);
      this.set({ state: "queued" }, stats.queued);
      this.set({ state: "restarts" }, stats.restarts);
    },
  });
  return { registry, runs, runSeconds, webSockets, pool };
}

export type Metrics = ReturnType<typeof createMetrics>;
