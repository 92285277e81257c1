// Builds the web app (web/, Vite) into dist/web, which the service serves at `/`. npm runs it
// on `npm ci`/`npm install` (prepare) and before `npm start` (prestart), so a fresh checkout
// serves the app without a build step of its own; the build is never committed. It is skipped
// when the sources have not changed since the last build (a hash of web/ and the lockfile), so
// `npm start` stays quick; `--force` rebuilds anyway.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, URL } from "node:url";

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
for (const path of [...files(web), join(root, "package-lock.json")]) {
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
writeFileSync(stamp, digest);
