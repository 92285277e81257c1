// A logger that keeps what it is given, by level: for tests that assert what the service logs.
import type { FastifyBaseLogger } from "fastify";

export interface LoggedLine {
  level: string;
  object: unknown;
  message?: string;
}

export function recordingLogger(): { logger: FastifyBaseLogger; lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const at = (level: string) => (object: unknown, message?: string) =>
    void lines.push({ level, object, ...(message === undefined ? {} : { message }) });
  const logger = {
    level: "info",
    fatal: at("fatal"),
    error: at("error"),
    warn: at("warn"),
    info: at("info"),
    debug: at("debug"),
    trace: at("trace"),
    silent: () => {},
    child: () => logger,
  };
  return { logger: logger as unknown as FastifyBaseLogger, lines };
}
