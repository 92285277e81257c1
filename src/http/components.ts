// Every named schema of the API, registered once with fastify (so routes can ref() them and
// responses are serialised by them) and published by @fastify/swagger under components/schemas.
import {
  Exercise,
  ExerciseCheck,
  ExerciseSummary,
  Lesson,
  LessonSummary,
  Session,
  TopologyView,
} from "./lesson-schemas.ts";
import { classReportSchemas } from "./class-report-schemas.ts";
import { classSchemas } from "./class-schemas.ts";
import { rosterSchemas } from "./roster.ts";
import { activitySchemas } from "./activity-schemas.ts";
import { downloadSchemas } from "./downloads.ts";
import { healthSchemas } from "./health.ts";
import { lessonListSchemas } from "./lessons.ts";
import { meSchemas } from "./me.ts";
import { packetSchemas, Trace } from "./packet-schemas.ts";
import { pendingSchemas } from "./pending-schemas.ts";
import { progressSchemas } from "./progress.ts";
import { sessionRequestSchemas } from "./sessions.ts";
import { streamSchemas } from "./stream-messages.ts";
import { ltiSchemas } from "./lti-admin.ts";
import { webhookSchemas } from "./webhook-schemas.ts";
import {
  CheckResult,
  CheckSubject,
  ErrorCode,
  ErrorResponse,
  Grade,
  Language,
  LearnerError,
  Outcome,
  OutputLine,
  ProgressItem,
  ProgressStatus,
  SubmissionPage,
  SubmissionResult,
  Submission,
  SubmissionSummary,
  SubmitBody,
  Timings,
} from "./schemas.ts";

export const namedSchemas = [
  ...classSchemas,
  ...classReportSchemas,
  ...rosterSchemas,
  ...activitySchemas,
  ...lessonListSchemas,
  ...progressSchemas,
  ...healthSchemas,
  ...sessionRequestSchemas,
  ...meSchemas,
  ...downloadSchemas,
  ...streamSchemas,
  ...webhookSchemas,
  ...ltiSchemas,
  ...pendingSchemas,
  ErrorCode,
  ErrorResponse,
  ...packetSchemas,
  Trace,
  Language,
  Outcome,
  CheckSubject,
  CheckResult,
  Grade,
  OutputLine,
  LearnerError,
  Timings,
  SubmissionSummary,
  Submission,
  SubmissionResult,
  SubmissionPage,
  SubmitBody,
  ProgressStatus,
  ProgressItem,
  ExerciseSummary,
  LessonSummary,
  ExerciseCheck,
  Exercise,
  Lesson,
  TopologyView,
  Session,
];
