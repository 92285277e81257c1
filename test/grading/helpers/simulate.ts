// Builds real RunResults without the sandbox: a test program drives netsim's learner host
// directly, as the runner's bridge would for learner code. Checks are then graded on packets
// the real network produced, not on hand-written ones.
import { createNetwork } from "../../../src/netsim/index.ts";
import type { HostStack, TopologySpec } from "../../../src/netsim/types.ts";
import type { Outcome, OutputLine, RunLimits, RunResult } from "../../../src/runner/types.ts";

export interface SimulatedProgram {
  host: HostStack;
  print(text: string): void;
}

const LIMITS: RunLimits = {
  cpuMs: 1000,
  wallMs: 5000,
  memoryMb: 64,
  outputBytes: 65536,
  maxPackets: 10000,
  maxBytes: 10_000_000,
  maxSockets: 16,
  maxVirtualTimeUs: 60_000_000,
};

export function simulate(
  topology: TopologySpec,
  seed: number,
  program: (p: SimulatedProgram) => void,
): RunResult {
  const network = createNetwork({ topology, seed });
  const output: OutputLine[] = [];
  let outcome: Outcome = "ok";
  let message = "Your program finished.";
  let error: RunResult["error"];
  try {
    program({
      host: network.learner,
      print: (text) => output.push({ stream: "stdout", text, atUs: network.nowUs }),
    });
    network.settle();
  } catch (thrown) {
    outcome = "runtime-error";
    const e = thrown as Error;
    error = { name: e.name, message: e.message, line: 1 };
    message = `${e.name}: ${e.message}`;
  }
  return {
    outcome,
    message,
    ...(error ? { error } : {}),
    output,
    outputTruncated: false,
    packets: [...network.events],
    peers: network.peerStates(),
    learner: { host: network.learner.name, address: network.learner.address },
    virtualTimeUs: network.nowUs,
    cpuMs: 1,
    wallMs: 1,
    limits: LIMITS,
  };
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The 4-byte answer of the simple name protocol as a dotted quad. */
export function addressOf(payload: Uint8Array): string {
  return Array.from(payload).join(".");
}
