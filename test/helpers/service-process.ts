/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies; the assertions check their shape */
// The service as a process of its own, as `packetlab serve` runs in production: for tests that
// kill it (outbox-crash) or run several replicas of it on one database (replicas).
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";

const root = new URL("../../", import.meta.url).pathname;

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

export interface ServiceProcess {
  url: string;
  kill9(): Promise<void>;
  /** Any answer, as status and parsed body. */
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** A call expected to succeed: its parsed body; throws with the answer otherwise. */
  call(method: string, path: string, token?: string, body?: unknown): Promise<any>;
}

/**
 * Starts `packetlab serve` with the given environment (over a test's defaults) and waits for
 * /readyz; `onCleanup` receives what kills it, for the test's afterEach.
 */
export async function startService(
  operatorToken: string,
  env: Record<string, string>,
  onCleanup: (cleanup: () => Promise<void>) => void,
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
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  onCleanup(async () => {
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
  const request: ServiceProcess["request"] = async (method, path, options = {}) => {
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
      body: text ? JSON.parse(text) : undefined,
      headers: response.headers,
    };
  };
  return {
    url,
    async kill9() {
      child.kill("SIGKILL");
      await exited;
    },
    request,
    async call(method, path, token, body) {
      const answer = await request(method, path, { ...(token ? { token } : {}), body });
      if (answer.status >= 300) {
        throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      return answer.body;
    },
  };
}
