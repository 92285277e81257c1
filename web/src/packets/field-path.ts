// A field named the way the API's grades name it (CheckSubject.field: the layer's protocol, then
// field names down the tree, "udp.destinationPort"), found in a Packet as the tree's key
// ("1.1"). The first layer of that protocol that an ICMP error does not quote is meant.
import type { Field, Packet } from "../api/client.ts";

export interface FieldAtPath {
  /** The packet views' key: layer index, then child indexes ("1" is the whole layer). */
  key: string;
  /** What the learner reads: "Destination Port", or the layer's title for a whole layer. */
  title: string;
}

export function findFieldAtPath(packet: Packet, path: string): FieldAtPath | undefined {
  const [protocol, ...names] = path.split(".");
  const layerIndex = packet.layers.findIndex((l) => l.protocol === protocol && !l.quoted);
  const layer = packet.layers[layerIndex];
  if (!layer) return undefined;
  let key = String(layerIndex);
  let title = layer.title;
  let fields: Field[] | undefined = layer.fields;
  for (const name of names) {
    const index: number = fields?.findIndex((f) => f.name === name) ?? -1;
    const field: Field | undefined = fields?.[index];
    if (!field) return undefined;
    key += `.${index}`;
    title = field.title;
    fields = field.children;
  }
  return { key, title };
}
