// createNetwork: wires the clock, the agenda, hosts, links and peers of one run together and
// exposes the learner's host. Everything happens in virtual time: blocking calls run the agenda
// forward instead of waiting.
import { dissectPacket } from "../protocols/dissect.ts";
import { createTcpConversations } from "../protocols/tcp-conversations.ts";
import { NetworkError, TopologyError } from "./errors.ts";
import { createEventQueue } from "./event-queue.ts";
import { createHost, type SimHost } from "./ip-stack.ts";
import { createLearnerTcp } from "./learner-tcp.ts";
import { createLimitGuard, resolveLimits } from "./limits.ts";
import { createPacketLog, dropped } from "./packet-log.ts";
import { createPeers } from "./peers/index.ts";
import { createRandom } from "./random.ts";
import { createRouting } from "./routing.ts";
import { createSocketTable, type BoundSocket } from "./sockets.ts";
import { validateTopology } from "./topology.ts";
import type {
  HostStack,
  Network,
  NetworkOptions,
  RecvResult,
  SocketAddress,
  TopologySpec,
  UdpSocketHandle,
  VirtualMicros,
} from "./types.ts";
import { createWire } from "./wire.ts";

// Seed streams: each concern draws from its own, so they never shift one another.
const STREAM_LINK = 1000;
const STREAM_PORTS = 100_000;
const STREAM_IDENTIFICATION = 200_000;
const STREAM_TCP = 300_000;

type RunResult = "stopped" | "deadline" | "idle";

export function createNetwork(options: NetworkOptions): Network {
  const problems = validateTopology(options.topology);
  if (problems.length > 0) throw new TopologyError(problems);
  // A private copy: the caller may reuse or change its spec object.
  const topology = structuredClone(options.topology) as TopologySpec;
  const seed = Number.isFinite(options.seed) ? Math.trunc(options.seed) : 0;
  const limits = resolveLimits(options.limits);
  // When a limit stops the run, what is still on the wire is recorded, not lost from the trace.
  const guard = createLimitGuard((report) =>
    log.finaliseInFlight(
      dropped("run-stopped", `the run stopped before it arrived: ${report.message}`),
    ),
  );
  const queue = createEventQueue();
  let now: VirtualMicros = 0;
  const clock = (): VirtualMicros => now;
  const schedule = (atUs: VirtualMicros, run: () => void): void => queue.schedule(atUs, run);
  const timer = (atUs: VirtualMicros, run: () => void): (() => void) => queue.timer(atUs, run);
  // One TCP conversation tracker per run, so the trace shows Wireshark's relative numbers.
  const conversations = createTcpConversations();
  const log = createPacketLog((bytes) => dissectPacket(bytes, conversations), options.onPacket);
  const routing = createRouting(topology.hosts, topology.links);
  const linkRandoms = routing.links.map((link) => createRandom(seed, STREAM_LINK + link.index));
  const hosts = new Map<string, SimHost>();
  const owners = new Map(topology.hosts.map((h) => [h.address, h.name]));
  const wire = createWire({
    now: clock,
    schedule,
    limits,
    guard,
    log,
    linkRandom: (link) => linkRandoms[link.index]!,
    arrive: (toHost, packet) => hosts.get(toHost)!.receive(packet),
  });
  let socketIds = 0;
  // What receivePacket() reads: packets that arrived for the learner's host, newest last.
  const captured: Uint8Array[] = [];
  const CAPTURE_LIMIT = 256;
  topology.hosts.forEach((spec, index) => {
    const sockets = createSocketTable(
      spec.name,
      spec.address,
      createRandom(seed, STREAM_PORTS + index),
      () => ++socketIds,
    );
    hosts.set(
      spec.name,
      createHost({
        spec,
        sockets,
        identificationRandom: createRandom(seed, STREAM_IDENTIFICATION + index),
        now: clock,
        schedule,
        timer,
        tcpRandom: createRandom(seed, STREAM_TCP + index),
        wire,
        log,
        routing,
        limits,
        hostNamed: (address) => owners.get(address),
        ...(spec.name === topology.learnerHost
          ? {
              tap: (packet: Uint8Array) => {
                if (captured.length >= CAPTURE_LIMIT) captured.shift();
                captured.push(packet.slice());
              },
            }
          : {}),
      }),
    );
  });
  const peers = createPeers(topology, hosts, clock, () => guard.report !== null, schedule);

  /** Runs the agenda until `done()`, the deadline, or an empty agenda. */
  const run = (done: () => boolean, deadline: VirtualMicros): RunResult => {
    for (;;) {
      guard.check();
      if (done()) return "stopped";
      const next = queue.peekTime();
      if (next === undefined) return "idle";
      if (next > deadline) return "deadline";
      if (next > limits.maxVirtualTimeUs) tripTime();
      const entry = queue.pop()!;
      now = entry.atUs;
      entry.run();
    }
  };

  const tripTime = (): never =>
    guard.trip(
      "VIRTUAL_TIME_LIMIT",
      `the run reached its limit of ${limits.maxVirtualTimeUs / 1_000_000} s of virtual time`,
    );

  const learnerHost = hosts.get(topology.learnerHost)!;
  const learnerSockets = new Set<BoundSocket>();
  let learnerTcpSockets = 0;
  const socketLimit = (): void => {
    if (learnerSockets.size + learnerTcpSockets >= limits.maxSockets) {
      guard.trip(
        "SOCKET_LIMIT",
        `a program may have at most ${limits.maxSockets} sockets open at once`,
      );
    }
  };
  const learnerTcp = createLearnerTcp({
    host: learnerHost,
    now: clock,
    run,
    waitUntil(deadline) {
      if (deadline > limits.maxVirtualTimeUs) tripTime();
      if (deadline > now) now = deadline;
    },
    checkLimits: () => guard.check(),
    openSocket() {
      socketLimit();
      learnerTcpSockets++;
      let released = false;
      return () => {
        if (!released) learnerTcpSockets--;
        released = true;
      };
    },
    nextId: () => ++socketIds,
  });

  const openSocket = (socket: BoundSocket): UdpSocketHandle => {
    const ensureOpen = (): void => {
      guard.check();
      if (socket.closed)
        throw new NetworkError(
          "SOCKET_CLOSED",
          `the socket on port ${socket.local.port} is closed`,
        );
    };
    return {
      id: socket.id,
      local: { ...socket.local },
      sendTo(payload, to) {
        ensureOpen();
        const bytes = toBytes(payload);
        learnerHost.sendUdp(socket, bytes, to);
        return bytes.length;
      },
      recvFrom(timeoutUs): RecvResult {
        ensureOpen();
        const wait =
          timeoutUs === null || timeoutUs === undefined
            ? null
            : Math.max(0, Number(timeoutUs) || 0);
        const deadline = wait === null ? Infinity : now + wait;
        const outcome = run(() => socket.queue.length > 0, deadline);
        const datagram = socket.queue.shift();
        if (datagram) return { status: "received", datagram };
        if (wait === null) return { status: "idle" };
        // Waiting with a timeout takes that long even when nothing can arrive any more.
        if (deadline > limits.maxVirtualTimeUs) tripTime();
        now = deadline;
        return outcome === "idle" ? { status: "idle" } : { status: "timeout" };
      },
      close() {
        if (socket.closed) return;
        learnerHost.sockets.release(socket);
        learnerSockets.delete(socket);
      },
    };
  };

  const learner: HostStack = {
    name: learnerHost.name,
    address: learnerHost.address,
    bindUdp(local: SocketAddress) {
      guard.check();
      socketLimit();
      const socket = learnerHost.sockets.bind(local);
      learnerSockets.add(socket);
      return openSocket(socket);
    },
    sendRaw(packet) {
      guard.check();
      const bytes = toBytes(packet);
      if (bytes.length > 65_535) {
        throw new NetworkError(
          "MESSAGE_TOO_LONG",
          `an IPv4 packet has at most 65535 bytes; this one has ${bytes.length}`,
        );
      }
      learnerHost.sendRaw(bytes);
    },
    connectTcp: (remote, timeoutUs) => learnerTcp.connect(remote, timeoutUs),
    receivePacket(timeoutUs) {
      guard.check();
      const deadline = timeoutUs === null ? Infinity : now + Math.max(0, timeoutUs);
      const outcome = run(() => captured.length > 0, deadline);
      const packet = captured.shift();
      if (packet) return { status: "received", packet };
      if (timeoutUs === null) return { status: "idle" };
      if (deadline > limits.maxVirtualTimeUs) tripTime();
      now = deadline;
      return outcome === "idle" ? { status: "idle" } : { status: "timeout" };
    },
    listenTcp: (local) => learnerTcp.listen(local),
  };

  return {
    get nowUs() {
      return now;
    },
    events: log.events,
    learner,
    settle() {
      run(() => false, Infinity);
    },
    get limitReached() {
      return guard.report;
    },
    peerStates: () => peers.states(),
  };
}

/** The bridge hands over bytes; anything else is a bug in the caller, not a learner's mistake. */
function toBytes(payload: unknown): Uint8Array {
  if (payload instanceof Uint8Array) return payload;
  if (ArrayBuffer.isView(payload))
    return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
  throw new TypeError("a datagram's payload must be a Uint8Array");
}
