// System calls of the API process per graded submission, counted with strace: a figure that does
// not move with the machine's load, unlike CPU time. `packetlab serve` on PostgreSQL in its own
// process (as bench/service.ts starts it), a fixed list of submissions sent after a warm-up, and
// every system call of the API's threads in between, split by what the file descriptor is: HTTP
// client sockets, the PostgreSQL connections, the workers' IPC channels, stdio, the event loop.
// Needs strace and ptrace rights over a child (Linux). Not part of `npm run bench`:
//   npm run build && node --import tsx bench/api-syscalls.ts
// BENCH_SYSCALLS_SUBMISSIONS (100) and BENCH_SYSCALLS_CONNECTIONS (1: one after the other, the
// count is then exact; more in flight lets writes of several submissions share a call),
// BENCH_SYSCALLS_DIR (this checkout).
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { aliceAnswers } from "./alice-answers.ts";
import { learners, postgresDatabase } from "./http.ts";
import { cpuBetween, sampleCpu } from "./proc-cpu.ts";
import { postgresBackends, startService, stopService } from "./service.ts";

// BENCH_SYSCALLS_DIR: another checkout to count (a baseline), started as this one would be.
const ROOT = process.env.BENCH_SYSCALLS_DIR ?? fileURLToPath(new URL("..", import.meta.url));
const SUBMISSIONS = Number(process.env.BENCH_SYSCALLS_SUBMISSIONS ?? 100);
const CONNECTIONS = Number(process.env.BENCH_SYSCALLS_CONNECTIONS ?? 1);
const WARM_UP = 40;
const WRITES = new Set(["write", "writev", "sendmsg", "sendto", "pwrite64", "sendmmsg"]);
const READS = new Set(["read", "readv", "recvmsg", "recvfrom", "pread64"]);

type Kind = "http" | "postgres" | "worker-ipc" | "stdio" | "pipe" | "event-loop" | "other";

/** What each of the process's descriptors is, from /proc. */
function describeFds(pid: number, httpPort: number): Map<number, Kind> {
  const tcp = new Map<string, { local: number; remote: number }>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const port = (address: string) => parseInt(address.split(":")[1]!, 16);
      tcp.set(cols[9]!, { local: port(cols[1]!), remote: port(cols[2]!) });
    }
  }
  const unix = new Set(
    readFileSync("/proc/net/unix", "utf8")
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s+/)[6])
      .filter(Boolean),
  );
  const kinds = new Map<number, Kind>();
  for (const name of readdirSync(`/proc/${pid}/fd`)) {
    const fd = Number(name);
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${name}`);
    } catch {
      continue;
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    let kind: Kind = "other";
    if (fd <= 2) kind = "stdio";
    else if (inode && tcp.has(inode)) {
      const { local, remote } = tcp.get(inode)!;
      kind = local === httpPort ? "http" : remote === 5432 ? "postgres" : "other";
    } else if (inode && unix.has(inode)) kind = "worker-ipc";
    else if (target.startsWith("pipe:")) kind = "pipe";
    else if (/eventpoll|eventfd|timerfd|signalfd/.test(target)) kind = "event-loop";
    kinds.set(fd, kind);
  }
  return kinds;
}

/** Lane k of `connections` sends submissions k, k + connections, …, one after the other. */
async function submitAll(
  base: string,
  bodies: { path: string; token: string; body: string }[],
  connections: number,
): Promise<void> {
  const lane = async (k: number) => {
    for (let n = k; n < bodies.length; n += connections) {
      const { path, token, body } = bodies[n]!;
      const response = await fetch(base + path, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body,
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, k) => lane(k)));
}

export async function bench(): Promise<void> {
  const scratch = await postgresDatabase();
  if (!scratch) throw new Error("PostgreSQL is not reachable");
  const service = await startService(ROOT, { DATABASE_URL: scratch.url });
  const traceFile = join(tmpdir(), `packetlab-syscalls-${process.pid}.txt`);
  try {
    // A multiple of the lanes, so that each learner is only ever sent by one lane: a learner's
    // own submissions go one at a time, as the service asks.
    const cast = await learners(service.base, CONNECTIONS * Math.ceil(10 / CONNECTIONS));
    const answers = aliceAnswers();
    // Learner i sends answer (i + round): each text is a learner's own (a comment line), and the
    // second half of the rounds resubmits the first half's texts, as bench/service.ts mixes them.
    const bodies = (count: number, tag: string) =>
      Array.from({ length: count }, (_, n) => {
        const i = n % cast.length;
        const round = Math.floor(n / cast.length);
        const answer = answers[(i + round) % answers.length]!;
        const edit =
          round % 2 === 0 ? `// ${tag} ${i} ${round}\n` : `// ${tag} ${i} ${round - 1}\n`;
        return {
          path: `/v1/sessions/${cast[i]!.sessionId}/submissions`,
          token: cast[i]!.token,
          body: JSON.stringify({
            ...answer,
            exerciseId: "message-to-alice",
            code: edit + answer.code,
          }),
        };
      });
    await submitAll(service.base, bodies(WARM_UP, "warm"), CONNECTIONS);
    const pid = service.child.pid!;
    // The same number of submissions untraced: the CPU of the API (user and kernel time), of the
    // workers and of the PostgreSQL backends (strace slows every call it sees).
    const backends = await postgresBackends(scratch.url);
    const cpuBefore = processCpu(pid);
    const treeBefore = sampleCpu(pid, backends);
    await submitAll(service.base, bodies(SUBMISSIONS, "untraced"), CONNECTIONS);
    const tree = cpuBetween(treeBefore, sampleCpu(pid, backends));
    const cpuAfter = processCpu(pid);
    const ms = (value: number) => (value / SUBMISSIONS).toFixed(2);
    console.log(
      `CPU ms per submission, untraced: API user ${ms(cpuAfter.user - cpuBefore.user)}, ` +
        `kernel ${ms(cpuAfter.system - cpuBefore.system)}; workers ${ms(tree.workers)}, ` +
        `esbuild ${ms(tree.esbuild)}, PostgreSQL ${ms(tree.postgres)}`,
    );
    const strace = spawn("strace", ["-f", "-qq", "-s", "160", "-o", traceFile, "-p", String(pid)], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    // strace has attached every thread once the process's threads show up as traced.
    for (let tries = 0; ; tries++) {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      if (!/TracerPid:\s+0\b/.test(status)) break;
      if (tries > 200 || strace.exitCode !== null) throw new Error("strace did not attach");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const port = Number(new URL(service.base).port);
    await submitAll(service.base, bodies(SUBMISSIONS, "measured"), CONNECTIONS);
    const kinds = describeFds(pid, port);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = new Promise((resolve) => strace.once("exit", resolve));
    strace.kill("SIGINT");
    await exited;
    report(readFileSync(traceFile, "utf8"), kinds);
  } finally {
    await stopService(service);
    await scratch.drop();
    if (process.env.BENCH_SYSCALLS_KEEP) console.log(`trace kept in ${traceFile}`);
    else rmSync(traceFile, { force: true });
  }
}

/** User and kernel CPU of one process (its threads included), ms, from /proc/<pid>/stat. */
function processCpu(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of proc(5), counted after the command name: utime and stime, in ticks.
  const tick = 1000 / 100;
  return { user: Number(fields[11]) * tick, system: Number(fields[12]) * tick };
}

function report(trace: string, kinds: Map<number, Kind>): void {
  const bySyscall = new Map<string, number>();
  const byKind = new Map<string, number>();
  const bytesByKind = new Map<string, number>();
  for (const line of trace.split("\n")) {
    // "1234 writev(23, [...], 2) = 512", or a call split by another thread's ("<unfinished ...>"
    // then "<... writev resumed>"): each call is counted once, at its start.
    const match = /^\d+\s+(\w+)\((\d+)?/.exec(line);
    if (!match) continue;
    const [, name, fd] = match;
    bySyscall.set(name!, (bySyscall.get(name!) ?? 0) + 1);
    const direction = WRITES.has(name!) ? "write" : READS.has(name!) ? "read" : undefined;
    if (!direction || fd === undefined) continue;
    const key = `${direction} ${kinds.get(Number(fd)) ?? "closed"}`;
    byKind.set(key, (byKind.get(key) ?? 0) + 1);
    const bytes = / = (\d+)$/.exec(line)?.[1];
    if (bytes) bytesByKind.set(key, (bytesByKind.get(key) ?? 0) + Number(bytes));
  }
  const per = (count: number) => (count / SUBMISSIONS).toFixed(2);
  const total = [...bySyscall.values()].reduce((a, b) => a + b, 0);
  console.log(
    `API process, ${SUBMISSIONS} submissions on PostgreSQL, ${CONNECTIONS} in flight: ${per(total)} system calls per submission`,
  );
  for (const [name, count] of [...bySyscall].sort((a, b) => b[1] - a[1])) {
    if (count >= SUBMISSIONS / 10) console.log(`  ${name.padEnd(16)} ${per(count).padStart(8)}`);
  }
  console.log("reads and writes by descriptor (calls per submission, bytes per call):");
  for (const [key, count] of [...byKind].sort()) {
    const bytes = bytesByKind.get(key) ?? 0;
    console.log(
      `  ${key.padEnd(20)} ${per(count).padStart(8)}  ${(bytes / count).toFixed(0).padStart(7)} B`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
