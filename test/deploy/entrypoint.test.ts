// Docker's engine does not run here, so the image is kept honest another way: run the very
// command its ENTRYPOINT and CMD name, with the environment the Dockerfile and docker-compose.yml
// give it, against a real PostgreSQL server, and hold it to what an operator expects — migrations
// applied at start-up, /readyz green, the HEALTHCHECK command passing, a clean exit on SIGTERM.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import {
  createScratchDatabase,
  testDatabaseUrl,
  type ScratchDatabase,
} from "../helpers/database.ts";
import { WORKER_NODE_FLAGS } from "../../src/runner/pool.ts";

const root = new URL("../../", import.meta.url).pathname;
const dockerfile = readFileSync(`${root}Dockerfile`, "utf8");

/** The JSON-array form of an instruction in the runtime (last) stage. */
function execForm(instruction: string): string[] {
  const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
  const match = new RegExp(`^${instruction}\\s+(\\[.*\\])\\s*$`, "m").exec(runtime);
  if (!match) throw new Error(`Dockerfile: no ${instruction} in exec form in the runtime stage`);
  return JSON.parse(match[1]!) as string[];
}

/** ENV of the runtime stage, which the container starts with. */
function runtimeEnv(): Record<string, string> {
  const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
  const block = /^ENV\s+((?:.*\\\n)*.*)$/m.exec(runtime)?.[1] ?? "";
  const env: Record<string, string> = {};
  for (const [, name, value] of block.matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) env[name!] = value!;
  return env;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitForReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`/readyz never answered 200:\n${log()}`);
}

describe.skipIf(!testDatabaseUrl)("the container's start command, on PostgreSQL", () => {
  const [executable, ...entrypoint] = execForm("ENTRYPOINT");
  const command = [...entrypoint, ...execForm("CMD")];
  let database: ScratchDatabase;
  let child: ChildProcess;
  let output = "";
  let url: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createScratchDatabase();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      ...runtimeEnv(),
      // What docker-compose.yml sets, pointed at this machine's PostgreSQL.
      DATABASE_URL: database.url!,
      OPERATOR_TOKEN: "entrypoint-test-operator-token",
      HOST: "127.0.0.1",
      PORT: String(port),
      RUNNER_WORKERS: "1",
      LOG_LEVEL: "info",
    };
    child = spawn(executable === "node" ? process.execPath : executable!, command, {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    await waitForReady(url, child, () => output);
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await database?.drop();
  });

  it("starts with the image's own entrypoint and runs as the Dockerfile says", () => {
    expect(executable).toBe("node");
    // isolated-vm needs --no-node-snapshot only where it is loaded, in the sandbox workers, which
    // the runner starts with it; the API process starts faster from Node's own snapshot.
    expect(entrypoint).not.toContain("--no-node-snapshot");
    expect(WORKER_NODE_FLAGS).toContain("--no-node-snapshot");
    expect(command).toContain("serve");
  });

  it("applied the migrations to PostgreSQL at start-up, as Prisma records them", async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name",
      );
      const expected = readdirSync(`${root}prisma/migrations`, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
      expect(rows.map((row) => row.migration_name)).toEqual(expected);
      expect(rows.every((row) => row.finished_at !== null)).toBe(true);
    } finally {
      await client.end();
    }
  });

  it("serves the API once ready", async () => {
    const lessons = await fetch(`${url}/v1/lessons`);
    expect(lessons.status).toBe(200);
    const body = (await lessons.json()) as { lessons?: { id: string }[] } | { id: string }[];
    expect(JSON.stringify(body)).toContain("exchanging-messages");
  });

  it("passes the image's HEALTHCHECK command", () => {
    const healthcheck = /^HEALTHCHECK[^\n]*\\\n\s*CMD\s+(\[.*\])/m.exec(dockerfile);
    expect(healthcheck).not.toBeNull();
    const [program, ...args] = JSON.parse(healthcheck![1]!) as string[];
    const result = spawnSync(program === "node" ? process.execPath : program!, args, {
      cwd: root,
      env,
      timeout: 10_000,
    });
    expect(result.status, String(result.stderr)).toBe(0);
  });

  it("shuts down cleanly on SIGTERM, as `docker stop` sends", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 30_000);
});

describe("the container's start command, misconfigured", () => {
  it("stops at once with a message naming the invalid variable", () => {
    const [executable, ...entrypoint] = execForm("ENTRYPOINT");
    const result = spawnSync(
      executable === "node" ? process.execPath : executable!,
      [...entrypoint, ...execForm("CMD")],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? "", ...runtimeEnv(), PORT: "eighty" },
        encoding: "utf8",
        timeout: 30_000,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PORT="eighty" is invalid/);
  });
});

describe("the container and `npm start`", () => {
  const { scripts } = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as {
    scripts: { start: string };
  };
  // `NAME=value … node bin/packetlab.js serve`
  const start = /^((?:[A-Za-z_]\w*=\S*\s+)*)node (.*)$/.exec(scripts.start);

  it("start the same command", () => {
    expect(start, `npm start is "${scripts.start}"`).not.toBeNull();
    expect(start![2]!.split(/\s+/)).toEqual(
      [...execForm("ENTRYPOINT"), ...execForm("CMD")].slice(1),
    );
  });

  it("start it with the same environment settings (glibc's malloc among them)", () => {
    const assignments = Object.fromEntries(
      start![1]!
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((assignment) => assignment.split("=") as [string, string]),
    );
    expect(assignments).toHaveProperty("MALLOC_MMAP_THRESHOLD_");
    const image = runtimeEnv();
    for (const [name, value] of Object.entries(assignments)) expect(image[name], name).toBe(value);
  });
});
