// `npm ci` runs this (postinstall) to generate the Prisma client into src/generated/.
// Prisma 7's client needs no native engine (the service uses driver adapters), but the CLI still
// looks for its engines before generating. Where they cannot be downloaded (offline machines,
// locked-down CI), pointing the variables at any existing file lets `generate` run; where they
// are set or downloadable, nothing is overridden.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, URL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
const placeholder = join(tmpdir(), "packetlab-prisma-no-engine");
for (const name of ["PRISMA_SCHEMA_ENGINE_BINARY", "PRISMA_QUERY_ENGINE_LIBRARY"]) {
  if (!env[name]) {
    if (!existsSync(placeholder)) {
      mkdirSync(tmpdir(), { recursive: true });
      writeFileSync(placeholder, "");
    }
    env[name] = placeholder;
  }
}
const cli = join(root, "node_modules", "prisma", "build", "index.js");
const result = spawnSync(process.execPath, [cli, "generate"], { cwd: root, env, stdio: "inherit" });
process.exit(result.status ?? 1);
