// The one error handler: maps everything thrown in a route to the registry's codes. A caller's
// mistake never becomes a 500; a 5xx's details go to the log, not to the caller.
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { DatabaseUnavailableError } from "../progress/errors.ts";
import { ApiError, errorBody, errorCodes, type ErrorCode } from "./errors.ts";
import { unsupportedLanguage } from "./submitter.ts";

function classify(
  error: FastifyError,
  request: FastifyRequest,
): {
  code: ErrorCode;
  message: string;
  headers?: Record<string, string>;
} {
  if (error instanceof ApiError)
    return { code: error.code, message: error.message, headers: error.headers };
  if (error instanceof DatabaseUnavailableError) {
    return {
      code: "DATABASE_UNAVAILABLE",
      message: "The database cannot be reached; retry shortly.",
      headers: { "retry-after": "5" },
    };
  }
  if (error.validation) {
    // The body's language is an enum in the schema (so clients get its values); a value outside
    // it keeps its own code, which names the languages the sandbox runs.
    const language = error.validation.find(
      (issue) => issue.keyword === "enum" && issue.instancePath === "/language",
    );
    if (language && error.validationContext === "body") {
      const refused = unsupportedLanguage((request.body as { language?: unknown }).language);
      return { code: refused.code, message: refused.message };
    }
    return { code: "VALIDATION_FAILED", message: `Invalid request: ${error.message}.` };
  }
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { code: "INVALID_JSON", message: error.message };
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return {
        code: "BODY_TOO_LARGE",
        message: "The request body is larger than this endpoint accepts.",
      };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return {
        code: "UNSUPPORTED_MEDIA_TYPE",
        message: `${error.message}; send application/json.`,
      };
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return {
        code: "VALIDATION_FAILED",
        message: "The Content-Length header does not match the body.",
      };
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return {
      code: "INVALID_JSON",
      message: `The request body is not valid JSON: ${error.message}.`,
    };
  }
  if (error.statusCode === 429) {
    return { code: "RATE_LIMITED", message: error.message };
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    // Any other client error fastify raises (bad headers, URL too long…): keep its message.
    return { code: "VALIDATION_FAILED", message: error.message };
  }
  return { code: "INTERNAL_ERROR", message: "Something went wrong on our side; it was logged." };
}

/**
 * Ajv coerces "Infinity" and "1e309" in a query string to the number Infinity, calls it an
 * integer and skips minimum/maximum for it (they only look at finite numbers); JSON.parse reads
 * 1e309 as Infinity too. Refused here, after validation, for every route: such a value would
 * reach the database.
 */
function rejectNonFiniteNumbers(request: FastifyRequest): void {
  const parts = { querystring: request.query, params: request.params, body: request.body };
  for (const [part, values] of Object.entries(parts)) {
    if (typeof values !== "object" || values === null) continue;
    for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
      if (typeof value === "number" && !Number.isFinite(value)) {
        throw new ApiError(
          "VALIDATION_FAILED",
          `Invalid request: ${part}/${name} must be a finite number.`,
        );
      }
    }
  }
}

/** How often refusals for overload (every sandbox busy) are summed up in the log. */
export const OVERLOAD_LOG_INTERVAL_MS = 10_000;

/**
 * Refusals for overload are expected under load, and each one logged at error level with its
 * stack cost more than the refusal (10 MB of log in 20 s): the first is logged as a warning,
 * then one warning per interval with how many there were.
 */
function overloadLog(app: FastifyInstance, intervalMs: number) {
  let count = 0;
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (count === 0) {
      timer = null;
      return;
    }
    app.log.warn({ code: "RUNNER_BUSY", refused: count, intervalMs }, "runs refused: busy");
    count = 0;
    timer = setTimeout(flush, intervalMs).unref();
  };
  return () => {
    if (timer) {
      count++;
      return;
    }
    app.log.warn({ code: "RUNNER_BUSY", refused: 1 }, "runs refused: busy");
    timer = setTimeout(flush, intervalMs).unref();
  };
}

export function installErrorHandler(
  app: FastifyInstance,
  overloadLogIntervalMs = OVERLOAD_LOG_INTERVAL_MS,
): void {
  const refusedForOverload = overloadLog(app, overloadLogIntervalMs);
  app.addHook("preHandler", async (request) => rejectNonFiniteNumbers(request));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { code, message, headers } = classify(error, request);
    const status = error instanceof ApiError ? error.statusCode : statusOf(code);
    if (code === "RUNNER_BUSY") refusedForOverload();
    else if (status >= 500) request.log.error({ err: error, code }, "request failed");
    else request.log.info({ code, message }, "request refused");
    if (headers) void reply.headers(headers);
    if (code === "UNAUTHENTICATED")
      void reply.header("www-authenticate", 'Bearer realm="packetlab"');
    return reply.status(status).send(errorBody(code, message, request.id));
  });
  app.setNotFoundHandler((request, reply) => {
    return reply
      .status(404)
      .send(
        errorBody(
          "ROUTE_NOT_FOUND",
          `No endpoint ${request.method} ${request.url.split("?")[0]}.`,
          request.id,
        ),
      );
  });
}

function statusOf(code: ErrorCode): number {
  return errorCodes[code].status;
}
