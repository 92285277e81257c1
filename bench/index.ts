// `npm run bench`: each area's benchmark, one after the other, printing its own table.
// `npm run bench -- teacher http` runs only the sections named.
import { bench as cli } from "./cli.ts";
import { bench as grading } from "./grading.ts";
import { bench as http } from "./http.ts";
import { bench as netsim } from "./netsim.ts";
import { bench as protocols } from "./protocols.ts";
import { bench as quotas } from "./quotas.ts";
import { bench as runner } from "./runner.ts";
import { bench as rust } from "./rust.ts";
import { bench as service } from "./service.ts";
import { bench as startup } from "./startup.ts";
import { bench as store } from "./store.ts";
import { bench as tcp } from "./tcp.ts";
import { bench as teacher } from "./teacher.ts";
import { bench as web } from "./web.ts";

const benches: [string, () => Promise<void>][] = [
  ["protocols", protocols],
  ["netsim", netsim],
  ["tcp", tcp],
  ["runner", runner],
  ["rust", rust],
  ["grading", grading],
  ["http", http],
  ["service", service],
  ["startup", startup],
  ["cli", cli],
  ["quotas", quotas],
  ["store", store],
  ["teacher", teacher],
  ["web", web],
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !benches.some(([known]) => known === name));
if (unknown.length > 0) {
  console.error(
    `unknown section ${unknown.join(", ")}; sections: ${benches.map(([n]) => n).join(", ")}`,
  );
  process.exit(2);
}
for (const [name, run] of benches) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n== ${name} ==`);
  await run();
}
