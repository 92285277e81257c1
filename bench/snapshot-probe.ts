// Why the sandbox does not start from a V8 startup snapshot: with isolated-vm 5.0.4 on Node 20,
// every one-byte one-character string that exists while the snapshot is made comes back as
// another string (often "" or another character) in an isolate started from it; longer strings,
// two-byte characters and strings made after start-up are intact, and the same code without a
// snapshot is intact. Values and property names alike ({ c: 1 } became { E: 1 }), and the
// sandbox bundle is full of both (".", ":", "", single-letter keys), so its objects would be
// silently wrong. Likely cause: V8 keeps the single-character string table in the read-only
// heap, and the snapshot's references into it do not match the read-only heap the new isolate
// gets. isolated-vm 6.x (Node ≥ 22) and 7.x (Node ≥ 24) were not tried here (Node 20).
//
// And what a snapshot would save if it worked: the CPU of a fresh context per run as the
// runner makes it (a new context, its two globals and the sandbox bundle run in it) against a
// context started from a snapshot that already holds the bundle, and against a bare context (the
// floor of a fresh context per run). The snapshot's bundle is only timed, never used: its strings
// are the corrupted ones above. Issue #14 asked whether a snapshot would cut a run's fixed cost.
// Run alone: node --no-node-snapshot --import tsx bench/snapshot-probe.ts
import ivm from "isolated-vm";
import { sandboxBundle, SANDBOX_FILENAME } from "../src/runner/sandbox-bundle.ts";
import { HOST_GLOBAL, SETTINGS_GLOBAL } from "../sandbox/protocol.ts";
import { median } from "./median.ts";

const MADE_IN_SNAPSHOT = `
globalThis.one = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));
globalThis.two = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i) + "z");
globalThis.keyed = { c: 1, s: 2 };
globalThis.wide = "\\u0100";
`;
const COUNT_CHANGED = `[
  one.filter((s, i) => s !== String.fromCharCode(i)).length,
  two.filter((s, i) => s !== String.fromCharCode(i) + "z").length,
  Object.keys(keyed).join(","),
  wide === "\\u0100",
]`;

function probe(snapshot: ivm.ExternalCopy<ArrayBuffer> | undefined): unknown {
  const isolate = new ivm.Isolate(snapshot ? { snapshot } : {});
  try {
    const context = isolate.createContextSync();
    if (!snapshot) context.evalSync(MADE_IN_SNAPSHOT);
    return context.evalSync(`JSON.stringify(${COUNT_CHANGED})`);
  } finally {
    isolate.dispose();
  }
}

const snapshot = ivm.Isolate.createSnapshot([{ code: MADE_IN_SNAPSHOT }]);
console.log(
  "[one-char strings changed of 256, two-char changed of 256, keys of {c, s}, U+0100 intact]",
);
console.log(`without a snapshot: ${String(probe(undefined))}`);
console.log(`from a snapshot:    ${String(probe(snapshot))}`);

const CONTEXTS = Number(process.env.BENCH_SNAPSHOT_CONTEXTS ?? 3000);
const ROUNDS = Number(process.env.BENCH_SNAPSHOT_ROUNDS ?? 5);
const MEMORY_MB = 128;

const bundle = await sandboxBundle();
const settings = { maxOutputChars: 65_537, epochMs: 0 };
// The snapshot cannot hold the runner's host callback, and the snapshot maker has no
// WebAssembly for the bundle to capture: stand-ins for both, enough for the bundle to load.
const standIns =
  `globalThis.${HOST_GLOBAL} = function () {};` +
  `globalThis.${SETTINGS_GLOBAL} = ${JSON.stringify(settings)};` +
  "globalThis.WebAssembly ??= { Module: function () {}, Instance: function () {}, Memory: function () {} };\n";
const withBundle = ivm.Isolate.createSnapshot([
  { code: standIns + bundle, filename: SANDBOX_FILENAME },
]);

const plain = new ivm.Isolate({ memoryLimit: MEMORY_MB });
const script = plain.compileScriptSync(bundle, { filename: SANDBOX_FILENAME });
const fromSnapshot = new ivm.Isolate({ memoryLimit: MEMORY_MB, snapshot: withBundle });

const ways: [string, ivm.Isolate, () => void][] = [
  [
    "as the runner does (context, globals, bundle run)",
    plain,
    () => {
      const context = plain.createContextSync();
      context.global.setSync(HOST_GLOBAL, new ivm.Callback(() => 0));
      context.global.setSync(SETTINGS_GLOBAL, new ivm.ExternalCopy(settings).copyInto());
      script.runSync(context);
      context.release();
    },
  ],
  [
    "from a snapshot holding the bundle",
    fromSnapshot,
    () => fromSnapshot.createContextSync().release(),
  ],
  ["a bare context (the floor)", plain, () => plain.createContextSync().release()],
];

/** Isolate CPU per context (ms): the isolate's own clock, as a run's cpuMs is measured. */
function perContext(isolate: ivm.Isolate, make: () => void): number {
  const before = isolate.cpuTime;
  for (let i = 0; i < CONTEXTS; i++) make();
  return Number(isolate.cpuTime - before) / 1e6 / CONTEXTS;
}

const samples = ways.map(() => [] as number[]);
for (const [, isolate, make] of ways) perContext(isolate, make); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  // Each round in another order, so a slow moment of a shared machine lands on each way in turn.
  for (let i = 0; i < ways.length; i++) {
    const index = (i + round) % ways.length;
    const [, isolate, make] = ways[index]!;
    samples[index]!.push(perContext(isolate, make));
  }
}
console.log(`\nisolate CPU per fresh context, median of ${ROUNDS} rounds × ${CONTEXTS}:`);
ways.forEach(([label], index) => {
  const values = samples[index]!;
  console.log(
    `  ${label.padEnd(52)} ${median(values).toFixed(3)} ms  (${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)})`,
  );
});
plain.dispose();
fromSnapshot.dispose();
