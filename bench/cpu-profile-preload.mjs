// Preloaded into every node process of the service by bench/service.ts when
// BENCH_SERVICE_PROFILE_DIR is set (NODE_OPTIONS=--import …; --cpu-prof is not allowed there):
// the first SIGUSR2 starts V8's CPU profiler, the next writes the profile into that directory.
// The harness signals every process of the service around the measured load, so the profiles
// cover the same seconds as the CPU figures.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";

const dir = process.env.BENCH_SERVICE_PROFILE_DIR;
let session = null;
process.on("SIGUSR2", () => {
  if (!session) {
    session = new Session();
    session.connect();
    session.post("Profiler.enable");
    session.post("Profiler.setSamplingInterval", { interval: 200 });
    session.post("Profiler.start");
    return;
  }
  const active = session;
  session = null;
  active.post("Profiler.stop", (error, result) => {
    if (!error) {
      const role = process.argv[1]?.includes("worker") ? "worker" : "api";
      writeFileSync(join(dir, `${role}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    }
    active.disconnect();
  });
});
