// The service's one door to the database. Every method reports an outage as
// DatabaseUnavailableError, so the HTTP layer can answer 503 instead of 500.
import { createAccounts } from "./accounts.ts";
import { createAuthGenerationStore } from "./auth-generation.ts";
import type { Database } from "./database.ts";
import { guardStore } from "./errors.ts";
import { createReports } from "./reports.ts";
import { createRoster } from "./roster.ts";
import { createLtiStore } from "./lti.ts";
import { createOutbox } from "./outbox.ts";
import { createPendingSubmissions } from "./pending-submissions.ts";
import { createRateWindowStore } from "./rate-windows.ts";
import { createSecrets } from "./secrets.ts";
import { createSubmissions } from "./submissions.ts";
import { createWebhooks } from "./webhooks.ts";

export function createStore(db: Pick<Database, "prisma" | "sql">) {
  return {
    accounts: guardStore(createAccounts(db.prisma)),
    submissions: guardStore(createSubmissions(db.prisma, db.sql)),
    pending: guardStore(createPendingSubmissions(db.prisma, db.sql)),
    reports: guardStore(createReports(db.prisma, db.sql)),
    secrets: guardStore(createSecrets(db.prisma)),
    roster: guardStore(createRoster(db.prisma)),
    outbox: guardStore(createOutbox(db.prisma, db.sql)),
    webhooks: guardStore(createWebhooks(db.prisma)),
    lti: guardStore(createLtiStore(db.prisma)),
    rateWindows: guardStore(createRateWindowStore(db.sql)),
    authGeneration: guardStore(createAuthGenerationStore(db.sql)),
  };
}

export type Store = ReturnType<typeof createStore>;
