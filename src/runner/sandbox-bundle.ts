// The sandbox (sandbox/*.ts) as one script for the isolate, built with esbuild once per process.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { MODULE_EXPORTS, API_GLOBAL } from "../../sandbox/protocol.ts";

const ENTRY = fileURLToPath(new URL("../../sandbox/bootstrap.ts", import.meta.url));

/** The name stack traces show for sandbox frames: never a host path. */
export const SANDBOX_FILENAME = "packetlab:sandbox";

let bundle: Promise<string> | null = null;

export function sandboxBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: "iife",
    platform: "neutral",
    target: "es2022",
    // Whitespace only: keeps names readable in learner-visible stacks, drops the comments that
    // would carry source paths.
    minifyWhitespace: true,
    legalComments: "none",
    // Strict mode throughout: a stack trace's CallSite.getFunction()/getThis() then return
    // undefined for sandbox frames, so Error.prepareStackTrace cannot pull internals out.
    banner: { js: '"use strict";' },
    charset: "utf8",
    logLevel: "silent",
  }).then((result) => {
    const file = result.outputFiles[0];
    if (!file) throw new Error("esbuild produced no sandbox bundle");
    return file.text;
  });
  return bundle;
}

const facades = new Map<string, string>();

/** Source of the "net" / "fs" facade module: re-exports the bootstrap's frozen API. */
export function facadeSource(name: keyof typeof MODULE_EXPORTS): string {
  let source = facades.get(name);
  if (source === undefined) {
    const lines = [`const api = globalThis[${JSON.stringify(API_GLOBAL)}].${name};`];
    for (const exported of MODULE_EXPORTS[name]) {
      lines.push(`export const ${exported} = api.${exported};`);
    }
    source = lines.join("\n");
    facades.set(name, source);
  }
  return source;
}
