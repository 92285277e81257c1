// The service's configuration: read once from the environment at boot, typed, frozen. Every
// variable has a description, a default and a validator (Piston's config.js does the same), so
// the README's table is generated from this file and a typo stops the service at start-up with
// the variable's name instead of surfacing later as a strange runtime failure.

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Parse<T> = (raw: string) => T;

interface Option<T> {
  description: string;
  /** The default as it would be written in the environment ("" means unset). */
  default: string;
  parse: Parse<T>;
  /** Never print the value (tokens, connection strings with passwords). */
  secret?: boolean;
}

function integer(min: number, max: number): Parse<number> {
  return (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`expected a whole number, got "${raw}"`);
    const value = Number(raw.trim());
    if (value < min || value > max) {
      throw new Error(`expected a number from ${min} to ${max}, got ${value}`);
    }
    return value;
  };
}

function oneOf<const T extends string>(values: readonly T[]): Parse<T> {
  return (raw) => {
    const value = raw.trim().toLowerCase();
    if (!(values as readonly string[]).includes(value)) {
      throw new Error(`expected one of ${values.join(", ")}, got "${raw}"`);
    }
    return value as T;
  };
}

const text: Parse<string> = (raw) => raw.trim();

// A directory the service writes into: set but empty would resolve to the working directory and
// scatter a database's files through whatever checkout or folder the service was started in.
const directory: Parse<string> = (raw) => {
  if (raw.trim() === "")
    throw new Error("expected a directory, got an empty value (unset it for the default)");
  return raw.trim();
};

function optionalUrl(protocols: string[]): Parse<string | undefined> {
  return (raw) => {
    const value = raw.trim();
    if (value === "") return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error("expected a URL such as postgresql://user@host:5432/db");
    }
    if (!protocols.includes(url.protocol)) {
      throw new Error(`expected a ${protocols.join(" or ")} URL, got "${url.protocol}"`);
    }
    return value;
  };
}

const optionalToken: Parse<string | undefined> = (raw) => {
  const value = raw.trim();
  if (value === "") return undefined;
  // A guessable operator token would let anyone create teachers.
  if (value.length < 16) throw new Error("expected at least 16 characters");
  return value;
};

function optionalSecret(minLength: number): Parse<string | undefined> {
  return (raw) => {
    const value = raw.trim();
    if (value === "") return undefined;
    if (value.length < minLength) throw new Error(`expected at least ${minLength} characters`);
    return value;
  };
}

const origins: Parse<string[] | true | false> = (raw) => {
  const value = raw.trim();
  if (value === "") return false;
  if (value === "*") return true;
  const list = value.split(",").map((origin) => origin.trim());
  for (const origin of list) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new Error(`"${origin}" is not an origin such as https://lessons.example.org`);
    }
    if (url.origin !== origin) {
      throw new Error(`"${origin}" is not an origin (scheme://host[:port], no path)`);
    }
  }
  return list;
};

// Which peers may tell us the client's address (X-Forwarded-For): behind a load balancer every
// request would otherwise come from the balancer, and per-address limits would lump all
// learners together. Fastify's trustProxy takes the same forms.
const trustedProxies: Parse<boolean | number | string[]> = (raw) => {
  const value = raw.trim();
  if (value === "" || value === "false") return false;
  if (value === "true") return true;
  if (/^\d+$/.test(value)) return Number(value);
  const list = value.split(",").map((entry) => entry.trim());
  for (const entry of list) {
    if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(entry)) {
      throw new Error(`"${entry}" is not an IP address or CIDR range such as 172.16.0.0/12`);
    }
  }
  return list;
};

// Ranges that outgoing requests (webhooks, LTI) may reach besides public addresses.
const privateAllowance: Parse<boolean | string[]> = (raw) => {
  const value = raw.trim();
  if (value === "" || value === "false") return false;
  if (value === "true" || value === "*") return true;
  const list = value.split(",").map((entry) => entry.trim());
  for (const entry of list) {
    if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(entry)) {
      throw new Error(`"${entry}" is not an IP address or CIDR range such as 10.0.0.0/8`);
    }
  }
  return list;
};

const onOff: Parse<boolean> = (raw) => {
  const value = raw.trim().toLowerCase();
  if (value === "on" || value === "true" || value === "1") return true;
  if (value === "off" || value === "false" || value === "0") return false;
  throw new Error(`expected on or off, got "${raw}"`);
};

const definitions = {
  PORT: {
    description: "TCP port the HTTP server listens on.",
    default: "3000",
    parse: integer(0, 65535),
  },
  HOST: { description: "Address the HTTP server binds to.", default: "127.0.0.1", parse: text },
  DATA_DIR: {
    description: "Directory of the embedded database (PGlite), used when DATABASE_URL is unset.",
    default: "./data",
    parse: directory,
  },
  DATABASE_URL: {
    description: "PostgreSQL connection string; when set, the embedded database is not used.",
    default: "",
    parse: optionalUrl(["postgresql:", "postgres:"]),
    secret: true,
  },
  OPERATOR_TOKEN: {
    description:
      "Bearer token of the operator, who may create teachers (16+ characters). Unset: only `packetlab create-teacher` can.",
    default: "",
    parse: optionalToken,
    secret: true,
  },
  CORS_ORIGINS: {
    description:
      "Comma-separated origins allowed to call the API and open the session stream from a browser; `*` for any; empty for none (same-origin pages and clients that send no Origin are always allowed).",
    default: "",
    parse: origins,
  },
  DOWNLOAD_LINK_SECRET: {
    description:
      "Key (32+ characters) that signs download links (CSV, pcap). Unset: a random key is made once and kept in the database, shared by every replica.",
    default: "",
    parse: optionalSecret(32),
    secret: true,
  },
  TRUST_PROXY: {
    description:
      "Proxies trusted to report the client's address: empty (none), `true` (any), a hop count, or comma-separated IPs/CIDRs. Set it behind a load balancer.",
    default: "",
    parse: trustedProxies,
  },
  LOG_LEVEL: {
    description: "Log level: fatal, error, warn, info, debug, trace or silent.",
    default: "info",
    parse: oneOf(["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const),
  },
  LESSONS_DIR: {
    description: "Directory the lessons are loaded from.",
    default: "./lessons",
    parse: text,
  },
  RUNNER_WORKERS: {
    description: "Sandbox worker processes; 0 means one per CPU core.",
    default: "0",
    parse: integer(0, 256),
  },
  RUN_CPU_MS: {
    description: "CPU time a learner's program may use per run (ms).",
    default: "1000",
    parse: integer(10, 60_000),
  },
  RUN_WALL_MS: {
    description: "Wall-clock time a run may take (ms).",
    default: "3000",
    parse: integer(10, 120_000),
  },
  RUN_MEMORY_MB: {
    description: "Heap of a run's isolate (MB).",
    default: "64",
    parse: integer(8, 2048),
  },
  RUN_OUTPUT_BYTES: {
    description: "Console output kept per run (bytes).",
    default: "65536",
    parse: integer(1024, 16_777_216),
  },
  RUN_MAX_PACKETS: {
    description: "Packets that may cross the simulated network per run.",
    default: "1000",
    parse: integer(1, 1_000_000),
  },
  MAX_CODE_BYTES: {
    description: "Largest program a learner may submit (bytes of UTF-8).",
    default: "65536",
    parse: integer(256, 4_194_304),
  },
  SUBMISSION_RATE_LIMIT: {
    description:
      "Submissions (HTTP and WebSocket runs) per learner per minute; 0 disables the limit.",
    default: "60",
    parse: integer(0, 1_000_000),
  },
  JOIN_FAILURE_LIMIT: {
    description:
      "Unknown join codes a client IP may send per minute (ten times as many near a real class's code, see README) before its joins get 429; 0 disables the limit.",
    default: "30",
    parse: integer(0, 1_000_000),
  },
  // Quotas that bound a person, not an account (src/quotas/; README "Quotas").
  JOIN_LIMIT_PER_ADDRESS: {
    description:
      "Successful class joins (new learners) per client IP per hour; 0 disables the limit.",
    default: "100",
    parse: integer(0, 1_000_000),
  },
  JOIN_LIMIT_PER_CLASS: {
    description: "Successful joins per class per hour; 0 disables the limit.",
    default: "200",
    parse: integer(0, 1_000_000),
  },
  SHARED_STATE: {
    description:
      "Where the rate limits count and where a cached token's revocation is checked: `database` (every replica enforces one limit and refuses a revoked token at once; a statement per check), `memory` (this process alone; several replicas each count their own, and may accept a revoked token for up to 30 s), or `auto`: `database` on PostgreSQL, `memory` on the embedded database (which only one process can open).",
    default: "auto",
    parse: oneOf(["auto", "database", "memory"] as const),
  },
  RUNS_PER_LEARNER: {
    description:
      "Runs one learner may have at once (HTTP and WebSocket together), per replica; more get 429 TOO_MANY_RUNS.",
    default: "2",
    parse: integer(1, 1_000),
  },
  STREAMS_PER_LEARNER: {
    description:
      "Session streams (WebSockets) one learner may have open at once, per replica; more are closed with 4029.",
    default: "5",
    parse: integer(1, 1_000),
  },
  TRACE_MAX_BYTES: {
    description:
      "Bytes of JSON a submission's stored trace may hold; packets past it (and past TRACE_MAX_PACKETS) are counted but not kept.",
    default: "1048576",
    parse: integer(0, 268_435_456),
  },
  SYNC_WAIT_MS: {
    description:
      "Longest a synchronous submission waits for a sandbox and its run (ms); past it: 503 RUNNER_BUSY.",
    default: "10000",
    parse: integer(100, 300_000),
  },
  ASYNC_LEASE_MS: {
    description:
      "How long a replica holds an asynchronous submission it is grading (ms, renewed while it runs); after a crash the submission is graded again once this runs out.",
    default: "30000",
    parse: integer(300, 3_600_000),
  },
  WEB_DIR: {
    description:
      "Directory of the built web app (`npm ci` and `npm start` build it there), served at `/`; empty serves none.",
    default: "./dist/web",
    parse: text,
  },
  // The queue of runs waiting for a sandbox (src/runner/fair-queue.ts): learners are served in
  // turn; past a bound a submission is refused at once with 503 RUNNER_BUSY.
  RUN_QUEUE_MAX: {
    description: "Runs that may wait for a sandbox, in all; each waits at most SYNC_WAIT_MS.",
    default: "2000",
    parse: integer(0, 1_000_000),
  },
  RUN_QUEUE_MB: {
    description: "Memory the waiting runs may hold in all (their code and files, MB).",
    default: "64",
    parse: integer(1, 65_536),
  },
  RUN_QUEUE_PER_LEARNER: {
    description: "Runs one learner may have waiting for a sandbox (learners are served in turn).",
    default: "4",
    parse: integer(1, 1_000),
  },
  TRACE_MAX_PACKETS: {
    description:
      "Packets of a run's trace stored for replay and pcap download; the rest are dropped.",
    default: "500",
    parse: integer(0, 100_000),
  },
  // Outgoing deliveries (src/integrations): the outbox relay, webhooks, outbound requests.
  OUTBOX_RELAY: {
    description:
      "Whether this replica sends outbox deliveries (webhooks, LTI scores): on or off. Any number of replicas may; each message goes out once per attempt.",
    default: "on",
    parse: onOff,
  },
  OUTBOX_POLL_MS: {
    description: "How often the relay looks for due deliveries (ms); a grade wakes it at once.",
    default: "1000",
    parse: integer(10, 600_000),
  },
  OUTBOX_LEASE_MS: {
    description:
      "How long a replica holds a delivery it is sending (ms); after a crash another replica sends it again when this runs out.",
    default: "60000",
    parse: integer(100, 3_600_000),
  },
  OUTBOX_MAX_ATTEMPTS: {
    description: "Attempts of one delivery before it is parked (an operator can replay it).",
    default: "15",
    parse: integer(1, 100),
  },
  OUTBOX_RETRY_BASE_MS: {
    description:
      "First retry delay (ms); each next one doubles (with jitter), up to 6 hours: 15 attempts span about 2 days.",
    default: "5000",
    parse: integer(1, 3_600_000),
  },
  WEBHOOK_DISABLE_AFTER: {
    description: "Failed attempts in a row after which a webhook endpoint is disabled.",
    default: "50",
    parse: integer(1, 100_000),
  },
  OUTBOUND_ALLOW_PRIVATE: {
    description:
      "Private, loopback and reserved addresses outgoing requests may reach: empty (none: only public addresses, against SSRF), `true` (all), or comma-separated CIDRs such as 10.20.0.0/16.",
    default: "",
    parse: privateAllowance,
  },
  OUTBOUND_TIMEOUT_MS: {
    description: "Longest an outgoing request (webhook, LTI platform) may take (ms).",
    default: "10000",
    parse: integer(100, 120_000),
  },
  // Rust: compiled to wasm32-wasi in a bubblewrap sandbox (src/compile), then run like JavaScript.
  RUST_ENABLED: {
    description:
      'Accept `language: "rust"`: `auto` (when RUSTC and BWRAP exist), `true` (fail at boot without them) or `false`.',
    default: "auto",
    parse: oneOf(["auto", "true", "false"] as const),
  },
  RUSTC: {
    description:
      "The Rust compiler. Debian's 1.63 with libstd-rust-dev-wasm32 here; a rustup toolchain elsewhere.",
    default: "/usr/bin/rustc",
    parse: text,
  },
  RUST_LINKER: {
    description: "The wasm linker rustc calls (lld: `lld-14`, `rust-lld`, `wasm-ld`).",
    default: "/usr/bin/lld-14",
    parse: text,
  },
  RUST_TARGET: {
    description: "Target triple: `wasm32-wasi` (rustc ≤ 1.77) or `wasm32-wasip1` (newer).",
    default: "wasm32-wasi",
    parse: oneOf(["wasm32-wasi", "wasm32-wasip1"] as const),
  },
  RUST_SYSROOT: {
    description: "rustc's sysroot; empty: ask rustc (`--print sysroot`).",
    default: "",
    parse: text,
  },
  BWRAP: {
    description: "bubblewrap, the compiler's sandbox (needs user or mount namespaces).",
    default: "/usr/bin/bwrap",
    parse: text,
  },
  PRLIMIT: {
    description: "prlimit (util-linux), which caps the compiler's CPU, memory and file size.",
    default: "/usr/bin/prlimit",
    parse: text,
  },
  RUST_COMPILE_WORKERS: {
    description: "Compiles at once (each takes a core and ~160 MB).",
    default: "1",
    parse: integer(1, 64),
  },
  RUST_COMPILE_QUEUE: {
    description: "Compiles that may wait for a compiler; past it: 503 COMPILER_BUSY.",
    default: "32",
    parse: integer(0, 10_000),
  },
  RUST_COMPILE_WAIT_MS: {
    description: "Longest a compile waits for a compiler (ms); past it: 503 COMPILER_BUSY.",
    default: "10000",
    parse: integer(100, 300_000),
  },
  RUST_COMPILE_CPU_SECONDS: {
    description: "CPU seconds one compile may use.",
    default: "10",
    parse: integer(1, 600),
  },
  RUST_COMPILE_MEMORY_MB: {
    description: "Address space of one compile (MB); rustc needs at least 512.",
    default: "1024",
    parse: integer(512, 65_536),
  },
  RUST_COMPILE_WALL_MS: {
    description: "Wall-clock time of one compile (ms).",
    default: "20000",
    parse: integer(1000, 600_000),
  },
  RUST_WASM_MEMORY_MB: {
    description:
      "Linear memory a Rust program may grow to (MB), set when linking; it is outside RUN_MEMORY_MB.",
    default: "64",
    parse: integer(2, 256),
  },
  RUST_COMPILER_URL: {
    description:
      "A compiler service (`packetlab compile-server`, e.g. http://compiler:3100) to compile Rust instead of this process; empty: compile here.",
    default: "",
    parse: optionalUrl(["http:", "https:"]),
  },
  RUST_COMPILER_TOKEN: {
    description:
      "Bearer token between the API and the compiler service (16+ characters); empty: none (keep the service on a private network).",
    default: "",
    parse: optionalToken,
    secret: true,
  },
  COMPILER_PORT: {
    description: "TCP port `packetlab compile-server` listens on (it binds HOST).",
    default: "3100",
    parse: integer(0, 65535),
  },
  RUST_CACHE_MB: {
    description:
      "Compiled Rust modules kept in memory (MB), keyed by source, toolchain and flags; the command line (`run`, `lessons check`) also keeps as much on disk, in `modules/` of RUST_FACADE_CACHE_DIR, for its next run.",
    default: "64",
    parse: integer(0, 16_384),
  },
  RUST_FACADE_CACHE_DIR: {
    description:
      "Directory where the std facade built at start-up is kept, per toolchain, for the next start (which then skips that compile), and the command line's compiled programs (`modules/`); empty: `$XDG_CACHE_HOME/packetlab`, else `~/.cache/packetlab`. One that cannot be written only means every start compiles them.",
    default: "",
    parse: text,
  },
  LTI_PUBLIC_URL: {
    description:
      "The address LMSs reach packetlab at (https://lessons.example.org), for the LTI redirect and launch URLs. Unset: taken from each request's Host (behind a proxy, set TRUST_PROXY).",
    default: "",
    parse: optionalUrl(["https:", "http:"]),
  },
  LTI_CLOCK_SKEW_S: {
    description: "Clock difference tolerated on an LTI id_token's exp and iat (seconds).",
    default: "60",
    parse: integer(0, 600),
  },
  LTI_JWKS_COOLDOWN_MS: {
    description:
      "Least time between two fetches of a platform's key set caused by an unknown kid (ms).",
    default: "10000",
    parse: integer(0, 3_600_000),
  },
} satisfies Record<string, Option<unknown>>;

type Definitions = typeof definitions;
export type ConfigName = keyof Definitions;
export type Config = Readonly<{ [K in ConfigName]: ReturnType<Definitions[K]["parse"]> }>;

/** Parses the environment; throws ConfigError naming the first invalid variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const config: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(definitions) as [ConfigName, Option<unknown>][]) {
    const raw = env[name] ?? option.default;
    try {
      config[name] = option.parse(raw);
    } catch (error) {
      const shown = option.secret ? "(hidden)" : JSON.stringify(raw);
      throw new ConfigError(
        `${name}=${shown} is invalid: ${(error as Error).message}. ${option.description}`,
      );
    }
  }
  return Object.freeze(config) as Config;
}

/** The configuration reference as a Markdown table, for README.md (`packetlab config --markdown`). */
export function configMarkdown(): string {
  const rows = Object.entries(definitions).map(([name, option]: [string, Option<unknown>]) => {
    const shown = option.default === "" ? "(unset)" : `\`${option.default}\``;
    return `| \`${name}\` | ${shown} | ${option.description.replaceAll("|", "\\|")} |`;
  });
  return ["| Variable | Default | Meaning |", "| --- | --- | --- |", ...rows].join("\n") + "\n";
}
