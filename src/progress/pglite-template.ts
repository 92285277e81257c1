// A new embedded data directory starts from a template instead of running initdb: initdb in
// PGlite costs about 3 s of CPU, unpacking the template about 0.5 s. The template is an empty
// cluster that scripts/build.mjs dumps into dist/ (`npm ci` builds it), named after the PGlite
// version that made it, so an upgraded PGlite never starts from another version's files.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const DIST = fileURLToPath(new URL("../../dist/", import.meta.url));

/** The installed PGlite's version, from its package.json. */
export function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  let dir = dirname(entry);
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string })
    .version;
}

export function templatePath(distDir = DIST): string {
  return join(distDir, `pglite-template-${pgliteVersion()}.tar.gz`);
}

/** The template to start `dataDir` from, if it is new (absent or empty) and a template exists. */
export function templateFor(dataDir: string, distDir = DIST): Blob | undefined {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return undefined;
  const path = templatePath(distDir);
  if (!existsSync(path)) return undefined;
  return new Blob([readFileSync(path)]);
}
