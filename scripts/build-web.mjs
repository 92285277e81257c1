// Builds the web app (web/, Vite) into dist/web, which the service serves at `/`. npm runs it
// on `npm ci`/`npm install` (prepare) and before `npm start` (prestart), so a fresh checkout
// serves the app without a build step of its own; the build is never committed. It is skipped
// when the sources have not changed since the last build (a hash of web/ and the lockfile), so
// `npm start` stays quick; `--force` rebuilds anyway. Beside each compressible file it writes
// Brotli (.br) and gzip (.gz) copies, which src/http/web-app.ts sends to browsers that accept
// them: compressed once here at the highest levels rather than on every response.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath, URL } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
const web = join(root, "web");
const out = join(root, "dist", "web");
const stamp = join(out, ".source-hash");
const vite = join(root, "node_modules", "vite", "bin", "vite.js");

// The Docker build installs before it copies web/, and a production install may omit Vite:
// neither is an error, the service then answers `/` with a note on how to build.
if (!existsSync(join(web, "index.html"))) process.exit(0);
if (!existsSync(vite)) {
  console.warn("packetlab: Vite is not installed (npm ci --omit=dev?); the web app is not built.");
  process.exit(0);
}

function* files(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}
const hash = createHash("sha256");
// This script is hashed too: a change to what it writes (the compressed copies) rebuilds.
for (const path of [
  ...files(web),
  join(root, "package-lock.json"),
  fileURLToPath(import.meta.url),
]) {
  hash.update(path.slice(root.length)).update("\0").update(readFileSync(path)).update("\0");
}
const digest = hash.digest("hex");
const force = process.argv.includes("--force");
if (!force && existsSync(stamp) && readFileSync(stamp, "utf8") === digest) process.exit(0);

const result = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], {
  cwd: web,
  stdio: "inherit",
});
if (result.status !== 0) process.exit(result.status ?? 1);

// Text compresses; images, fonts and the like are compressed already. Source maps are fetched
// only by developer tools (and are 20 MB of Brotli work), small files are not worth a copy, and
// a copy that saves less than a tenth is left out (the plain file is sent instead).
const compressible = new Set([".html", ".js", ".mjs", ".css", ".json", ".svg", ".txt", ".wasm"]);
const minBytes = 1024;
for (const path of files(out)) {
  if (!compressible.has(extname(path))) continue;
  const plain = readFileSync(path);
  if (plain.length < minBytes) continue;
  const copies = {
    ".br": brotliCompressSync(plain, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: plain.length,
      },
    }),
    ".gz": gzipSync(plain, { level: constants.Z_BEST_COMPRESSION }),
  };
  for (const [suffix, copy] of Object.entries(copies)) {
    if (copy.length < plain.length * 0.9) writeFileSync(path + suffix, copy);
  }
}
writeFileSync(stamp, digest);
