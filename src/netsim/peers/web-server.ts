// `www`: a small web server on TCP port 80 answering GET for "/" (RFC 9110 semantics, RFC 9112
// message syntax). HTTP/1.0 closes after each response unless the client asks to keep it
// alive; HTTP/1.1 keeps the connection open unless the client says "Connection: close".
import type { TcpConnection } from "../tcp-connection.ts";
import { formatSocketAddress, onTcpChange, type Peer, type PeerContext } from "./peer.ts";

export const DEFAULT_PAGE =
  "<!doctype html>\n<html><head><title>packetlab</title></head>\n<body><h1>Hello from www</h1></body></html>\n";
/** A request head larger than this is refused with 431 (RFC 6585 §5). */
const MAX_HEAD_BYTES = 8192;

export interface WebRequest {
  atUs: number;
  from: string;
  /** The request line as sent ("GET / HTTP/1.1"), or what arrived of it. */
  requestLine: string;
  method: string;
  target: string;
  version: string;
  host: string | null;
  status: number;
}

export function createWebServer(context: PeerContext, port: number, page: string): Peer {
  const requests: WebRequest[] = [];
  const encoder = new TextEncoder();
  const decoder = new TextDecoder("latin1");
  const body = encoder.encode(page);

  const respond = (
    connection: TcpConnection,
    status: number,
    reason: string,
    version: string,
    content: Uint8Array,
    close: boolean,
    headOnly = false,
  ): void => {
    const head =
      `${version === "HTTP/1.0" ? "HTTP/1.0" : "HTTP/1.1"} ${status} ${reason}\r\n` +
      `Server: packetlab-www\r\n` +
      `Content-Type: ${status === 200 ? "text/html; charset=utf-8" : "text/plain; charset=utf-8"}\r\n` +
      `Content-Length: ${content.length}\r\n` +
      (close
        ? "Connection: close\r\n"
        : version === "HTTP/1.0"
          ? "Connection: keep-alive\r\n"
          : "") +
      "\r\n";
    connection.write(encoder.encode(head));
    if (!headOnly) connection.write(content);
    if (close) connection.shutdownWrite();
  };

  context.listenTcp(port, (connection) => {
    let buffered = "";
    let closing = false;
    onTcpChange(context, connection, () => {
      if (closing) return;
      const data = connection.read(65_535);
      buffered += decoder.decode(data);
      for (;;) {
        const end = buffered.indexOf("\r\n\r\n");
        const bareEnd = end < 0 ? buffered.indexOf("\n\n") : -1;
        const headEnd = end >= 0 ? end + 4 : bareEnd >= 0 ? bareEnd + 2 : -1;
        if (headEnd < 0) {
          if (buffered.length > MAX_HEAD_BYTES) {
            closing = true;
            respond(
              connection,
              431,
              "Request Header Fields Too Large",
              "HTTP/1.1",
              encoder.encode("request head too large\n"),
              true,
            );
          } else if (connection.finReceived && buffered.length > 0) {
            closing = true;
            record(connection, buffered, 400);
            respond(
              connection,
              400,
              "Bad Request",
              "HTTP/1.1",
              encoder.encode("incomplete request: a request ends with an empty line (CRLF CRLF)\n"),
              true,
            );
          } else if (connection.finReceived) {
            closing = true;
            connection.shutdownWrite();
          }
          return;
        }
        const head = buffered.slice(0, headEnd);
        buffered = buffered.slice(headEnd);
        const lines = head.split(/\r?\n/);
        const requestLine = lines[0] ?? "";
        const [method = "", target = "", version = "", ...extra] = requestLine.split(" ");
        const headers = new Map<string, string>();
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(":");
          if (colon > 0)
            headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        }
        const connectionHeader = (headers.get("connection") ?? "").toLowerCase();
        const http10 = version === "HTTP/1.0";
        const close = http10 ? connectionHeader !== "keep-alive" : connectionHeader === "close";
        let status: number;
        if (extra.length > 0 || !/^HTTP\/1\.[01]$/.test(version) || !method || !target) {
          status = 400;
          respond(
            connection,
            400,
            "Bad Request",
            "HTTP/1.1",
            encoder.encode(
              `cannot read the request line "${requestLine}": it is METHOD TARGET HTTP/1.1\n`,
            ),
            true,
          );
          closing = true;
        } else if (!http10 && !headers.has("host")) {
          // RFC 9112 §3.2: an HTTP/1.1 request without Host is answered 400.
          status = 400;
          respond(
            connection,
            400,
            "Bad Request",
            version,
            encoder.encode("HTTP/1.1 requires a Host header\n"),
            close,
          );
        } else if (method !== "GET" && method !== "HEAD") {
          status = 405;
          respond(
            connection,
            405,
            "Method Not Allowed",
            version,
            encoder.encode(`${method} is not supported here; use GET\n`),
            close,
          );
        } else if (target !== "/" && target !== "/index.html") {
          status = 404;
          respond(
            connection,
            404,
            "Not Found",
            version,
            encoder.encode(`${target} is not here; try /\n`),
            close,
            method === "HEAD",
          );
        } else {
          status = 200;
          respond(connection, 200, "OK", version, body, close, method === "HEAD");
        }
        requests.push({
          atUs: context.now(),
          from: formatSocketAddress(connection.remote),
          requestLine,
          method,
          target,
          version,
          host: headers.get("host") ?? null,
          status,
        });
        if (close || closing) {
          closing = true;
          return;
        }
      }
    });
  });

  const record = (connection: TcpConnection, text: string, status: number): void => {
    requests.push({
      atUs: context.now(),
      from: formatSocketAddress(connection.remote),
      requestLine: text.split(/\r?\n/)[0] ?? "",
      method: "",
      target: "",
      version: "",
      host: null,
      status,
    });
  };

  return {
    state: () => ({ kind: "web-server", port, requests: requests.map((r) => ({ ...r })) }),
  };
}
