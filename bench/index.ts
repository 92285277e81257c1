// `npm run bench`: each area's benchmark, one after the other, printing its own table.
import { bench as netsim } from "./netsim.ts";

const benches: [string, () => Promise<void>][] = [["netsim", netsim]];

for (const [name, run] of benches) {
  console.log(`\n== ${name} ==`);
  await run();
}
