// `packetlab lti …`: the operator's LTI commands, for deployments that script their set-up.
//   packetlab lti register --name N --issuer I --client-id C --deployment-id D [--deployment-id …]
//                          --auth-login-url U --token-url U --jwks-url U
//   packetlab lti list
//   packetlab lti rotate-keys
import { parseArgs } from "node:util";
import { createToolKeys } from "../integrations/lti/tool-keys.ts";
import { migrate } from "../progress/migrate.ts";
import { createStore } from "../progress/store.ts";
import { withConfiguredDatabase } from "./database.ts";
import type { CliIo } from "./io.ts";

const USAGE = `usage: packetlab lti register --name NAME --issuer ISS --client-id ID --deployment-id DEP
                            --auth-login-url URL --token-url URL --jwks-url URL
       packetlab lti list
       packetlab lti rotate-keys

register  adds an LMS (the values come from its LTI developer key / tool registration);
          --deployment-id may be repeated.
list      prints the registrations as JSON.
rotate-keys  next key → current (signs), current → previous (still published), a new next key.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === "--help" || sub === "help") {
    io.out(USAGE);
    return sub ? 0 : 2;
  }
  if (sub === "list") {
    return withConfiguredDatabase(io, async (db) => {
      await migrate(db);
      const rows = await createStore(db).lti.listRegistrations();
      io.out(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    });
  }
  if (sub === "rotate-keys") {
    return withConfiguredDatabase(io, async (db) => {
      await migrate(db);
      const keys = createToolKeys(createStore(db).lti);
      await keys.rotate();
      const published = (await keys.jwks()).keys.map((key) => key.kid);
      io.out(`Rotated. Published keys: ${published.join(", ")}\n`);
      return 0;
    });
  }
  if (sub !== "register") {
    io.err(`packetlab lti: unknown subcommand "${sub}"\n${USAGE}`);
    return 2;
  }
  let values;
  try {
    values = parseArgs({
      args: rest,
      options: {
        name: { type: "string" },
        issuer: { type: "string" },
        "client-id": { type: "string" },
        "deployment-id": { type: "string", multiple: true },
        "auth-login-url": { type: "string" },
        "token-url": { type: "string" },
        "jwks-url": { type: "string" },
      },
    }).values;
  } catch (error) {
    io.err(`packetlab lti register: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const required = [
    "name",
    "issuer",
    "client-id",
    "auth-login-url",
    "token-url",
    "jwks-url",
  ] as const;
  const missing = required.filter((name) => !values[name]);
  if (missing.length > 0 || !values["deployment-id"]?.length) {
    io.err(
      `packetlab lti register: missing ${[...missing, ...(values["deployment-id"]?.length ? [] : ["deployment-id"])].map((name) => `--${name}`).join(", ")}\n${USAGE}`,
    );
    return 2;
  }
  for (const name of ["auth-login-url", "token-url", "jwks-url"] as const) {
    try {
      new URL(values[name]!);
    } catch {
      io.err(`packetlab lti register: --${name} is not a URL\n`);
      return 2;
    }
  }
  return withConfiguredDatabase(io, async (db) => {
    await migrate(db);
    const { lti } = createStore(db);
    if ((await lti.registrationsOf(values.issuer!, values["client-id"]!)).length > 0) {
      io.err("packetlab lti register: this issuer and client_id are registered already\n");
      return 1;
    }
    const created = await lti.createRegistration({
      name: values.name!,
      issuer: values.issuer!,
      clientId: values["client-id"]!,
      deploymentIds: [...new Set(values["deployment-id"]!)],
      authLoginUrl: values["auth-login-url"]!,
      tokenUrl: values["token-url"]!,
      jwksUrl: values["jwks-url"]!,
    });
    io.out(`Registered ${created.name} (${created.id})\n`);
    return 0;
  });
}
