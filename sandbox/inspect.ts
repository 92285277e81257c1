// console.log's formatting, in the spirit of Node's util.inspect: one line per call, strings bare
// at the top level and quoted inside, Uint8Array as hex bytes (what a networking learner wants to
// see), cycles and depth bounded. Accessors are shown as [Getter] and never called.
import type { AnyFunction } from "./primordials.ts";
import { isIpv4Addr, isSocketAddrV4 } from "./addr.ts";
import {
  ArrayIsArray,
  ArrayJoin,
  DateToISOString,
  ErrorToString,
  FunctionToString,
  MathMin,
  NumberToString,
  ObjectGetOwnPropertyDescriptor,
  ObjectIs,
  ObjectToString,
  ReflectGetPrototypeOf,
  ReflectOwnKeys,
  SetAdd,
  SetCtor,
  SetDelete,
  SetHas,
  StringCharCodeAt,
  StringCtor,
  StringSlice,
  TypedArrayLength,
  TypedArrayTag,
  append,
} from "./primordials.ts";

const MAX_DEPTH = 2;
const MAX_ITEMS = 100;
const MAX_BYTES_SHOWN = 64;

export function formatArgs(args: unknown[]): string {
  const parts: string[] = [];
  let start = 0;
  const first = args[0];
  if (typeof first === "string" && args.length > 1) {
    const formatted = substitute(first, args);
    append(parts, formatted.text);
    start = formatted.used;
  }
  for (let i = start; i < args.length; i++) {
    const value = args[i];
    append(parts, typeof value === "string" ? value : inspect(value));
  }
  return ArrayJoin(parts, " ");
}

/** printf-like %s %d %i %f %j %o %O %c %%, as console.log does. */
function substitute(format: string, args: unknown[]): { text: string; used: number } {
  let text = "";
  let next = 1;
  for (let i = 0; i < format.length; i++) {
    const c = StringCharCodeAt(format, i);
    if (c !== 37 || i + 1 >= format.length) {
      text += format[i];
      continue;
    }
    const spec = format[i + 1];
    if (spec === "%") {
      text += "%";
      i++;
      continue;
    }
    if (next >= args.length || !"sdifjoOc".includes(spec!)) {
      text += "%";
      continue;
    }
    const arg = args[next++];
    i++;
    if (spec === "s") text += typeof arg === "string" ? arg : inspect(arg, 1);
    else if (spec === "d" || spec === "i") {
      const n = typeof arg === "bigint" ? arg : Number(arg);
      text += spec === "i" && typeof n === "number" ? StringCtor(Math.trunc(n)) : StringCtor(n);
    } else if (spec === "f") text += StringCtor(Number(arg));
    else if (spec === "c") continue;
    else text += inspect(arg);
  }
  return { text, used: next };
}

export function inspect(value: unknown, depth = 0): string {
  try {
    return inspectValue(value, depth, new SetCtor());
  } catch {
    return "[Uninspectable]";
  }
}

function quote(text: string): string {
  let out = "'";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'") out += "\\'";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\\") out += "\\\\";
    else out += ch;
  }
  return out + "'";
}

function inspectValue(value: unknown, depth: number, seen: Set<unknown>): string {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return ObjectIs(value, -0) ? "-0" : StringCtor(value);
    case "bigint":
      return `${StringCtor(value)}n`;
    case "boolean":
    case "undefined":
      return StringCtor(value);
    case "symbol":
      return value.toString();
    case "function":
      return describeFunction(value as AnyFunction);
  }
  if (value === null) return "null";
  const object = value as object;
  if (isIpv4Addr(object) || isSocketAddrV4(object)) return object.toString();
  const tag = TypedArrayTag(object);
  if (tag !== undefined) return inspectTypedArray(object as Uint8Array, tag);
  if (SetHas(seen, object)) return "[Circular]";
  const kind = ObjectToString(object);
  if (kind === "[object Error]") return inspectError(object as Error);
  if (kind === "[object Date]") {
    try {
      return DateToISOString(object as Date);
    } catch {
      return "Invalid Date";
    }
  }
  if (kind === "[object Promise]") return "Promise { <state not shown> }";
  if (kind === "[object RegExp]") return StringCtor(object);
  SetAdd(seen, object);
  try {
    if (ArrayIsArray(object)) return inspectArray(object as unknown[], depth, seen);
    if (kind === "[object Map]") return inspectMap(object as Map<unknown, unknown>, depth, seen);
    if (kind === "[object Set]") return inspectSet(object as Set<unknown>, depth, seen);
    return inspectObject(object, depth, seen);
  } finally {
    SetDelete(seen, object);
  }
}

function describeFunction(fn: AnyFunction): string {
  const nameDescriptor = ObjectGetOwnPropertyDescriptor(fn, "name");
  const name = typeof nameDescriptor?.value === "string" ? nameDescriptor.value : "";
  let source = "";
  try {
    source = FunctionToString(fn);
  } catch {
    // a revoked Proxy or similar: not a class then
  }
  const isClass = StringSlice(source, 0, 6) === "class ";
  return isClass ? `[class ${name || "(anonymous)"}]` : `[Function: ${name || "(anonymous)"}]`;
}

function hex(b: number): string {
  return (b < 16 ? "0" : "") + NumberToString(b, 16);
}

function inspectTypedArray(array: Uint8Array, tag: string): string {
  const length = TypedArrayLength(array);
  const shown = MathMin(length, tag === "Uint8Array" ? MAX_BYTES_SHOWN : MAX_ITEMS);
  const items: string[] = [];
  for (let i = 0; i < shown; i++) {
    const item = array[i] as number | bigint;
    append(items, tag === "Uint8Array" ? hex(item as number) : StringCtor(item));
  }
  const rest = length - shown;
  if (tag === "Uint8Array") {
    const more = rest > 0 ? ` … ${rest} more byte${rest === 1 ? "" : "s"}` : "";
    return `<Uint8Array(${length})${length ? " " : ""}${ArrayJoin(items, " ")}${more}>`;
  }
  if (rest > 0) append(items, `… ${rest} more`);
  return `${tag}(${length}) [ ${ArrayJoin(items, ", ")} ]`;
}

function inspectError(error: Error): string {
  const stack = ObjectGetOwnPropertyDescriptor(error, "stack")?.value;
  if (typeof stack === "string") return stack;
  try {
    return ErrorToString(error);
  } catch {
    return "Error";
  }
}

function inspectArray(array: unknown[], depth: number, seen: Set<unknown>): string {
  if (depth > MAX_DEPTH) return "[Array]";
  const length = array.length;
  if (length === 0) return "[]";
  const items: string[] = [];
  const shown = MathMin(length, MAX_ITEMS);
  for (let i = 0; i < shown; i++) append(items, property(array, StringCtor(i), depth, seen));
  if (length > shown) append(items, `… ${length - shown} more items`);
  return `[ ${ArrayJoin(items, ", ")} ]`;
}

function property(object: object, key: string, depth: number, seen: Set<unknown>): string {
  const descriptor = ObjectGetOwnPropertyDescriptor(object, key);
  if (!descriptor) return "<empty>";
  if (descriptor.get || descriptor.set)
    return descriptor.set && !descriptor.get ? "[Setter]" : "[Getter]";
  return inspectValue(descriptor.value, depth + 1, seen);
}

function inspectMap(map: Map<unknown, unknown>, depth: number, seen: Set<unknown>): string {
  if (depth > MAX_DEPTH) return "[Map]";
  const items: string[] = [];
  let count = 0;
  map.forEach((v, k) => {
    if (count++ < MAX_ITEMS) {
      append(items, `${inspectValue(k, depth + 1, seen)} => ${inspectValue(v, depth + 1, seen)}`);
    }
  });
  return `Map(${map.size}) {${items.length ? ` ${ArrayJoin(items, ", ")} ` : ""}}`;
}

function inspectSet(set: Set<unknown>, depth: number, seen: Set<unknown>): string {
  if (depth > MAX_DEPTH) return "[Set]";
  const items: string[] = [];
  let count = 0;
  set.forEach((v) => {
    if (count++ < MAX_ITEMS) append(items, inspectValue(v, depth + 1, seen));
  });
  return `Set(${set.size}) {${items.length ? ` ${ArrayJoin(items, ", ")} ` : ""}}`;
}

function constructorName(object: object): string {
  const proto = ReflectGetPrototypeOf(object);
  if (proto === null) return "[Object: null prototype] ";
  const ctor = ObjectGetOwnPropertyDescriptor(proto, "constructor")?.value;
  const name =
    typeof ctor === "function" ? ObjectGetOwnPropertyDescriptor(ctor, "name")?.value : "";
  return typeof name === "string" && name !== "" && name !== "Object" ? `${name} ` : "";
}

function isIdentifier(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = StringCharCodeAt(key, i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
    if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}

function inspectObject(object: object, depth: number, seen: Set<unknown>): string {
  const prefix = constructorName(object);
  if (depth > MAX_DEPTH) return `[${prefix ? StringSlice(prefix, 0, -1) : "Object"}]`;
  const keys = ReflectOwnKeys(object);
  const items: string[] = [];
  let shown = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const descriptor = ObjectGetOwnPropertyDescriptor(object, key);
    if (!descriptor || !descriptor.enumerable) continue;
    if (shown++ >= MAX_ITEMS) {
      append(items, `… ${keys.length - MAX_ITEMS} more properties`);
      break;
    }
    const label =
      typeof key === "symbol" ? `[${key.toString()}]` : isIdentifier(key) ? key : quote(key);
    append(items, `${label}: ${property(object, key as string, depth, seen)}`);
  }
  if (items.length === 0) return `${prefix}{}`;
  return `${prefix}{ ${ArrayJoin(items, ", ")} }`;
}
