// The Prisma CLI's configuration (Prisma 7). The service itself does not use it: it opens the
// database through a driver adapter (src/progress/database.ts) and applies prisma/migrations at
// start-up. The CLI reads DATABASE_URL only for commands that talk to a server (`migrate status`).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/packetlab" },
});
