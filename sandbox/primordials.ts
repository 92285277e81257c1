// Built-ins captured before any learner code runs. A learner may replace Array.prototype.push,
// Function.prototype.call, Uint8Array.prototype.set or a typed array's `length` getter; the
// API's checks and copies go through these captured originals, so such poisoning can only
// confuse the learner's own code, never the sizes or bytes that reach the host.
// Rule for sandbox code: no spread of arrays, no for…of, no array destructuring (they call
// Symbol.iterator, which a learner may replace).

const R = Reflect;
export const ReflectApply = R.apply;
export const ReflectOwnKeys = R.ownKeys;
export const ReflectGetPrototypeOf = R.getPrototypeOf;
export const ObjectFreeze = Object.freeze;
export const ObjectDefineProperty = Object.defineProperty;
export const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
export const ObjectCreate = Object.create;
export const ObjectIs = Object.is;
export const ArrayIsArray = Array.isArray;
export const NumberIsInteger = Number.isInteger;
export const NumberIsFinite = Number.isFinite;
export const MathFloor = Math.floor;
export const MathMin = Math.min;
export const MathMax = Math.max;
export const StringFromCharCode = String.fromCharCode;
export const StringCtor = String;
export const ErrorCtor = Error;
export const TypeErrorCtor = TypeError;
export const RangeErrorCtor = RangeError;
export const ErrorCaptureStackTrace = (
  Error as { captureStackTrace?: (o: object, f?: unknown) => void }
).captureStackTrace;
export const Uint8ArrayCtor = Uint8Array;
export const ArrayBufferCtor = ArrayBuffer;
export const DateCtor = Date;
export const SymbolToStringTag = Symbol.toStringTag;

/** Turns a method into a plain function taking `this` first, immune to Function.prototype poisoning. */
function uncurryThis<T, A extends unknown[], R>(fn: (this: T, ...args: A) => R) {
  return (self: T, ...args: A): R => ReflectApply(fn, self, args);
}

const TypedArrayPrototype = ReflectGetPrototypeOf(Uint8Array.prototype) as object;
function getter(target: object, key: PropertyKey): (self: unknown) => unknown {
  const descriptor = ObjectGetOwnPropertyDescriptor(target, key);
  const get = descriptor?.get;
  if (!get) throw new TypeErrorCtor("sandbox bootstrap: missing getter");
  return (self) => ReflectApply(get, self, []);
}
/** Throws for anything that is not a real typed array (a Proxy, a look-alike object). */
export const TypedArrayLength = getter(TypedArrayPrototype, "length") as (self: unknown) => number;
/** "Uint8Array" for a real Uint8Array, undefined for anything that is not a typed array. */
export const TypedArrayTag = getter(TypedArrayPrototype, SymbolToStringTag) as (
  self: unknown,
) => string | undefined;
export const TypedArraySet = uncurryThis(
  Uint8Array.prototype.set as (
    this: Uint8Array,
    source: ArrayLike<number>,
    offset?: number,
  ) => void,
);
export const TypedArraySubarray = uncurryThis(Uint8Array.prototype.subarray);

export const StringCharCodeAt = uncurryThis(String.prototype.charCodeAt);
export const StringSlice = uncurryThis(String.prototype.slice);
export const StringPadStart = uncurryThis(String.prototype.padStart);
export const StringRepeat = uncurryThis(String.prototype.repeat);
export const NumberToString = uncurryThis(Number.prototype.toString);
export const ArrayJoin = uncurryThis(Array.prototype.join);
export const ArrayPush = uncurryThis(Array.prototype.push);
export const MapCtor = Map;
export const MapGet = uncurryThis(Map.prototype.get);
export const MapSet = uncurryThis(Map.prototype.set);
export const MapHas = uncurryThis(Map.prototype.has);
export const MapDelete = uncurryThis(Map.prototype.delete);
export const SetCtor = Set;
export const SetHas = uncurryThis(Set.prototype.has);
export const SetAdd = uncurryThis(Set.prototype.add);
export const SetDelete = uncurryThis(Set.prototype.delete);
export const FunctionToString = uncurryThis(Function.prototype.toString);
export const ErrorToString = uncurryThis(Error.prototype.toString);
export const DateToISOString = uncurryThis(Date.prototype.toISOString);
export const ObjectToString = uncurryThis(Object.prototype.toString);

/**
 * Appends without Array.prototype.push, and by definition rather than assignment, so neither a
 * replaced push nor a setter a learner put on Array.prototype[n] sees the value.
 */
export function append<T>(list: T[], value: T): void {
  ObjectDefineProperty(list, list.length, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

export const PromiseCtor = Promise;
export const PromiseResolve = Promise.resolve.bind(Promise) as <T>(value: T) => Promise<Awaited<T>>;
export const PromiseThen = uncurryThis(Promise.prototype.then) as <T, U>(
  promise: Promise<T>,
  onFulfilled: (value: T) => U,
) => Promise<U>;

/** Any function: a stack-trace anchor (Error.captureStackTrace's second argument). */
export type AnyFunction = (...args: never[]) => unknown;
