// Bytes in and out of the API. Everything the host receives is a fresh Uint8Array built here,
// sized through the captured typed-array getters, so a Proxy, a look-alike object or a poisoned
// `length` cannot make the host copy more (or other) bytes than the check saw.
import type { AnyFunction } from "./primordials.ts";
import {
  ArrayJoin,
  MathMin,
  NumberToString,
  StringCharCodeAt,
  StringFromCharCode,
  StringPadStart,
  TypeErrorCtor,
  TypedArrayLength,
  TypedArraySet,
  TypedArrayTag,
  Uint8ArrayCtor,
  append,
} from "./primordials.ts";
import { IoError } from "./errors.ts";

export function isUint8Array(value: unknown): value is Uint8Array {
  return TypedArrayTag(value) === "Uint8Array";
}

/** A private copy of a learner's Uint8Array, refusing more than `max` bytes before copying. */
export function copyBytes(
  value: unknown,
  max: number,
  what: string,
  caller: AnyFunction,
): Uint8Array {
  if (!isUint8Array(value)) {
    throw new TypeErrorCtor(`${what} must be a Uint8Array`);
  }
  const length = TypedArrayLength(value);
  if (length > max) {
    throw new IoError("InvalidInput", `${what} is ${length} bytes; at most ${max} fit`, caller);
  }
  const copy = new Uint8ArrayCtor(length);
  TypedArraySet(copy, value);
  return copy;
}

/** Uint8Array as is (copied), a string as its UTF-8 bytes; anything else is a TypeError. */
export function bytesOf(
  value: unknown,
  max: number,
  what: string,
  caller: AnyFunction,
): Uint8Array {
  if (typeof value === "string") {
    // UTF-8 needs at least one byte per UTF-16 unit: a longer string cannot fit.
    if (value.length > max) {
      throw new IoError("InvalidInput", `${what} is over ${max} bytes long`, caller);
    }
    const bytes = encodeUtf8(value);
    if (TypedArrayLength(bytes) > max) {
      throw new IoError(
        "InvalidInput",
        `${what} is ${TypedArrayLength(bytes)} bytes; at most ${max} fit`,
        caller,
      );
    }
    return bytes;
  }
  if (isUint8Array(value)) return copyBytes(value, max, what, caller);
  throw new TypeErrorCtor(`${what} must be a Uint8Array or a string`);
}

export function encodeUtf8(text: string): Uint8Array {
  const n = text.length;
  const out = new Uint8ArrayCtor(n * 3);
  let o = 0;
  for (let i = 0; i < n; i++) {
    let c = StringCharCodeAt(text, i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const low = StringCharCodeAt(text, i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate, as TextEncoder does
    if (c < 0x80) out[o++] = c;
    else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 63);
      out[o++] = 0x80 | (c & 63);
    } else {
      out[o++] = 0xf0 | (c >> 18);
      out[o++] = 0x80 | ((c >> 12) & 63);
      out[o++] = 0x80 | ((c >> 6) & 63);
      out[o++] = 0x80 | (c & 63);
    }
  }
  const exact = new Uint8ArrayCtor(o);
  for (let i = 0; i < o; i++) exact[i] = out[i]!;
  return exact;
}

/** UTF-8 bytes to text; malformed sequences become U+FFFD, as TextDecoder does. */
export function decodeUtf8(bytes: Uint8Array): string {
  const n = TypedArrayLength(bytes);
  const parts: string[] = [];
  let chunk: number[] = [];
  const flush = () => {
    append(parts, callFromCharCode(chunk));
    chunk = [];
  };
  for (let i = 0; i < n;) {
    const b = bytes[i]!;
    let code = 0xfffd;
    let size = 1;
    if (b < 0x80) code = b;
    else if (b >= 0xc2 && b < 0xe0 && continuation(bytes, i + 1, n)) {
      code = ((b & 31) << 6) | (bytes[i + 1]! & 63);
      size = 2;
    } else if (
      b >= 0xe0 &&
      b < 0xf0 &&
      continuation(bytes, i + 1, n) &&
      continuation(bytes, i + 2, n)
    ) {
      const c = ((b & 15) << 12) | ((bytes[i + 1]! & 63) << 6) | (bytes[i + 2]! & 63);
      if (c >= 0x800 && (c < 0xd800 || c > 0xdfff)) code = c;
      size = 3;
    } else if (
      b >= 0xf0 &&
      b < 0xf5 &&
      continuation(bytes, i + 1, n) &&
      continuation(bytes, i + 2, n) &&
      continuation(bytes, i + 3, n)
    ) {
      const c =
        ((b & 7) << 18) |
        ((bytes[i + 1]! & 63) << 12) |
        ((bytes[i + 2]! & 63) << 6) |
        (bytes[i + 3]! & 63);
      if (c >= 0x10000 && c <= 0x10ffff) code = c;
      size = 4;
    }
    if (code > 0xffff) {
      code -= 0x10000;
      append(chunk, 0xd800 + (code >> 10));
      append(chunk, 0xdc00 + (code & 0x3ff));
    } else append(chunk, code);
    if (chunk.length >= 4096) flush();
    i += size;
  }
  flush();
  return ArrayJoin(parts, "");
}

function continuation(bytes: Uint8Array, i: number, n: number): boolean {
  return i < n && (bytes[i]! & 0xc0) === 0x80;
}

function callFromCharCode(codes: number[]): string {
  let text = "";
  for (let i = 0; i < codes.length; i += 1024) {
    let piece = "";
    const end = MathMin(codes.length, i + 1024);
    for (let j = i; j < end; j++) piece += StringFromCharCode(codes[j]!);
    text += piece;
  }
  return text;
}

const HEX_DIGITS = "0123456789abcdef";

function hexByte(b: number): string {
  return HEX_DIGITS[b >> 4]! + HEX_DIGITS[b & 15]!;
}

export function toHex(bytes: Uint8Array): string {
  if (!isUint8Array(bytes)) throw new TypeErrorCtor("toHex() needs a Uint8Array");
  const n = TypedArrayLength(bytes);
  let text = "";
  for (let i = 0; i < n; i++) text += hexByte(bytes[i]!);
  return text;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Hex digits in pairs; spaces, colons and line breaks may separate bytes. */
export function fromHex(text: string): Uint8Array {
  if (typeof text !== "string") throw new TypeErrorCtor("fromHex() needs a string");
  const out = new Uint8ArrayCtor(text.length >> 1);
  let o = 0;
  let high = -1;
  for (let i = 0; i < text.length; i++) {
    const c = StringCharCodeAt(text, i);
    if (c === 32 || c === 58 || c === 10 || c === 13 || c === 9) {
      if (high >= 0) throw new TypeErrorCtor(`fromHex(): odd hex digit before position ${i}`);
      continue;
    }
    const v = hexValue(c);
    if (v < 0) {
      throw new TypeErrorCtor(`fromHex(): "${text[i]}" at position ${i} is not a hex digit`);
    }
    if (high < 0) high = v;
    else {
      out[o++] = (high << 4) | v;
      high = -1;
    }
  }
  if (high >= 0) throw new TypeErrorCtor("fromHex(): the last byte has only one hex digit");
  const exact = new Uint8ArrayCtor(o);
  for (let i = 0; i < o; i++) exact[i] = out[i]!;
  return exact;
}

/** Offset, hex and ASCII columns, 16 bytes a line (like `hexdump -C`). */
export function hexdump(bytes: Uint8Array): string {
  if (!isUint8Array(bytes)) throw new TypeErrorCtor("hexdump() needs a Uint8Array");
  const n = TypedArrayLength(bytes);
  const lines: string[] = [];
  for (let offset = 0; offset < n; offset += 16) {
    let hex = "";
    let ascii = "";
    for (let i = 0; i < 16; i++) {
      if (i === 8) hex += " ";
      if (offset + i < n) {
        const b = bytes[offset + i]!;
        hex += hexByte(b) + " ";
        ascii += b >= 32 && b < 127 ? StringFromCharCode(b) : ".";
      } else hex += "   ";
    }
    append(lines, `${StringPadStart(NumberToString(offset, 16), 8, "0")}  ${hex} |${ascii}|`);
  }
  return ArrayJoin(lines, "\n");
}
