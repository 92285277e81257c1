// Secrets the service makes for itself and keeps in the database, so every replica uses the same
// one (the key that signs download links, unless DOWNLOAD_LINK_SECRET sets it).
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.ts";

export function createSecrets(prisma: PrismaClient) {
  return {
    /** The secret of this name; made (32 random bytes) by whichever replica asks first. */
    async getOrCreate(name: string): Promise<Buffer> {
      const found = await prisma.serverSecret.findUnique({ where: { name } });
      if (found) return Buffer.from(found.value, "base64url");
      const value = randomBytes(32).toString("base64url");
      // Two replicas racing both insert; the first row wins and both read it back.
      await prisma.serverSecret.createMany({ data: [{ name, value }], skipDuplicates: true });
      const kept = await prisma.serverSecret.findUniqueOrThrow({ where: { name } });
      return Buffer.from(kept.value, "base64url");
    },
  };
}

export type Secrets = ReturnType<typeof createSecrets>;
