// A runner worker process: owns isolated-vm (the API process never loads it), runs one program
// at a time, streams events and answers with the result. Started by pool.ts with
// WORKER_NODE_FLAGS (and `--import tsx` from source); its settings come as JSON in argv[2].
import { Worker } from "node:worker_threads";
import type { Network, NetworkOptions } from "../netsim/types.ts";
import { executeRun, type RunControl } from "./execute.ts";
import { createIsolateSlot, reportIdleUse } from "./isolate-slot.ts";
import { messages } from "./messages.ts";
import { encodePackets } from "./packet-wire.ts";
import { resultWithoutRun } from "./results.ts";
import { loadProtocolKit, type ProtocolKit } from "./protocol-kit.ts";
import { sandboxBundle } from "./sandbox-bundle.ts";
import type { RunResult } from "./types.ts";
import type { ParentMessage, WorkerMessage, WorkerSettings } from "./worker-protocol.ts";

/** How often an idle worker checks that its isolate is really idle. */
const IDLE_CHECK_MS = 100;
const settings = JSON.parse(process.argv[2] ?? "{}") as WorkerSettings;
/**
 * Resident memory goes with each result, read at most this often: each read is a /proc read,
 * and reading it after every run cost ~1.5 % of a worker's CPU.
 */
const RSS_EVERY_MS = 500;
let rss = { bytes: 0, readAt: -Infinity };

function residentBytes(): number {
  const now = performance.now();
  if (now - rss.readAt >= RSS_EVERY_MS) rss = { bytes: process.memoryUsage.rss(), readAt: now };
  return rss.bytes;
}

function sendResult(id: number, { packets, ...result }: RunResult): void {
  send({
    type: "result",
    id,
    result: { ...result, packets: [] },
    packets: encodePackets(packets),
    rssBytes: residentBytes(),
  });
}

function send(message: WorkerMessage): void {
  // The parent may have gone (closing): nothing left to tell it.
  if (process.connected) process.send?.(message, undefined, {}, () => {});
}

async function start(): Promise<void> {
  const networkModule = (await import(settings.networkModule)) as {
    createNetwork: (options: NetworkOptions) => Network;
  };
  let protocols: ProtocolKit | null = null;
  try {
    protocols = await loadProtocolKit();
  } catch (error) {
    console.error("packetlab runner: protocols unavailable; packet building is disabled", error);
  }
  const slot = createIsolateSlot({
    bundle: await sandboxBundle(),
    recycleAfterRuns: settings.recycleAfterRuns,
  });
  const deps = {
    createNetwork: networkModule.createNetwork,
    protocols,
    slot,
    ...(settings.fastPathMs !== undefined ? { fastPathMs: settings.fastPathMs } : {}),
  };
  const controls = new Map<number, RunControl>();
  // Between runs, an isolate that uses CPU is running something a finished run left behind:
  // dispose it now rather than let it spin until the next run (see isolate-slot.ts).
  setInterval(() => {
    if (controls.size === 0) reportIdleUse(slot.retireIfBusyWhileIdle());
  }, IDLE_CHECK_MS).unref();

  process.on("message", (message: ParentMessage) => {
    if (message.type === "cancel") {
      controls.get(message.id)?.cancel?.();
      return;
    }
    const { id, request, limits, stream } = message;
    const control: RunControl = {};
    controls.set(id, control);
    const emit = stream ? (event: WorkerMessage & { type: "event" }) => send(event) : null;
    void executeRun(
      request,
      limits,
      deps,
      emit && ((event) => emit({ type: "event", id, event })),
      control,
    )
      .then((result) => sendResult(id, result))
      .catch((error: unknown) => {
        // Outside the sandbox (an invalid topology, a netsim bug): not the learner's fault.
        console.error("packetlab runner: run failed outside the sandbox", error);
        const result = resultWithoutRun(
          "internal-error",
          messages.internalError(),
          limits,
          request.topology,
        );
        sendResult(id, result);
      })
      .finally(() => controls.delete(id));
  });
  send({ type: "ready" });
}

/**
 * The lifeline (see pool.ts): stdin is a pipe from the parent, closed when the parent goes in
 * any way, SIGKILL included. A thread watches it, because the main thread may be stuck in a
 * synchronous call into the isolate; it kills this worker's process group (this worker and what
 * it started). Plain CommonJS, without the parent's loader, so it starts in a few milliseconds.
 */
const LIFELINE = `
const { Socket } = require("node:net");
const die = () => {
  try { process.kill(-process.pid, "SIGKILL"); } catch {}
  process.kill(process.pid, "SIGKILL");
};
const lifeline = new Socket({ fd: 0, readable: true, writable: false });
lifeline.on("end", die);
lifeline.on("close", die);
lifeline.on("error", die);
lifeline.resume();
`;
new Worker(LIFELINE, { eval: true, execArgv: [], stdin: false, stdout: false }).unref();

process.on("disconnect", () => process.exit(0));
start().catch((error: unknown) => {
  console.error("packetlab runner: worker failed to start", error);
  process.exit(70);
});
