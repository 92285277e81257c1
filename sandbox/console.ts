// console.* as OutputLine events: log/info/debug to stdout, warn/error to stderr.
import type { AnyFunction } from "./primordials.ts";
import { callHost } from "./host.ts";
import { formatArgs } from "./inspect.ts";
import { ObjectFreeze, StringSlice } from "./primordials.ts";
import { Op } from "./protocol.ts";

export function createConsole(maxChars: number): Console {
  const write = (stream: 0 | 1, caller: AnyFunction, args: unknown[]) => {
    let text = formatArgs(args);
    // Cut before copying: the host keeps at most the output cap anyway, and a string longer than
    // the cap in characters is longer in UTF-8 bytes too.
    if (text.length > maxChars) text = StringSlice(text, 0, maxChars);
    callHost(caller, Op.output, stream, text);
  };
  const console = {
    log(...args: unknown[]) {
      write(0, console.log, args);
    },
    info(...args: unknown[]) {
      write(0, console.info, args);
    },
    debug(...args: unknown[]) {
      write(0, console.debug, args);
    },
    warn(...args: unknown[]) {
      write(1, console.warn, args);
    },
    error(...args: unknown[]) {
      write(1, console.error, args);
    },
  };
  return ObjectFreeze(console) as unknown as Console;
}
