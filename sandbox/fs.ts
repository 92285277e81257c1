// The "fs" module: read-only files the exercise provides (RunRequest.files), fetched lazily.
import { IoError } from "./errors.ts";
import { callHost } from "./host.ts";
import { TypeErrorCtor } from "./primordials.ts";
import { Op } from "./protocol.ts";

export function readFile(name: string): Uint8Array {
  if (typeof name !== "string") throw new TypeErrorCtor("readFile() needs a file name (a string)");
  const bytes = callHost(readFile, Op.readFile, name);
  if (bytes === null) {
    throw new IoError(
      "NotFound",
      `no file named "${name}" (listFiles() names the files there are)`,
      readFile,
    );
  }
  return bytes as Uint8Array;
}

export function listFiles(): string[] {
  return callHost(listFiles, Op.listFiles) as string[];
}
