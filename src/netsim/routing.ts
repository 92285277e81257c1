// Static routes: each host reaches each other host along the path of least total latency, and
// only routers carry traffic through (an ordinary host never forwards). Ties go to the link
// listed first, so routes never depend on anything but the topology.
import type { LinkSpec } from "./types.ts";

export interface RouteLink {
  index: number;
  a: string;
  b: string;
  latencyUs: number;
  mtu: number;
  loss: number;
  duplicate: number;
  reorder: number;
}

export interface Routing {
  readonly links: readonly RouteLink[];
  /** The link a host puts a packet on to reach `destinationHost`, or undefined if unreachable. */
  nextLink(fromHost: string, destinationHost: string): RouteLink | undefined;
  /** The host's first link, used as its default route when a destination is unknown. */
  defaultLink(fromHost: string): RouteLink | undefined;
}

export function otherEnd(link: RouteLink, host: string): string {
  return link.a === host ? link.b : link.a;
}

export function createRouting(
  hosts: readonly { name: string; router?: boolean }[],
  specs: readonly LinkSpec[],
): Routing {
  const links: RouteLink[] = specs.map((spec, index) => ({
    index,
    a: spec.a,
    b: spec.b,
    latencyUs: spec.latencyUs ?? 1000,
    mtu: spec.mtu ?? 1500,
    loss: spec.loss ?? 0,
    duplicate: spec.duplicate ?? 0,
    reorder: spec.reorder ?? 0,
  }));
  const adjacency = new Map<string, RouteLink[]>(hosts.map((h) => [h.name, []]));
  for (const link of links) {
    adjacency.get(link.a)?.push(link);
    adjacency.get(link.b)?.push(link);
  }
  const isRouter = new Map(hosts.map((h) => [h.name, h.router === true]));
  const tables = new Map<string, Map<string, RouteLink>>();

  // Dijkstra from `source`; topologies are a handful of hosts, so a linear scan for the
  // nearest unvisited host is simpler than a heap and just as fast.
  const computeTable = (source: string): Map<string, RouteLink> => {
    const distance = new Map<string, number>([[source, 0]]);
    const firstLink = new Map<string, RouteLink>();
    const visited = new Set<string>();
    for (;;) {
      let nearest: string | undefined;
      for (const [name, d] of distance) {
        if (!visited.has(name) && (nearest === undefined || d < distance.get(nearest)!)) {
          nearest = name;
        }
      }
      if (nearest === undefined) break;
      visited.add(nearest);
      if (nearest !== source && !isRouter.get(nearest)) continue;
      for (const link of adjacency.get(nearest) ?? []) {
        const next = otherEnd(link, nearest);
        const d = distance.get(nearest)! + link.latencyUs;
        const known = distance.get(next);
        if (known === undefined || d < known) {
          distance.set(next, d);
          firstLink.set(next, nearest === source ? link : firstLink.get(nearest)!);
        }
      }
    }
    return firstLink;
  };

  return {
    links,
    nextLink(fromHost, destinationHost) {
      let table = tables.get(fromHost);
      if (!table) {
        table = computeTable(fromHost);
        tables.set(fromHost, table);
      }
      return table.get(destinationHost);
    },
    defaultLink: (fromHost) => adjacency.get(fromHost)?.[0],
  };
}
