// Why the sandbox does not start from a V8 startup snapshot: with isolated-vm 5.0.4 on Node 20,
// every one-byte one-character string that exists while the snapshot is made comes back as
// another string (often "" or another character) in an isolate started from it; longer strings,
// two-byte characters and strings made after start-up are intact, and the same code without a
// snapshot is intact. Values and property names alike ({ c: 1 } became { E: 1 }), and the
// sandbox bundle is full of both (".", ":", "", single-letter keys), so its objects would be
// silently wrong. Likely cause: V8 keeps the single-character string table in the read-only
// heap, and the snapshot's references into it do not match the read-only heap the new isolate
// gets. isolated-vm 6.x (Node ≥ 22) and 7.x (Node ≥ 24) were not tried here (Node 20).
// Run alone: node --no-node-snapshot --import tsx bench/snapshot-probe.ts
import ivm from "isolated-vm";

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
