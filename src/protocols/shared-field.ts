// Fields of the outer IPv4 header whose every property follows from a small value (version, IHL,
// TTL, protocol, the flag bits, …) come out the same in nearly every packet. netsim keeps every
// dissection of a run, so each one holding its own equal copies is wasted memory (~1 KB per
// packet) and wasted allocation time. They are made once per value and shared instead; frozen,
// because a shared object edited through one dissection would silently change all the others.
import type { Field } from "./types.ts";

/**
 * Wraps `make` so that fields at layer offset 0 (the outer header) are made once per value and
 * shared; elsewhere (an IPv4 header quoted inside ICMP) each call makes a fresh field. `bits` is
 * the field's width: values are below 2^bits, which bounds the cache.
 */
export function sharedAtStart(
  bits: number,
  make: (offset: number, value: number) => Field,
): (offset: number, value: number) => Field {
  const made = new Array<Field | undefined>(2 ** bits).fill(undefined);
  return (offset, value) =>
    offset !== 0 ? make(offset, value) : (made[value] ??= deepFreeze(make(0, value)));
}

function deepFreeze(field: Field): Field {
  if (field.children) {
    for (const child of field.children) deepFreeze(child);
    Object.freeze(field.children);
  }
  return Object.freeze(field);
}
