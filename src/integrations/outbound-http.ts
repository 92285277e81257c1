// The one way packetlab calls other systems: node:http(s) with the address policy applied to
// the address actually connected to (a hostname that resolves to 10.0.0.5, or that changes its
// answer between a check and the connection, is refused at connect time), a timeout, a cap on
// the response body, an explicit User-Agent (Canvas refuses requests without one), and no
// redirects followed (a redirect is an answer, not a new target).
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import type { AddressPolicy } from "./address-policy.ts";

export interface OutboundRequest {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class OutboundError extends Error {
  override name = "OutboundError";
}

export const USER_AGENT = "packetlab/0.1 (+https://github.com/packetlab; LTI 1.3 tool; webhooks)";
const MAX_BODY_BYTES = 1_048_576;

export type OutboundHttp = (url: string, request?: OutboundRequest) => Promise<OutboundResponse>;

/** Refuses a URL before any connection: scheme, credentials, and a literal private address. */
export function checkOutboundUrl(raw: string, policy: AddressPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not an absolute URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be http or https";
  if (url.username || url.password) return "must not carry credentials";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return policy.refuse(host);
  if (host === "localhost" || host.endsWith(".localhost")) return policy.refuse("127.0.0.1");
  return undefined;
}

export function createOutboundHttp(options: {
  policy: AddressPolicy;
  timeoutMs: number;
  /** The resolver (tests give names of their own); node's by default. */
  resolve?: typeof dnsLookup;
}): OutboundHttp {
  const { policy } = options;
  const resolve = options.resolve ?? dnsLookup;
  // Resolves as usual, then refuses if any answer is an address the policy forbids.
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 4);
      const list = addresses as LookupAddress[];
      for (const entry of list) {
        const refused = policy.refuse(entry.address);
        if (refused) return callback(new OutboundError(`${hostname}: ${refused}`), "", 4);
      }
      if (lookupOptions.all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };

  return (raw, request = {}) =>
    new Promise<OutboundResponse>((resolve, reject) => {
      const refused = checkOutboundUrl(raw, policy);
      if (refused) return reject(new OutboundError(`${raw}: ${refused}`));
      const url = new URL(raw);
      const client = url.protocol === "https:" ? https : http;
      const body = request.body === undefined ? undefined : Buffer.from(request.body, "utf8");
      const outgoing = client.request(
        url,
        {
          method: request.method ?? "GET",
          headers: {
            "user-agent": USER_AGENT,
            ...(body ? { "content-length": String(body.length) } : {}),
            ...request.headers,
          },
          lookup,
          timeout: request.timeoutMs ?? options.timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
              response.destroy(new OutboundError(`${raw}: response larger than 1 MB`));
              return;
            }
            chunks.push(chunk);
          });
          response.on("error", reject);
          response.on("end", () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
        },
      );
      outgoing.on("timeout", () =>
        outgoing.destroy(new OutboundError(`${raw}: no answer within the timeout`)),
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });
}
