// A field named by its path in a dissection, the way grades point at one: the layer's protocol,
// then field names down the tree ("udp.destinationPort", "ipv4.flags.moreFragments"). Names,
// not positions, so a path written in a lesson's checks stays right when a dissector adds a
// field, and a frontend can find the same field in the Packet the API sends.
import type { Field, Layer } from "./types.ts";

export type FieldPath = `${Layer["protocol"]}` | `${Layer["protocol"]}.${string}`;

/**
 * The layer (for a path of one protocol name) or field the path names, or undefined. The first
 * layer of that protocol wins, skipping the layers an ICMP error quotes: they describe another
 * packet.
 */
export function findFieldByPath(
  layers: readonly Layer[],
  path: string,
): { layer: Layer; field?: Field } | undefined {
  const [protocol, ...names] = path.split(".");
  const layer = layers.find((l) => l.protocol === protocol && !l.quoted);
  if (!layer) return undefined;
  let fields: Field[] | undefined = layer.fields;
  let field: Field | undefined;
  for (const name of names) {
    field = fields?.find((f) => f.name === name);
    if (!field) return undefined;
    fields = field.children;
  }
  return field ? { layer, field } : { layer };
}

/**
 * The key under which a packet may carry fieldPathIndex(its layers), set by whoever built the
 * packet without its dissection at hand (runner/packet-wire.ts). Symbol.for, not a module's
 * own symbol: the lessons' checks are bundled with their own copy of this module.
 */
export const FIELD_PATHS: unique symbol = Symbol.for("packetlab.fieldPaths") as never;

/**
 * Every path findFieldByPath finds in these layers, each on a line of its own between two line
 * ends ("\nipv4\nipv4.version\n…\nudp.checksum\n"). A packet from a worker carries it, so that
 * asking whether a packet has a field does not parse its dissection (~3.5 KB of JSON each) in
 * the API process: grading asks that of most packets it links to.
 */
export function fieldPathIndex(layers: readonly Layer[]): string {
  let index = "\n";
  const protocols: string[] = [];
  for (const layer of layers) {
    // As findFieldByPath: the first layer of a protocol, not counting quoted ones.
    if (layer.quoted || protocols.includes(layer.protocol)) continue;
    protocols.push(layer.protocol);
    index += `${layer.protocol}\n`;
    index = indexFields(index, layer.protocol, layer.fields);
  }
  return index;
}

function indexFields(index: string, prefix: string, fields: readonly Field[] | undefined): string {
  if (!fields) return index;
  for (let i = 0; i < fields.length; i++) {
    const { name, children } = fields[i]!;
    // A name findFieldByPath cannot reach (a dot splits it), or a later one of the same name
    // (find() stops at the first), is not in the index either.
    if (name.includes(".") || name.includes("\n")) continue;
    if (fields.findIndex((field) => field.name === name) !== i) continue;
    const path = `${prefix}.${name}`;
    index += `${path}\n`;
    index = indexFields(index, path, children);
  }
  return index;
}

/** Whether findFieldByPath finds the path in the packet: from its index when it has one. */
export function hasFieldPath(
  packet: { readonly layers: readonly Layer[]; readonly [FIELD_PATHS]?: string },
  path: string,
): boolean {
  const index = packet[FIELD_PATHS];
  if (index !== undefined && !path.includes("\n")) return index.includes(`\n${path}\n`);
  return findFieldByPath(packet.layers, path) !== undefined;
}
