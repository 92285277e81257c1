// The web app's only door to the service: typed HTTP calls (openapi-fetch over the types
// openapi-typescript generated from /docs/json) and the session stream. Components get data
// from here; none of them calls fetch or opens a socket.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

type Schemas = components["schemas"];
export type Packet = Schemas["Packet"];
export type Layer = Schemas["Layer"];
export type Field = Schemas["Field"];
export type Grade = Schemas["Grade"];
export type Check = Schemas["Check"];
export type CheckSubject = Schemas["CheckSubject"];
export type OutputLine = Schemas["OutputLine"];
export type Lesson = Schemas["Lesson"];
export type LessonSummary = Schemas["LessonSummary"];
export type Exercise = Schemas["Exercise"];
export type Session = Schemas["Session"];
export type Progress = Schemas["Progress"];
export type Me = Schemas["Me"];
export type Class = Schemas["Class"];
export type ClassProgress = Schemas["ClassProgress"];
export type ProgressCell = Schemas["ProgressCell"];
export type ActivityEvent = Schemas["ActivityEvent"];
export type ActivityJoinEvent = Schemas["ActivityJoinEvent"];
/** A change to the roster or the class, made anywhere (another tab, a script). */
export type ActivityRosterEvent =
  | Schemas["ActivityLearnerRenamedEvent"]
  | Schemas["ActivityLearnerRemovedEvent"]
  | Schemas["ActivityLearnersMergedEvent"]
  | Schemas["ActivityClassUpdatedEvent"];
/** The feed's last event: the class was deleted (in another tab, by a script, with its teacher). */
export type ActivityClassDeletedEvent = Schemas["ActivityClassDeletedEvent"];
export type ExerciseStats = Schemas["ExerciseStats"];
export type Submission = Schemas["Submission"];
export type SubmissionSummary = Schemas["SubmissionSummary"];
export type SubmissionResult = Schemas["SubmissionResult"];
export type Language = Schemas["Language"];
export type ErrorCode = Schemas["ErrorCode"];
export type StreamServerMessage = Schemas["StreamServerMessage"];
export type StreamClientMessage = Schemas["StreamClientMessage"];
export type RunFinished = Schemas["StreamRunFinished"];
export type LearnerError = Schemas["LearnerError"];

/** An error answer of the API, with its stable code. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    /** PENDING: a submission sent with `Prefer: respond-async` elsewhere, not graded yet. */
    readonly code: ErrorCode | "NETWORK" | "PENDING",
    message: string,
  ) {
    super(message);
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** A 204 answer has no body: true stands for it. */
const done = <T extends { response: Response }>(answer: T) => ({ ...answer, data: true as const });

/** The body of a successful answer, or an ApiError with the API's own code and message. */
async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch (error) {
    throw new ApiError(0, "NETWORK", `The service cannot be reached (${String(error)}).`);
  }
  if (answer.error !== undefined || answer.data === undefined) {
    const body = answer.error as Schemas["Error"] | undefined;
    throw new ApiError(
      answer.response.status,
      body?.error?.code ?? "INTERNAL_ERROR",
      body?.error?.message ?? `HTTP ${answer.response.status}`,
    );
  }
  return answer.data;
}

/** The API as one account (or anyone, without a token) sees it. */
export function createApi(token?: string, baseUrl = location.origin) {
  const client = createClient<paths>({ baseUrl });
  const auth: Middleware = {
    onRequest({ request }) {
      if (token) request.headers.set("authorization", `Bearer ${token}`);
      return request;
    },
  };
  client.use(auth);

  return {
    me: () => unwrap(client.GET("/v1/me")),
    logout: () => unwrap(client.DELETE("/v1/tokens/current").then(done)),
    join: (joinCode: string, displayName: string) =>
      unwrap(client.POST("/v1/classes/join", { body: { joinCode, displayName } })),
    lessons: () => unwrap(client.GET("/v1/lessons")),
    lesson: (lessonId: string) =>
      unwrap(client.GET("/v1/lessons/{lessonId}", { params: { path: { lessonId } } })),
    /** The lesson's latest session, or a new one: the same seed, so Alice keeps her address. */
    resumeSession: (lessonId: string) =>
      unwrap(client.POST("/v1/sessions", { body: { lessonId, resume: true } })),
    progress: () => unwrap(client.GET("/v1/progress")),
    submissions: (query: { lessonId?: string; exerciseId?: string; cursor?: string }) =>
      unwrap(client.GET("/v1/submissions", { params: { query } })),
    submission: async (submissionId: string): Promise<Submission> => {
      const answer = await unwrap(
        client.GET("/v1/submissions/{submissionId}", { params: { path: { submissionId } } }),
      );
      if ("grade" in answer) return answer;
      throw new ApiError(
        202,
        "PENDING",
        "This submission is still being graded; try again shortly.",
      );
    },
    trace: (submissionId: string) =>
      unwrap(
        client.GET("/v1/submissions/{submissionId}/trace", {
          params: { path: { submissionId } },
        }),
      ),
    /** A link to a download that works without a token for 5 minutes. */
    downloadLink: (path: string) => unwrap(client.POST("/v1/download-links", { body: { path } })),
    classes: () => unwrap(client.GET("/v1/classes")),
    createClass: (name: string) => unwrap(client.POST("/v1/classes", { body: { name } })),
    setJoinsOpen: (classId: string, joinsOpen: boolean) =>
      unwrap(
        client.PATCH("/v1/classes/{classId}", {
          params: { path: { classId } },
          body: { joinsOpen },
        }),
      ),
    deleteClass: (classId: string) =>
      unwrap(client.DELETE("/v1/classes/{classId}", { params: { path: { classId } } }).then(done)),
    renameLearner: (classId: string, learnerId: string, displayName: string) =>
      unwrap(
        client.PATCH("/v1/classes/{classId}/learners/{learnerId}", {
          params: { path: { classId, learnerId } },
          body: { displayName },
        }),
      ),
    removeLearner: (classId: string, learnerId: string) =>
      unwrap(
        client
          .DELETE("/v1/classes/{classId}/learners/{learnerId}", {
            params: { path: { classId, learnerId } },
          })
          .then(done),
      ),
    /** Merges `fromLearnerId` (who joined twice) into `learnerId`. */
    mergeLearner: (classId: string, learnerId: string, fromLearnerId: string) =>
      unwrap(
        client.POST("/v1/classes/{classId}/learners/{learnerId}/merge", {
          params: { path: { classId, learnerId } },
          body: { fromLearnerId },
        }),
      ),
    classProgress: (classId: string) =>
      unwrap(client.GET("/v1/classes/{classId}/progress", { params: { path: { classId } } })),
    classStats: (classId: string) =>
      unwrap(client.GET("/v1/classes/{classId}/stats", { params: { path: { classId } } })),
    learnerSubmissions: (classId: string, learnerId: string, cursor?: string) =>
      unwrap(
        client.GET("/v1/classes/{classId}/learners/{learnerId}/submissions", {
          params: { path: { classId, learnerId }, query: cursor ? { cursor } : {} },
        }),
      ),
    wsTicket: () => unwrap(client.POST("/v1/ws-tickets")),
    baseUrl,
  };
}

export type Api = ReturnType<typeof createApi>;
