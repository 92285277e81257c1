// What a verified launch does: the LMS course becomes (or finds) a packetlab class, the user a
// learner enrolled in it or a teacher who owns it, and the exercise the link points at gets the
// line item its scores go to. Runs only after validateLaunch accepted the id_token.
import type { LessonCatalogue } from "../../grading/types.ts";
import type { LtiStore, RegistrationRecord } from "../../progress/lti.ts";
import type { OutboundHttp } from "../outbound-http.ts";
import { resolveLineItem } from "./ags.ts";
import { packetlabRole, SCOPES } from "./claims.ts";
import type { ServiceTokens } from "./service-tokens.ts";
import type { LaunchClaims } from "./validate-launch.ts";

export interface LaunchResult {
  role: "teacher" | "learner";
  token: string;
  name: string;
  classId: string | undefined;
  lessonId: string | undefined;
  exerciseId: string | undefined;
  lineItemId: string | undefined;
}

/** The exercise a link points at: custom parameters (Deep Linking sets them) or the URL's query. */
export function linkedExercise(claims: LaunchClaims, catalogue: Pick<LessonCatalogue, "get">) {
  let lessonId = typeof claims.custom.lesson === "string" ? claims.custom.lesson : undefined;
  let exerciseId = typeof claims.custom.exercise === "string" ? claims.custom.exercise : undefined;
  if (!lessonId && claims.targetLinkUri) {
    try {
      const query = new URL(claims.targetLinkUri).searchParams;
      lessonId = query.get("lesson") ?? undefined;
      exerciseId = query.get("exercise") ?? undefined;
    } catch {
      // Not a URL: no exercise.
    }
  }
  const lesson = lessonId ? catalogue.get(lessonId) : undefined;
  if (!lesson) return { lessonId: undefined, exerciseId: undefined, title: undefined };
  const exercise = lesson.exercises.find((entry) => entry.id === exerciseId);
  return {
    lessonId: lesson.id,
    exerciseId: exercise?.id,
    title: exercise ? `${lesson.title}: ${exercise.title}` : lesson.title,
  };
}

export async function completeLaunch(
  deps: {
    store: LtiStore;
    catalogue: Pick<LessonCatalogue, "get">;
    http: OutboundHttp;
    tokens: Pick<ServiceTokens, "get">;
  },
  registration: RegistrationRecord,
  claims: LaunchClaims,
): Promise<LaunchResult> {
  const { store } = deps;
  const role = packetlabRole(claims.roles);
  const teacherId =
    role === "teacher"
      ? await store.teacherFor(registration.id, claims.sub, claims.name)
      : undefined;
  const classId = claims.context
    ? await store.classForContext({
        registration,
        contextId: claims.context.id,
        title: claims.context.title,
        membershipsUrl: claims.nrps?.contextMembershipsUrl,
        instructorTeacherId: teacherId,
      })
    : undefined;
  const linked = linkedExercise(claims, deps.catalogue);
  let lineItemId: string | undefined;
  if (classId && claims.ags && linked.lessonId && linked.exerciseId) {
    const url = await resolveLineItem(deps, registration, claims.ags, {
      lessonId: linked.lessonId,
      exerciseId: linked.exerciseId,
      resourceLinkId: claims.resourceLinkId,
      label: linked.title,
    }).catch(() => undefined);
    if (url) {
      lineItemId = await store.upsertLineItem({
        registrationId: registration.id,
        classId,
        lessonId: linked.lessonId,
        exerciseId: linked.exerciseId,
        url,
        scoreMaximum: 100,
        scopes: claims.ags.scope.filter((scope) => Object.values(SCOPES).includes(scope as never)),
      });
    }
  }
  if (role === "teacher") {
    return {
      role,
      token: await store.issueToken({ teacherId: teacherId! }),
      name: claims.name,
      classId,
      lessonId: linked.lessonId,
      exerciseId: linked.exerciseId,
      lineItemId,
    };
  }
  if (!classId) {
    // A learner needs a class to belong to; a launch without a context has none.
    throw new Error("a learner's launch needs a context (course)");
  }
  const learnerId = await store.learnerFor(registration.id, claims.sub, claims.name, classId);
  return {
    role,
    token: await store.issueToken({ learnerId }),
    name: claims.name,
    classId,
    lessonId: linked.lessonId,
    exerciseId: linked.exerciseId,
    lineItemId,
  };
}
