// A new embedded data directory starts from a template instead of running initdb and every
// migration: initdb in PGlite costs about 3 s of CPU, the migrations about 1.5 s. The template is
// a cluster with prisma/migrations applied and no data, which scripts/build.mjs dumps into dist/
// (`npm ci` builds it). It is named after the PGlite version that made it and the migrations it
// holds, so an upgraded PGlite or a new migration never starts from another build's files (with
// no template for them, PGlite runs initdb and the service migrates, as without a template).
//
// The template is unpacked here, onto the disk, before PGlite opens the directory as an existing
// one. Handed to PGlite instead (its `loadDataDir` option), the ~40 MB of files went through
// PGlite's in-memory file system first: opening took 1.1 s instead of 0.5 s, and ~130 MB of the
// API's RSS (~85 MB of array buffers) stayed until the process ended.
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join, resolve, sep } from "node:path";
import { pipeline } from "node:stream";
import { fileURLToPath } from "node:url";
import { createGunzip } from "node:zlib";
import type { PGlite } from "@electric-sql/pglite";
import type { RawTransaction } from "./database.ts";
import { defaultMigrationsDir, migrate, readMigrations } from "./migrate.ts";

const DIST = fileURLToPath(new URL("../../dist/", import.meta.url));

/**
 * Present while a template is being unpacked: a directory holding it was left half-unpacked by
 * an interrupted start, and is unpacked again from scratch. PostgreSQL never creates it.
 */
export const UNPACKING_MARKER = ".packetlab-unpacking";

/** The installed PGlite's version, from its package.json. */
export function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  let dir = dirname(entry);
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string })
    .version;
}

/** The migrations a template holds, by name and checksum: 12 hex digits. */
function migrationsKey(migrationsDir: string): string {
  const hash = createHash("sha256");
  for (const file of readMigrations(migrationsDir)) hash.update(`${file.name} ${file.checksum}\n`);
  return hash.digest("hex").slice(0, 12);
}

export function templatePath(distDir = DIST, migrationsDir = defaultMigrationsDir): string {
  return join(distDir, `pglite-template-${pgliteVersion()}-${migrationsKey(migrationsDir)}.tar.gz`);
}

/** Raw SQL in one PGlite transaction, for the migrator. */
export function pgliteRawTransaction<T>(
  pglite: PGlite,
  fn: (tx: RawTransaction) => Promise<T>,
): Promise<T> {
  return pglite.transaction((tx) =>
    fn({
      query: async <Row>(text: string, params?: unknown[]) =>
        (await tx.query<Row>(text, params)).rows,
      exec: async (text) => void (await tx.exec(text)),
    }),
  );
}

/**
 * A template: a new cluster in memory, the migrations applied as the service applies them
 * (recorded in `_prisma_migrations`, so the service finds nothing left to do), dumped as a
 * gzipped tar.
 */
export async function makeTemplate(migrationsDir = defaultMigrationsDir): Promise<Buffer> {
  const { PGlite } = await import("@electric-sql/pglite");
  const pglite = new PGlite();
  try {
    await migrate({ rawTransaction: (fn) => pgliteRawTransaction(pglite, fn) }, migrationsDir);
    const dump = await pglite.dumpDataDir("gzip");
    return Buffer.from(await dump.arrayBuffer());
  } finally {
    await pglite.close();
  }
}

/** Whether `dataDir` is new (absent or empty) or holds a start-up's unfinished unpacking. */
function needsTemplate(dataDir: string): boolean {
  if (!existsSync(dataDir)) return true;
  const entries = readdirSync(dataDir);
  return entries.length === 0 || entries.includes(UNPACKING_MARKER);
}

/**
 * Unpacks the template into `dataDir` if the directory is new (or was left half-unpacked) and a
 * template exists. Returns whether it did; a directory already in use is never touched.
 */
export async function unpackTemplate(
  dataDir: string,
  distDir = DIST,
  migrationsDir = defaultMigrationsDir,
): Promise<boolean> {
  if (!needsTemplate(dataDir)) return false;
  const path = templatePath(distDir, migrationsDir);
  if (!existsSync(path)) return false;
  mkdirSync(dataDir, { recursive: true });
  // Only a directory marked as ours is emptied: one with any other file was not new.
  for (const entry of readdirSync(dataDir)) {
    if (entry !== UNPACKING_MARKER) rmSync(join(dataDir, entry), { recursive: true, force: true });
  }
  const marker = join(dataDir, UNPACKING_MARKER);
  writeFileSync(marker, "");
  const root = resolve(dataDir);
  // PG_VERSION last: it is the file that makes PostgreSQL take a directory for a cluster.
  let version: { target: string; body: Buffer; mode: number } | undefined;
  const unzipped = createGunzip();
  // A read error destroys `unzipped` with it, which ends the loop below with that error.
  pipeline(createReadStream(path), unzipped, () => {});
  for await (const entry of tarEntries(unzipped)) {
    const target = resolve(root, `.${sep}${entry.name}`);
    if (target === root) continue;
    if (!target.startsWith(root + sep)) {
      throw new Error(
        `the embedded database's template has a path outside the directory: ${entry.name}`,
      );
    }
    // The template's cluster was running when it was dumped; a new one has no postmaster.
    if (target === join(root, "postmaster.pid")) continue;
    if (entry.type === "directory") mkdirSync(target, { recursive: true, mode: entry.mode });
    else if (target === join(root, "PG_VERSION")) version = { target, ...entry };
    else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, entry.body, { mode: entry.mode });
    }
  }
  if (!version) throw new Error(`the embedded database's template ${path} has no PG_VERSION`);
  writeFileSync(version.target, version.body, { mode: version.mode });
  rmSync(marker);
  return true;
}

interface TarEntry {
  name: string;
  type: "file" | "directory";
  mode: number;
  body: Buffer;
}

const BLOCK = 512;

/**
 * The entries of a ustar archive (what PGlite's dumpDataDir writes: files and directories, no
 * extended headers), read as the stream arrives; a file's body is held whole (the largest is a
 * 16 MB WAL segment).
 */
async function* tarEntries(stream: NodeJS.ReadableStream): AsyncGenerator<TarEntry> {
  const queued: Buffer[] = [];
  let queuedBytes = 0;
  // Each byte is copied once, whatever the chunk sizes.
  function take(bytes: number): Buffer {
    const out = Buffer.allocUnsafe(bytes);
    let filled = 0;
    while (filled < bytes) {
      const head = queued[0]!;
      const used = Math.min(head.length, bytes - filled);
      head.copy(out, filled, 0, used);
      filled += used;
      if (used === head.length) queued.shift();
      else queued[0] = head.subarray(used);
    }
    queuedBytes -= bytes;
    return out;
  }
  let header: { name: string; type: TarEntry["type"]; mode: number; size: number } | null = null;
  let ended = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (ended) continue;
    queued.push(chunk);
    queuedBytes += chunk.length;
    for (;;) {
      if (!header) {
        if (queuedBytes < BLOCK) break;
        const block = take(BLOCK);
        if (block.every((byte) => byte === 0)) {
          ended = true;
          break;
        }
        header = parseHeader(block);
        if (header.size > 0) continue;
        yield { ...header, body: Buffer.alloc(0) };
        header = null;
        continue;
      }
      const padded = Math.ceil(header.size / BLOCK) * BLOCK;
      if (queuedBytes < padded) break;
      const body = take(padded).subarray(0, header.size);
      yield { ...header, body };
      header = null;
    }
  }
  if (!ended) throw new Error("the embedded database's template ends in the middle of an entry");
}

function parseHeader(block: Buffer) {
  const text = (start: number, length: number) => {
    const field = block.subarray(start, start + length);
    const end = field.indexOf(0);
    return field.subarray(0, end < 0 ? length : end).toString("utf8");
  };
  const octal = (start: number, length: number) => parseInt(text(start, length).trim() || "0", 8);
  const checksum = octal(148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  if (sum !== checksum) throw new Error("the embedded database's template is not a tar archive");
  const prefix = text(257, 6) === "ustar" ? text(345, 155) : "";
  const name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
  const flag = String.fromCharCode(block[156]!);
  const type = flag === "5" ? "directory" : flag === "0" || flag === "\0" ? "file" : null;
  if (!type) {
    throw new Error(`the embedded database's template has an entry of tar type "${flag}": ${name}`);
  }
  return { name, type, mode: octal(100, 8) & 0o777, size: octal(124, 12) } as const;
}
