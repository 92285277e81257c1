/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies; the assertions check their shape */
// `packetlab serve` as a process of its own, as it runs in production, on storage a test can
// hand to the next process: for tests that kill it (-9, or SIGTERM) and start it again.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createScratchDatabase } from "./database.ts";

const root = new URL("../../", import.meta.url).pathname;

export type Cleanup = () => Promise<void> | void;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Where the processes keep their data: a PostgreSQL database of its own, or a PGlite directory. */
export async function serviceStorage(cleanups: Cleanup[]): Promise<Record<string, string>> {
  const scratch = await createScratchDatabase();
  cleanups.push(() => scratch.drop());
  if (scratch.url) return { DATABASE_URL: scratch.url };
  const dir = mkdtempSync(join(tmpdir(), "packetlab-service-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { DATA_DIR: dir };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export interface ServiceProcess {
  url: string;
  /** SIGKILL: no shutdown at all. */
  kill9(): Promise<void>;
  /** SIGTERM: the graceful shutdown; resolves with the exit code. */
  terminate(): Promise<number | null>;
  /** One request; the answer whatever its status. */
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Answer>;
  /** One request that must succeed (< 300); its JSON body. */
  call(method: string, path: string, token?: string, body?: unknown): Promise<any>;
}

export async function startService(
  env: Record<string, string>,
  cleanups: Cleanup[],
  operatorToken: string,
): Promise<ServiceProcess> {
  const port = await freePort();
  let log = "";
  const child: ChildProcess = spawn(process.execPath, [`${root}bin/packetlab.js`, "serve"], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: "127.0.0.1",
      OPERATOR_TOKEN: operatorToken,
      LOG_LEVEL: "warn",
      RUNNER_WORKERS: "1",
      LESSONS_DIR: `${root}lessons`,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (log += chunk));
  child.stderr!.on("data", (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited:\n${log}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`service never ready:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  async function request(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body ? { "content-type": "application/json" } : {}),
        ...options.headers,
      },
      ...(options.body ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
    };
  }
  return {
    url,
    async kill9() {
      child.kill("SIGKILL");
      await exited;
    },
    async terminate() {
      child.kill("SIGTERM");
      return exited;
    },
    request,
    async call(method, path, token, body) {
      const answer = await request(method, path, { ...(token ? { token } : {}), body });
      if (answer.status >= 300)
        throw new Error(
          `${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}\n${log}`,
        );
      return answer.body;
    },
  };
}
