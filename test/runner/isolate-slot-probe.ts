// For isolate-slot.test.ts (isolated-vm needs --no-node-snapshot, so it runs in its own process):
// an isolate that stays idle between runs is reused; one that ran code with no run in it (as a
// garbage-collector callback would) is disposed, and the next run gets a fresh one.
import { createIsolateSlot } from "../../src/runner/isolate-slot.ts";
import { sandboxBundle } from "../../src/runner/sandbox-bundle.ts";

const slot = createIsolateSlot({ bundle: await sandboxBundle(), recycleAfterRuns: 100 });

const first = slot.acquire(32);
slot.release(true);
const idle = slot.retireIfBusyWhileIdle();
const second = slot.acquire(32);
const reusedWhenIdle = second.isolate === first.isolate;
slot.release(true);

// Work the isolate does between runs, which only leftover code could do.
const context = second.isolate.createContextSync();
second.isolate
  .compileScriptSync("let x = 0; for (let i = 0; i < 3e6; i++) x += i;")
  .runSync(context);
const usedNs = slot.retireIfBusyWhileIdle();
const disposed = second.isolate.isDisposed;
const third = slot.acquire(32);
const freshAfter = third.isolate !== second.isolate && !third.isolate.isDisposed;
slot.release(true);
slot.retire();

process.stdout.write(
  JSON.stringify({
    idleNs: String(idle),
    reusedWhenIdle,
    usedNs: String(usedNs),
    disposed,
    freshAfter,
  }),
);
