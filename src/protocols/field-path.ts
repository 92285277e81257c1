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
