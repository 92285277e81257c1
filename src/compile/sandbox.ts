// Runs the compiler on untrusted source: rustc expands macros such as include_str!("/etc/passwd")
// and env!("HOME") on the host, so it runs in bubblewrap with nothing but the toolchain, the
// job's own directory and an empty /tmp: no network, no other files, no /proc, an empty
// environment (bwrap itself starts with none), all capabilities dropped. prlimit caps CPU, address space and file size; a wall timer kills the
// whole process group.
import { spawn } from "node:child_process";
import type { Toolchain } from "./toolchain.ts";

export interface SandboxLimits {
  cpuSeconds: number;
  memoryMb: number;
  fileMb: number;
  wallMs: number;
}

export interface SandboxResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The wall timer killed it. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** Inside the sandbox the job's directory is always here, so messages never show a host path. */
export const JOB_DIR = "/job";
/** Diagnostics past this are cut: a macro can print errors without end. */
const MAX_CAPTURE = 1 << 20;

export function sandboxArgs(
  toolchain: Toolchain,
  limits: SandboxLimits,
  jobDir: string,
  extraBinds: [string, string][],
  command: string[],
): string[] {
  const binds = [...toolchain.binds, ...extraBinds].flatMap(([host, inside]) => [
    "--ro-bind",
    host,
    inside,
  ]);
  const mb = 1024 * 1024;
  return [
    `--cpu=${limits.cpuSeconds}`,
    `--as=${limits.memoryMb * mb}`,
    `--fsize=${limits.fileMb * mb}`,
    "--core=0",
    "--",
    toolchain.bwrap,
    "--unshare-all",
    // rustc is PID 1 of its namespace, without bwrap's reaper above it. Behind that reaper the
    // compiler's CPU time never reached the service's own accounting (getrusage's children, and
    // /proc's cutime that the benches read): a build of the std facade showed 60 ms of ~400.
    // Nothing else changes: the wall timer and --die-with-parent kill with SIGKILL from outside
    // the namespace, and prlimit's CPU limit ends in SIGKILL, which the kernel delivers to a
    // namespace's PID 1 too; the namespace dies with rustc, linker and all.
    "--as-pid-1",
    "--die-with-parent",
    "--new-session",
    "--clearenv",
    "--cap-drop",
    "ALL",
    "--tmpfs",
    "/",
    ...binds,
    "--bind",
    jobDir,
    JOB_DIR,
    "--dev",
    "/dev",
    // rustc finds its sysroot through /proc/self/exe, and that is all it needs of /proc. A
    // symlink instead of a procfs: nothing of any process (bwrap's own environment at
    // /proc/1/environ) to read, and no procfs mount, which Docker's masked /proc forbids.
    "--dir",
    "/proc/self",
    "--symlink",
    toolchain.rustc,
    "/proc/self/exe",
    "--size",
    String(limits.fileMb * mb),
    "--tmpfs",
    "/tmp",
    "--remount-ro",
    "/",
    "--chdir",
    JOB_DIR,
    ...command,
  ];
}

export function runSandboxed(
  toolchain: Toolchain,
  limits: SandboxLimits,
  jobDir: string,
  extraBinds: [string, string][],
  command: string[],
): Promise<SandboxResult> {
  const args = sandboxArgs(toolchain, limits, jobDir, extraBinds, command);
  return new Promise((resolve, reject) => {
    const child = spawn(toolchain.prlimit, args, {
      env: {},
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const captured = { stdout: "", stderr: "" };
    const collect = (name: "stdout" | "stderr") => (chunk: Buffer) => {
      if (captured[name].length < MAX_CAPTURE) captured[name] += chunk.toString("utf8");
    };
    child.stdout.on("data", collect("stdout"));
    child.stderr.on("data", collect("stderr"));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, limits.wallMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      // The group may still hold a linker the compiler started.
      killGroup(child.pid);
      resolve({
        exitCode,
        signal,
        timedOut,
        stdout: captured.stdout.slice(0, MAX_CAPTURE),
        stderr: captured.stderr.slice(0, MAX_CAPTURE),
      });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
