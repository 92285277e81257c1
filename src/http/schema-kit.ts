// Small tools for writing the API's named schemas. A named schema has an $id: fastify registers it
// once (app.addSchema), routes point at it with ref(), and @fastify/swagger publishes it under
// components/schemas by that name, so a generated client gets a `Packet` type, not an inline blob.
import { Type, type Static, type TSchema } from "typebox";

/** A reference to a named schema, typed as the schema itself so routes stay type-checked. */
export function ref<T extends TSchema & { $id?: string }>(schema: T) {
  if (!schema.$id) throw new Error("ref() needs a schema with an $id");
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id));
}

/**
 * A string enum as OpenAPI 3.0 spells it ({type: "string", enum: […]}), which generators turn
 * into a union of literals. The values are a runtime list so one edit extends the enum; pair it
 * with sameType<> against the domain's union so the two cannot drift.
 */
export function stringEnum<const V extends readonly string[]>(
  values: V,
  options: { $id?: string; description?: string; examples?: unknown[] } = {},
) {
  return Type.Unsafe<V[number]>({ type: "string", enum: [...values], ...options });
}

/** `T | null`, which @fastify/swagger publishes as OpenAPI 3.0's nullable. */
export function nullable<T extends TSchema>(schema: T, options: { description?: string } = {}) {
  return Type.Union([schema, Type.Null()], options);
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * Compile-time proof that a schema's static type and a domain type are the same shape (each
 * assignable to the other): `sameType<Static<typeof Packet>, PacketEvent>()` stops `tsc` when a
 * field is added to, removed from or retyped in either side without the other.
 */
export function sameType<A, B>(..._proof: Same<A, B> extends true ? [] : [mismatch: never]): void {}
