#!/usr/bin/env node
// The `packetlab` command. It runs the bundle in dist/ (scripts/build.mjs, run by `npm ci` and
// `npm run build`) while that is newer than every source it was built from; otherwise, in a
// checkout being edited, the TypeScript sources themselves through tsx's loader.
import { readFileSync, statSync } from "node:fs";

const root = new URL("../", import.meta.url);

function builtIsCurrent() {
  try {
    const info = JSON.parse(readFileSync(new URL("dist/build-info.json", root), "utf8"));
    return info.inputs.every((input) => statSync(new URL(input, root)).mtimeMs <= info.builtAt);
  } catch {
    return false;
  }
}

let main;
if (process.env.PACKETLAB_FROM_SOURCE !== "1" && builtIsCurrent()) {
  ({ main } = await import("../dist/cli.js"));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/cli.ts"));
}
process.exitCode = await main(process.argv.slice(2));
