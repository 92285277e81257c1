// Ipv4Addr and SocketAddrV4, after Rust's std::net. State lives in private fields: a learner
// cannot forge an address object that the API then trusts.
import type { AnyFunction } from "./primordials.ts";
import { AddrParseError, freezeClass } from "./errors.ts";
import { bytesOf } from "./bytes.ts";
import {
  NumberIsInteger,
  ObjectDefineProperty,
  StringCharCodeAt,
  StringSlice,
  TypeErrorCtor,
  TypedArrayLength,
} from "./primordials.ts";

function isOctet(n: unknown): n is number {
  return typeof n === "number" && NumberIsInteger(n) && n >= 0 && n <= 255;
}

/** Four decimal octets, no leading zeros (Rust rejects "010.0.0.1" too), or null. */
function parseOctets(text: string): [number, number, number, number] | null {
  const octets: number[] = [0, 0, 0, 0];
  let index = 0;
  let value = -1;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? StringCharCodeAt(text, i) : 46;
    if (c === 46) {
      if (digits === 0 || index > 3) return null;
      octets[index++] = value;
      value = -1;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return null;
      value = (value < 0 ? 0 : value * 10) + (c - 48);
      if (value > 255 || ++digits > 3) return null;
    } else return null;
  }
  return index === 4 ? [octets[0]!, octets[1]!, octets[2]!, octets[3]!] : null;
}

/** Brand checks: true only for objects these classes constructed (instanceof can be fooled). */
export let isIpv4Addr: (value: unknown) => value is Ipv4Addr;
export let isSocketAddrV4: (value: unknown) => value is SocketAddrV4;

export class Ipv4Addr {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  constructor(a: number, b: number, c: number, d: number) {
    if (!isOctet(a) || !isOctet(b) || !isOctet(c) || !isOctet(d)) {
      throw new TypeErrorCtor("Ipv4Addr needs four whole numbers from 0 to 255");
    }
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
  }
  static parse(text: string): Ipv4Addr {
    const octets = typeof text === "string" ? parseOctets(text) : null;
    if (!octets) {
      throw new AddrParseError(`invalid IPv4 address syntax: ${describe(text)}`, Ipv4Addr.parse);
    }
    return new Ipv4Addr(octets[0], octets[1], octets[2], octets[3]);
  }
  static fromBytes(bytes: Uint8Array): Ipv4Addr {
    const copy = bytesOf(bytes, 65_535, "Ipv4Addr.fromBytes() input", Ipv4Addr.fromBytes);
    if (typeof bytes === "string" || TypedArrayLength(copy) < 4) {
      throw new TypeErrorCtor("Ipv4Addr.fromBytes() needs a Uint8Array of at least 4 bytes");
    }
    return new Ipv4Addr(copy[0]!, copy[1]!, copy[2]!, copy[3]!);
  }
  declare static readonly UNSPECIFIED: Ipv4Addr;
  declare static readonly LOCALHOST: Ipv4Addr;
  octets(): [number, number, number, number] {
    return [this.#a, this.#b, this.#c, this.#d];
  }
  equals(other: Ipv4Addr): boolean {
    return isIpv4Addr(other) && other.toString() === this.toString();
  }
  static {
    isIpv4Addr = (value) => typeof value === "object" && value !== null && #a in value;
  }
  toString(): string {
    return `${this.#a}.${this.#b}.${this.#c}.${this.#d}`;
  }
  toJSON(): string {
    return this.toString();
  }
}
ObjectDefineProperty(Ipv4Addr, "UNSPECIFIED", { value: new Ipv4Addr(0, 0, 0, 0) });
ObjectDefineProperty(Ipv4Addr, "LOCALHOST", { value: new Ipv4Addr(127, 0, 0, 1) });
freezeClass(Ipv4Addr);

function describe(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : `a ${typeof value}, not a string`;
}

function isPort(n: unknown): n is number {
  return typeof n === "number" && NumberIsInteger(n) && n >= 0 && n <= 65_535;
}

export class SocketAddrV4 {
  #ip: Ipv4Addr;
  #port: number;
  constructor(ip: Ipv4Addr | string, port: number) {
    const address = isIpv4Addr(ip) ? ip : Ipv4Addr.parse(ip);
    if (!isPort(port)) throw new TypeErrorCtor("a port is a whole number from 0 to 65535");
    this.#ip = address;
    this.#port = port;
  }
  static parse(text: string): SocketAddrV4 {
    if (typeof text === "string") {
      const colon = lastColon(text);
      if (colon > 0) {
        const ip = parseOctets(StringSlice(text, 0, colon));
        const port = parsePort(StringSlice(text, colon + 1));
        if (ip && port !== null)
          return new SocketAddrV4(new Ipv4Addr(ip[0], ip[1], ip[2], ip[3]), port);
      }
    }
    throw new AddrParseError(
      `invalid socket address syntax: ${describe(text)} (expected like "10.0.0.53:53")`,
      SocketAddrV4.parse,
    );
  }
  static {
    isSocketAddrV4 = (value) => typeof value === "object" && value !== null && #port in value;
  }
  ip(): Ipv4Addr {
    return this.#ip;
  }
  port(): number {
    return this.#port;
  }
  toString(): string {
    return `${this.#ip.toString()}:${this.#port}`;
  }
  toJSON(): string {
    return this.toString();
  }
}
freezeClass(SocketAddrV4);

function lastColon(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (StringCharCodeAt(text, i) === 58) return i;
  return -1;
}

function parsePort(text: string): number | null {
  if (text.length === 0 || text.length > 5) return null;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = StringCharCodeAt(text, i);
    if (c < 48 || c > 57) return null;
    value = value * 10 + (c - 48);
  }
  return value <= 65_535 ? value : null;
}

/** The plain form the host accepts: validated here, again by the network. */
export interface PlainAddress {
  address: string;
  port: number;
}

export function toSocketAddr(value: unknown, caller: AnyFunction): PlainAddress {
  if (isSocketAddrV4(value)) return { address: value.ip().toString(), port: value.port() };
  if (typeof value === "string") {
    let parsed: SocketAddrV4;
    try {
      parsed = SocketAddrV4.parse(value);
    } catch {
      throw new AddrParseError(
        `invalid socket address syntax: "${value}" (expected like "10.0.0.53:53")`,
        caller,
      );
    }
    return { address: parsed.ip().toString(), port: parsed.port() };
  }
  throw new TypeErrorCtor('a socket address is a SocketAddrV4 or text like "10.0.0.53:53"');
}

export function toIpv4Text(value: unknown, what: string): string {
  if (isIpv4Addr(value)) return value.toString();
  if (typeof value === "string") {
    const octets = parseOctets(value);
    if (octets) return value;
    throw new AddrParseError(`invalid IPv4 address syntax for ${what}: "${value}"`);
  }
  throw new TypeErrorCtor(`${what} must be an Ipv4Addr or a dotted quad like "10.0.0.2"`);
}
