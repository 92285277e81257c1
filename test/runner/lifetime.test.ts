// No worker process outlives the service: however the process that owns the runner ends
// (SIGKILL, a signal it does not handle, an exit without close()), its workers end too, even
// one stuck in a synchronous call that cannot see its IPC channel close.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const SERVICE = new URL("./lifetime-service.ts", import.meta.url).pathname;
const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Processes whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) === pid) found.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return found;
}

/** Alive and not a zombie. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 20_000) throw new Error(`still waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts the stand-in service; resolves with it and its worker pids once it says "ready". */
async function startService(
  mode: "idle" | "stuck" | "crash",
): Promise<{ child: ChildProcess; workers: number[] }> {
  const child = spawn(process.execPath, ["--no-node-snapshot", "--import", "tsx", SERVICE, mode], {
    cwd: root,
    // The crash is expected: its stack trace is not news.
    stdio: ["ignore", "pipe", mode === "crash" ? "ignore" : "inherit"],
  });
  started.push(child);
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("ready")) resolve();
    });
    child.once("exit", (code) =>
      reject(new Error(`the service exited (${code}) before it was ready`)),
    );
  });
  const workers = childrenOf(child.pid!);
  expect(workers.length).toBeGreaterThanOrEqual(2);
  return { child, workers };
}

describe("worker processes never outlive the service", () => {
  it("ends idle workers and a worker stuck in a host call when the service is SIGKILLed", async () => {
    const { child, workers } = await startService("stuck");
    child.kill("SIGKILL");
    await until(() => workers.every((pid) => !running(pid)), `workers ${workers} to end`);
  });

  it("ends them when the service dies of a SIGTERM it does not handle", async () => {
    const { child, workers } = await startService("stuck");
    child.kill("SIGTERM");
    await until(() => workers.every((pid) => !running(pid)), `workers ${workers} to end`);
  });

  it("ends them when the service dies of SIGINT", async () => {
    const { child, workers } = await startService("stuck");
    child.kill("SIGINT");
    await until(() => workers.every((pid) => !running(pid)), `workers ${workers} to end`);
  });

  it("ends them when the service crashes on an uncaught exception", async () => {
    const { child, workers } = await startService("crash");
    const status = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(status).not.toBe(0);
    await until(() => workers.every((pid) => !running(pid)), `workers ${workers} to end`);
  });

  it("ends them when the service is SIGKILLed with every worker idle", async () => {
    const { child, workers } = await startService("idle");
    child.kill("SIGKILL");
    await until(() => workers.every((pid) => !running(pid)), `workers ${workers} to end`);
  });
});

describe("packetlab run", () => {
  it("exits after the issue's looping-FinalizationRegistry program", async () => {
    const dir = await mkdtemp(join(tmpdir(), "packetlab-lifetime-"));
    const file = join(dir, "finalizers.js");
    await writeFile(
      file,
      `const registry = new FinalizationRegistry(() => { for (;;) {} });
for (let i = 0; i < 2e5; i++) registry.register({ i }, i);
const keep = [];
for (let i = 0; i < 300; i++) keep.push(new Array(10_000).fill(i));
console.log("finished");`,
    );
    const cli = spawn(process.execPath, ["bin/packetlab.js", "run", file], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    started.push(cli);
    let out = "";
    cli.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => cli.once("exit", resolve));
    expect(out).toMatch(/runtime-error/);
    expect(status).toBe(1);
  });
});
