// The compiler as a service of its own (`packetlab compile-server`): in Docker, bubblewrap needs
// namespaces that the default seccomp profile forbids, so compiling runs in a container of its
// own with a wider profile and nothing worth stealing (no database credentials, no outside
// network), and the API asks it over HTTP (remote.ts). One route: POST /v1/compile.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { CompilerBusyError } from "./pool.ts";
import type { RustCompiler } from "./rust.ts";

export interface CompileServerOptions {
  maxSourceBytes: number;
  /** Bearer token the API sends; unset: none needed (the network is the boundary). */
  token?: string | undefined;
}

class BadRequest extends Error {}

async function readBody(request: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new BadRequest(`the body is over ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function createCompileServer(
  compiler: Pick<RustCompiler, "compile" | "toolchainVersion">,
  options: CompileServerOptions,
): Server {
  return createServer((request, response) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(JSON.stringify(body));
    };
    void (async () => {
      if (request.method === "GET" && request.url === "/healthz") {
        return send(200, { status: "ok", toolchain: await compiler.toolchainVersion() });
      }
      if (request.method !== "POST" || request.url !== "/v1/compile") {
        return send(404, { code: "NOT_FOUND" });
      }
      if (options.token && request.headers.authorization !== `Bearer ${options.token}`) {
        return send(401, { code: "UNAUTHENTICATED" });
      }
      // JSON escapes can make a source up to 6 times its size.
      const text = await readBody(request, options.maxSourceBytes * 6 + 1024);
      let source: unknown;
      try {
        source = (JSON.parse(text) as { source?: unknown }).source;
      } catch {
        throw new BadRequest("the body is not JSON");
      }
      if (typeof source !== "string") throw new BadRequest("source must be a string");
      if (Buffer.byteLength(source) > options.maxSourceBytes) {
        throw new BadRequest(`source is over ${options.maxSourceBytes} bytes`);
      }
      const result = await compiler.compile(source);
      send(
        200,
        result.ok
          ? { ...result, wasm: Buffer.from(result.wasm).toString("base64") }
          : { ...result },
      );
    })().catch((error: unknown) => {
      if (error instanceof CompilerBusyError) {
        return send(
          503,
          { code: error.code, retryAfterSeconds: error.retryAfterSeconds },
          { "retry-after": String(error.retryAfterSeconds) },
        );
      }
      if (error instanceof BadRequest)
        return send(400, { code: "BAD_REQUEST", message: error.message });
      console.error("packetlab compile-server: compile failed", error);
      send(500, { code: "INTERNAL_ERROR" });
    });
  });
}
