// One registry of the API's error codes, over HTTP and the session stream alike. A code is
// stable (clients branch on it); the message says what was wrong with what the caller sent.
// Every error body has one shape: { error: { code, message, requestId } } (the stream's `error`
// message carries the same object). The status is the HTTP status; the stream-only codes have
// the status their HTTP twin would have.

export const errorCodes = {
  INVALID_JSON: { status: 400, title: "The request body is not valid JSON." },
  VALIDATION_FAILED: {
    status: 400,
    title: "A field of the request is missing or has the wrong form.",
  },
  INVALID_CURSOR: { status: 400, title: "The pagination cursor is not one this API returned." },
  UNAUTHENTICATED: { status: 401, title: "A valid bearer token is required." },
  FORBIDDEN: { status: 403, title: "This kind of account may not do this." },
  NOT_FOUND: { status: 404, title: "No such resource (or it is not yours)." },
  ROUTE_NOT_FOUND: { status: 404, title: "No such endpoint." },
  LESSON_NOT_FOUND: { status: 404, title: "No lesson has this id." },
  EXERCISE_NOT_FOUND: { status: 404, title: "The lesson has no exercise with this id." },
  CLASS_NOT_FOUND: { status: 404, title: "No class has this join code." },
  SESSION_NOT_FOUND: { status: 404, title: "No session of yours has this id." },
  SUBMISSION_NOT_FOUND: { status: 404, title: "No submission you may see has this id." },
  SUBMISSION_NOT_GRADED: {
    status: 410,
    title:
      "The asynchronous submission could not be graded and never will be (the message says why); submit the program again.",
  },
  METHOD_NOT_ALLOWED: { status: 405, title: "The endpoint does not accept this method." },
  INVALID_MESSAGE: {
    status: 400,
    title: "A session stream message is not JSON, or not one of the client messages.",
  },
  URL_NOT_ALLOWED: {
    status: 400,
    title:
      "The URL may not be called: not http(s), or a private address (see OUTBOUND_ALLOW_PRIVATE).",
  },
  LTI_UNKNOWN_PLATFORM: {
    status: 400,
    title: "No LMS is registered with this issuer, client_id and deployment.",
  },
  LTI_LAUNCH_REFUSED: {
    status: 401,
    title: "The LTI launch is refused: its state or id_token did not pass validation.",
  },
  LTI_REGISTRATION_EXISTS: {
    status: 409,
    title: "An LMS with this issuer and client_id is registered already.",
  },
  LTI_ROSTER_UNAVAILABLE: {
    status: 409,
    title: "The class's roster cannot be read from its LMS.",
  },
  NOT_DOWNLOADABLE: { status: 400, title: "The path is not a download a link can be made for." },
  ORIGIN_NOT_ALLOWED: {
    status: 403,
    title: "The page's origin may not open the session stream (see CORS_ORIGINS).",
  },
  RUN_NOT_FOUND: { status: 404, title: "No run of this stream has this runId to cancel." },
  RUN_IN_PROGRESS: {
    status: 409,
    title: "The stream is running a program already; cancel it or wait for run-finished.",
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    title: "The Idempotency-Key was used for a different submission.",
  },
  CODE_TOO_LARGE: { status: 413, title: "The submitted program is larger than allowed." },
  BODY_TOO_LARGE: { status: 413, title: "The request body is larger than allowed." },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: "The request's Content-Type is not accepted here.",
  },
  UNSUPPORTED_LANGUAGE: { status: 422, title: "The language is not one the sandbox runs." },
  RATE_LIMITED: { status: 429, title: "Too many submissions; wait before sending more." },
  JOIN_RATE_LIMITED: {
    status: 429,
    title: "Too many failed join attempts from this address; wait before trying again.",
  },
  TOO_MANY_JOINS: {
    status: 429,
    title:
      "Too many learners joined from this address, or this class, this hour (JOIN_LIMIT_PER_ADDRESS, JOIN_LIMIT_PER_CLASS).",
  },
  CLASS_CLOSED: { status: 403, title: "The teacher closed this class to new learners." },
  TOO_MANY_RUNS: {
    status: 429,
    title: "You have as many runs going as allowed (RUNS_PER_LEARNER); wait for one to finish.",
  },
  INTERNAL_ERROR: { status: 500, title: "Something went wrong on our side; it was logged." },
  DATABASE_UNAVAILABLE: { status: 503, title: "The database cannot be reached; retry shortly." },
  RUNNER_BUSY: { status: 503, title: "Every sandbox is busy; retry shortly." },
  COMPILER_BUSY: { status: 503, title: "Every compiler is busy; retry shortly." },
  SHUTTING_DOWN: { status: 503, title: "The service is restarting; retry shortly." },
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class ApiError extends Error {
  override name = "ApiError";
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string = errorCodes[code].title,
    /** Extra response headers (Retry-After, WWW-Authenticate). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.statusCode = errorCodes[code].status;
  }
}

export function apiError(
  code: ErrorCode,
  message?: string,
  headers?: Record<string, string>,
): ApiError {
  return new ApiError(code, message, headers);
}

/** The body every error response has. */
export function errorBody(code: ErrorCode, message: string, requestId: string) {
  return { error: { code, message, requestId } };
}

/** Quotes a caller's value in a message, shortened so a huge value cannot flood a response. */
export function quote(value: string, max = 60): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}
