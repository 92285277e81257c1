// The process-per-run baseline of bench/runner.ts: one fresh process runs one program through
// the worker's own code path (bundle, isolate, executeRun), prints the outcome, and exits.
// Usage: node --no-node-snapshot --import tsx bench/runner-single-run.ts < program.js
import { createNetwork, defaultTopology } from "../src/netsim/index.ts";
import { executeRun } from "../src/runner/execute.ts";
import { createIsolateSlot } from "../src/runner/isolate-slot.ts";
import { DEFAULT_LIMITS } from "../src/runner/limits.ts";
import { loadProtocolKit } from "../src/runner/protocol-kit.ts";
import { sandboxBundle } from "../src/runner/sandbox-bundle.ts";

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const code = Buffer.concat(chunks).toString("utf8");
const slot = createIsolateSlot({ bundle: await sandboxBundle(), recycleAfterRuns: 1 });
const result = await executeRun(
  { code, language: "javascript", topology: defaultTopology(), seed: 1 },
  { ...DEFAULT_LIMITS },
  { createNetwork, protocols: await loadProtocolKit(), slot },
  null,
);
slot.retire();
process.stdout.write(JSON.stringify({ outcome: result.outcome, packets: result.packets.length }));
