// Platforms' public keys, fetched from their JWKS URLs and cached. A token signed with a kid the
// cached set lacks (the platform rotated) makes one refetch, at most once per cooldown, so a
// stream of tokens with made-up kids cannot make the tool hammer the platform.
import type { JSONWebKeySet, JWTVerifyGetKey } from "jose";
import { loadJose } from "./jose.ts";
import type { OutboundHttp } from "../outbound-http.ts";

const MAX_AGE_MS = 3_600_000;

export function createPlatformKeys(deps: { http: OutboundHttp; cooldownMs: number }) {
  const cache = new Map<string, { fetchedAt: number; keys: JWTVerifyGetKey }>();

  async function fetchSet(url: string) {
    const response = await deps.http(url, { headers: { accept: "application/json" } });
    if (response.status !== 200) throw new Error(`JWKS ${url} answered ${response.status}`);
    const set = JSON.parse(response.body) as JSONWebKeySet;
    const { createLocalJWKSet } = await loadJose();
    const entry = { fetchedAt: Date.now(), keys: createLocalJWKSet(set) };
    cache.set(url, entry);
    return entry;
  }

  return {
    /** A key resolver for jwtVerify over the platform's set at `url`. */
    keysAt(url: string): JWTVerifyGetKey {
      return async (header, token) => {
        let entry = cache.get(url);
        if (!entry || Date.now() - entry.fetchedAt > MAX_AGE_MS) entry = await fetchSet(url);
        try {
          return await entry.keys(header, token);
        } catch (error) {
          const { errors } = await loadJose();
          if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
          if (Date.now() - entry.fetchedAt < deps.cooldownMs) throw error;
          return (await fetchSet(url)).keys(header, token);
        }
      };
    },
  };
}

export type PlatformKeys = ReturnType<typeof createPlatformKeys>;
