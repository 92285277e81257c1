// Short-lived signed links, so a page can offer a download (class CSV, trace pcap) as a plain
// <a href download>, which cannot carry an Authorization header. A link names one path, the
// principal it was made for and when it expires, and is signed with HMAC-SHA256 under a key
// of the server's (DOWNLOAD_LINK_SECRET, or one kept in the database). It grants nothing its
// principal could not fetch with their token: the route checks access as that principal.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Principal } from "../progress/accounts.ts";

/** How long a link works, in seconds: long enough to click, short enough to leak little. */
export const LINK_LIFETIME_SECONDS = 300;

export interface LinkParams {
  expires: number;
  principal: string;
  signature: string;
}

export type LinkPrincipal =
  | { role: "teacher"; teacherId: string; tokenId: string }
  | { role: "learner"; learnerId: string; tokenId: string };

export interface DownloadLinks {
  /** The query that makes `path` fetchable by `principal` until `expiresAt`. */
  sign(path: string, principal: Principal, now?: Date): Promise<{ query: string; expiresAt: Date }>;
  /** The principal a link stands for, or why it does not stand for one. */
  verify(
    path: string,
    params: Partial<Record<keyof LinkParams, unknown>>,
    now?: Date,
  ): Promise<{ principal: LinkPrincipal } | { refused: string }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function createDownloadLinks(key: () => Promise<Buffer>): DownloadLinks {
  let cached: Promise<Buffer> | undefined;
  const signingKey = () => {
    // Retried after a failure (the database was down), kept once known.
    cached ??= key().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
  const mac = async (path: string, principal: string, expires: number) =>
    createHmac("sha256", await signingKey())
      .update(`packetlab-download-v1\n${path}\n${principal}\n${expires}`)
      .digest();

  return {
    async sign(path, principal, now = new Date()) {
      const expires = Math.floor(now.getTime() / 1000) + LINK_LIFETIME_SECONDS;
      const who =
        principal.role === "teacher"
          ? `teacher:${principal.teacherId}`
          : `learner:${principal.learnerId}`;
      const signature = (await mac(path, who, expires)).toString("base64url");
      const query = new URLSearchParams({ expires: String(expires), principal: who, signature });
      return { query: query.toString(), expiresAt: new Date(expires * 1000) };
    },

    async verify(path, params, now = new Date()) {
      const { expires, principal, signature } = params;
      if (typeof principal !== "string" || typeof signature !== "string")
        return { refused: "The link lacks its principal or signature." };
      const expiresAt = Number(expires);
      if (!Number.isInteger(expiresAt)) return { refused: "The link lacks its expiry." };
      const [role, id] = principal.split(":");
      if ((role !== "teacher" && role !== "learner") || !id || !UUID.test(id))
        return { refused: "The link's principal is malformed." };
      const expected = await mac(path, principal, expiresAt);
      const given = Buffer.from(signature, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { refused: "The link's signature does not match; ask for a new link." };
      // Checked after the signature, so an expiry cannot be probed with forged links.
      if (expiresAt * 1000 <= now.getTime())
        return { refused: "The link has expired; ask for a new one." };
      return {
        principal:
          role === "teacher"
            ? { role, teacherId: id, tokenId: "download-link" }
            : { role, learnerId: id, tokenId: "download-link" },
      };
    },
  };
}
