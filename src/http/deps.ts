// What the route plugins receive: narrow capabilities, built once in buildApp.
import type { Config } from "../config.ts";
import type { AddressPolicy } from "../integrations/address-policy.ts";
import type { PlatformKeys } from "../integrations/lti/platform-keys.ts";
import type { ServiceTokens } from "../integrations/lti/service-tokens.ts";
import type { ToolKeys } from "../integrations/lti/tool-keys.ts";
import type { OutboundHttp } from "../integrations/outbound-http.ts";
import type { LessonCatalogue } from "../grading/types.ts";
import type { Store } from "../progress/store.ts";
import type { Language, Runner } from "../runner/types.ts";
import type { DownloadLinks } from "./download-links.ts";
import type { Metrics } from "./metrics.ts";
import type { JoinQuotas } from "../quotas/join-quotas.ts";
import type { AsyncSubmitter } from "./async-submitter.ts";
import type { Submitter } from "./submitter.ts";

export interface RouteDeps {
  config: Config;
  store: Store;
  catalogue: LessonCatalogue;
  submitter: Submitter;
  /** Submissions accepted with `Prefer: respond-async`, graded in the background. */
  asyncSubmitter: Pick<AsyncSubmitter, "accept" | "local">;
  /** Joins per address and class, and failed joins: codes must not be guessable. */
  joinQuotas: JoinQuotas;
  metrics: Metrics;
  runner: Pick<Runner, "stats">;
  /** The languages this server runs (Rust only with a compiler); exercises offer these. */
  languages: readonly Language[];
  ping(): Promise<void>;
  /** sandbox/net.d.ts: the learner API's type declarations, for editors. */
  learnerApi: string;
  /** Aborted when the service begins shutting down. */
  shutdown: AbortSignal;
  /** Signs links that fetch a download without a token (download-links.ts). */
  downloadLinks: Pick<DownloadLinks, "sign">;
  /** Which addresses outgoing requests may reach (webhook URLs are checked against it). */
  addressPolicy: AddressPolicy;
  /** LTI 1.3: the tool's keys, platforms' keys, service tokens, outgoing requests. */
  lti: {
    toolKeys: ToolKeys;
    platformKeys: PlatformKeys;
    tokens: ServiceTokens;
    http: OutboundHttp;
  };
  /** Tells the outbox relay that a delivery is due now. */
  wakeRelay(): void;
}
