// The API's side of the compiler service (server.ts): the same compile() as a local compiler,
// over HTTP. Busy answers keep their Retry-After; a compiler that cannot be reached is an
// internal error of ours (logged by the caller), never the learner's compile error.
import type { CompileResult } from "./rust.ts";
import { CompilerBusyError } from "./pool.ts";

export interface RemoteCompilerOptions {
  url: string;
  token?: string | undefined;
  /** Longest one request may take: the service's own wait and compile limits, and some. */
  timeoutMs: number;
}

export function createRemoteCompiler(options: RemoteCompilerOptions) {
  const base = options.url.replace(/\/+$/, "");
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;

  async function compile(source: string): Promise<CompileResult> {
    const response = await fetch(`${base}/v1/compile`, {
      method: "POST",
      headers,
      body: JSON.stringify({ source }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (response.status === 503) {
      const body = (await response.json().catch(() => ({}))) as { retryAfterSeconds?: number };
      throw new CompilerBusyError(body.retryAfterSeconds ?? 5);
    }
    if (!response.ok) throw new Error(`the compiler service answered ${response.status}`);
    const body = (await response.json()) as CompileResult & { wasm?: string };
    if (body.ok) {
      return {
        ...body,
        wasm: new Uint8Array(Buffer.from(body.wasm as unknown as string, "base64")),
      };
    }
    return body;
  }

  async function toolchainVersion(): Promise<string> {
    const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`the compiler service answered ${response.status}`);
    return ((await response.json()) as { toolchain: string }).toolchain;
  }

  return {
    compile,
    toolchainVersion,
    /** Checks that the service answers (at boot). */
    warm: async () => {
      await toolchainVersion();
    },
    close: async () => {},
  };
}
