// `npm run bench`: each area's benchmark, one after the other, printing its own table.
import { bench as grading } from "./grading.ts";
import { bench as http } from "./http.ts";
import { bench as netsim } from "./netsim.ts";
import { bench as protocols } from "./protocols.ts";
import { bench as runner } from "./runner.ts";
import { bench as service } from "./service.ts";

const benches: [string, () => Promise<void>][] = [
  ["protocols", protocols],
  ["netsim", netsim],
  ["runner", runner],
  ["grading", grading],
  ["http", http],
  ["service", service],
];

for (const [name, run] of benches) {
  console.log(`\n== ${name} ==`);
  await run();
}
