// The tool's RS256 keys, kept in the database so every replica signs with the same one and
// publishes the same set. Three at most: `current` signs; `next` is published a whole rotation
// period before it signs, and `previous` a whole period after, so a platform that cached the
// set at any moment in between can verify (the overlap is the rotation period, which should be
// far longer than platforms' caches: days, not minutes). Rotate with `packetlab lti rotate-keys`.
import { randomUUID } from "node:crypto";
import type { CryptoKey, JWK } from "jose";
import { loadJose } from "./jose.ts";
import type { LtiStore } from "../../progress/lti.ts";

const CACHE_MS = 30_000;

export async function makeToolKey() {
  const { exportJWK, generateKeyPair } = await loadJose();
  const { privateKey, publicKey } = await generateKeyPair("RS256", {
    extractable: true,
    modulusLength: 2048,
  });
  const kid = randomUUID();
  const meta = { kid, alg: "RS256", use: "sig" };
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
    publicJwk: { ...(await exportJWK(publicKey)), ...meta },
  };
}

export function createToolKeys(store: Pick<LtiStore, "keys" | "ensureKeys" | "rotateKeys">) {
  let cached: { at: number; keys: Awaited<ReturnType<LtiStore["keys"]>> } | undefined;
  let signing: { kid: string; key: CryptoKey } | undefined;

  async function keys() {
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.keys;
    let rows = await store.keys();
    if (
      !rows.some((row) => row.status === "current") ||
      !rows.some((row) => row.status === "next")
    ) {
      await store.ensureKeys(makeToolKey);
      rows = await store.keys();
    }
    cached = { at: Date.now(), keys: rows };
    return rows;
  }

  return {
    /** The public keys, for the JWKS URL platforms fetch. */
    async jwks(): Promise<{ keys: JWK[] }> {
      return { keys: (await keys()).map((row) => row.publicJwk as JWK) };
    },

    async signingKey(): Promise<{ kid: string; key: CryptoKey }> {
      const current = (await keys()).find((row) => row.status === "current")!;
      if (signing?.kid !== current.kid) {
        const { importJWK } = await loadJose();
        signing = {
          kid: current.kid,
          key: (await importJWK(current.privateJwk as JWK, "RS256")) as CryptoKey,
        };
      }
      return signing;
    },

    async rotate(): Promise<void> {
      await keys();
      await store.rotateKeys(await makeToolKey());
      cached = undefined;
    },

    /** Forget the cache (another replica rotated). */
    refresh(): void {
      cached = undefined;
    },
  };
}

export type ToolKeys = ReturnType<typeof createToolKeys>;
