// Messages between the runner (parent) and its worker processes, over Node's IPC channel with
// "advanced" serialization (structured clone: Uint8Array files and payloads cross as bytes).
import type { PacketWire } from "./packet-wire.ts";
import type { RunEvent, RunLimits, RunRequest, RunResult } from "./types.ts";

export interface WorkerSettings {
  /** Module exporting `createNetwork(options): Network` (src/netsim by default; tests pass fakes). */
  networkModule: string;
  recycleAfterRuns: number;
  /** Cap of a run's synchronous first attempt; 0: every run is asynchronous. */
  fastPathMs?: number;
}

export type ParentMessage =
  | { type: "run"; id: number; request: RunRequest; limits: RunLimits; stream: boolean }
  | { type: "cancel"; id: number };

export type WorkerMessage =
  | { type: "ready" }
  | { type: "event"; id: number; event: RunEvent }
  /** `result.packets` is empty on the wire: the packets travel as `packets` (packet-wire.ts). */
  | { type: "result"; id: number; result: RunResult; packets: PacketWire; rssBytes: number };
