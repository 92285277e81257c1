// CPU time of a process tree and of PostgreSQL backends, read from /proc (Linux), so a figure
// covers every process a submission costs: the API, its sandbox workers and their esbuild
// services, and the database's backends, not only the process that happens to measure.
import { readdirSync, readFileSync } from "node:fs";

// USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every Linux this runs on.
const TICK_MS = 10;

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, ms. */
  cpuMs: number;
  /** cutime + cstime: children that exited and were reaped, ms. */
  reapedMs: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // comm is in parentheses and may itself contain spaces or parentheses.
  const close = text.lastIndexOf(")");
  const comm = text.slice(text.indexOf("(") + 1, close);
  const fields = text.slice(close + 2).split(" ");
  // fields[0] is field 3 (state) of proc(5).
  const at = (field: number) => Number(fields[field - 3]);
  return {
    pid,
    ppid: at(4),
    comm,
    cpuMs: (at(14) + at(15)) * TICK_MS,
    reapedMs: (at(16) + at(17)) * TICK_MS,
  };
}

function allStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.push(stat);
  }
  return stats;
}

export type CpuRole = "api" | "workers" | "esbuild" | "postgres";

/** Which role a process plays: the root is the API; node children are sandbox workers. */
function roleOf(stat: ProcStat, root: number): CpuRole {
  if (stat.pid === root) return "api";
  if (stat.comm === "esbuild") return "esbuild";
  return "workers";
}

export interface CpuSample {
  /** pid → (role, cpuMs, reapedMs) */
  processes: Map<number, { role: CpuRole; cpuMs: number; reapedMs: number }>;
}

/** The tree under `root`, plus the given PostgreSQL backend pids. */
export function sampleCpu(root: number, postgresPids: number[] = []): CpuSample {
  const stats = allStats();
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) {
    const list = children.get(stat.ppid) ?? [];
    list.push(stat);
    children.set(stat.ppid, list);
  }
  const processes: CpuSample["processes"] = new Map();
  const rootStat = stats.find((stat) => stat.pid === root);
  const pending = rootStat ? [rootStat] : [];
  while (pending.length > 0) {
    const stat = pending.pop()!;
    processes.set(stat.pid, {
      role: roleOf(stat, root),
      cpuMs: stat.cpuMs,
      reapedMs: stat.reapedMs,
    });
    pending.push(...(children.get(stat.pid) ?? []));
  }
  for (const pid of postgresPids) {
    const stat = readStat(pid);
    if (stat) processes.set(pid, { role: "postgres", cpuMs: stat.cpuMs, reapedMs: 0 });
  }
  return { processes };
}

/**
 * CPU ms by role between two samples. A process new in `after` counts whole; one gone by then is
 * counted through its parent's reaped time (workers and esbuild services that exited).
 */
export function cpuBetween(before: CpuSample, after: CpuSample): Record<CpuRole, number> {
  const used: Record<CpuRole, number> = { api: 0, workers: 0, esbuild: 0, postgres: 0 };
  for (const [pid, now] of after.processes) {
    const then = before.processes.get(pid);
    used[now.role] += now.cpuMs - (then?.cpuMs ?? 0);
    // Reaped children of the API are workers; of a worker, its esbuild service.
    const reaped = now.reapedMs - (then?.reapedMs ?? 0);
    if (reaped > 0) used[now.role === "api" ? "workers" : "esbuild"] += reaped;
  }
  return used;
}

/** Peak resident set of a process, bytes (VmHWM). */
/** CPU of this process's children that have exited and been waited for, ms. */
export function reapedCpuMs(): number {
  return sampleCpu(process.pid).processes.get(process.pid)?.reapedMs ?? 0;
}

export function peakRss(pid: number): number {
  return statusBytes(pid, "VmHWM");
}

/** A process's resident memory now, bytes (0 when it is gone). */
export function currentRss(pid: number): number {
  return statusBytes(pid, "VmRSS");
}

function statusBytes(pid: number, field: "VmHWM" | "VmRSS"): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(
      readFileSync(`/proc/${pid}/status`, "utf8"),
    );
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU ms so far of the processes under `root` whose command name matches (e.g. the browser's). */
export function treeCpuMs(root: number, match: (comm: string) => boolean): number {
  return descendants(root, match).reduce((total, stat) => total + stat.cpuMs, 0);
}

/** The processes under `root` (children, theirs…) whose command name matches. */
export function descendants(root: number, match: (comm: string) => boolean): ProcStat[] {
  const stats = allStats();
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const found: ProcStat[] = [];
  const pending = [...(children.get(root) ?? [])];
  while (pending.length > 0) {
    const stat = pending.pop()!;
    if (match(stat.comm)) found.push(stat);
    pending.push(...(children.get(stat.pid) ?? []));
  }
  return found;
}
