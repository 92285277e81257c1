// LTI 1.3: the tool's key set, OIDC login and launch (browser-facing, form-encoded), the Deep
// Linking picker, and the operator's registrations. The flow is LTI Core §5 and the Security
// Framework §5.1.1: /lti/login gets the platform's third-party login, stores a CSPRNG state and
// nonce bound to this browser by a cookie, and redirects to the platform; the platform posts an
// id_token to /lti/launch, which is verified in full before anything is stored. The operator's
// and teachers' LTI routes are in lti-admin.ts.
import { randomBytes } from "node:crypto";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import {
  deepLinkingResponse,
  pickerToken,
  readPickerToken,
} from "../integrations/lti/deep-linking.ts";
import { completeLaunch } from "../integrations/lti/launch.ts";
import { LaunchRefused, validateLaunch } from "../integrations/lti/validate-launch.ts";
import type { RouteDeps } from "./deps.ts";
import { apiError, quote } from "./errors.ts";
import { autoPostForm, escapeHtml, sendPage } from "./lti-pages.ts";

const BROWSER_COOKIE = "packetlab_lti_browser";
const STATE_LIFETIME_MS = 10 * 60_000;

const LoginParams = Type.Object({
  iss: Type.String({ minLength: 1, maxLength: 500 }),
  login_hint: Type.String({ minLength: 1, maxLength: 2000 }),
  target_link_uri: Type.String({ minLength: 1, maxLength: 2000 }),
  lti_message_hint: Type.Optional(Type.String({ maxLength: 4000 })),
  client_id: Type.Optional(Type.String({ maxLength: 200 })),
  lti_deployment_id: Type.Optional(Type.String({ maxLength: 200 })),
});

export const ltiRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  await app.register(formbody, { bodyLimit: 65_536 });
  await app.register(cookie);
  const { lti } = deps.store;
  const { toolKeys, platformKeys, tokens, http } = deps.lti;
  const publicUrl = (request: FastifyRequest) =>
    (deps.config.LTI_PUBLIC_URL ?? `${request.protocol}://${request.host}`).replace(/\/$/, "");

  app.get(
    "/lti/jwks",
    {
      schema: {
        tags: ["lti"],
        operationId: "ltiJwks",
        summary: "The tool's public keys (current, next and previous), for platforms to verify it.",
      },
    },
    async (_request, reply) =>
      reply.header("cache-control", "public, max-age=3600").send(await toolKeys.jwks()),
  );

  app.get(
    "/lti/config",
    {
      schema: {
        tags: ["lti"],
        operationId: "ltiConfig",
        summary: "The URLs to enter when registering packetlab in an LMS.",
      },
    },
    async (request) => {
      const base = publicUrl(request);
      return {
        oidcLoginUrl: `${base}/lti/login`,
        redirectUrl: `${base}/lti/launch`,
        targetLinkUri: `${base}/lti/launch`,
        deepLinkingUrl: `${base}/lti/launch`,
        jwksUrl: `${base}/lti/jwks`,
        scopes: [
          "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
          "https://purl.imsglobal.org/spec/lti-ags/scope/score",
          "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
        ],
      };
    },
  );

  // Third-party initiated login (Security Framework §5.1.1.1): GET or form POST.
  const login = async (request: FastifyRequest, params: Record<string, string | undefined>) => {
    const iss = params.iss;
    if (!iss || !params.login_hint || !params.target_link_uri)
      throw apiError("VALIDATION_FAILED", "A login needs iss, login_hint and target_link_uri.");
    const candidates = await lti.registrationsOf(iss, params.client_id);
    if (candidates.length === 0)
      throw apiError(
        "LTI_UNKNOWN_PLATFORM",
        `No platform is registered with issuer ${quote(iss)}${params.client_id ? ` and client_id ${quote(params.client_id)}` : ""}.`,
      );
    if (candidates.length > 1)
      throw apiError(
        "LTI_UNKNOWN_PLATFORM",
        `Several registrations share issuer ${quote(iss)}; the platform must send client_id.`,
      );
    const registration = candidates[0]!;
    if (params.lti_deployment_id && !registration.deploymentIds.includes(params.lti_deployment_id))
      throw apiError(
        "LTI_UNKNOWN_PLATFORM",
        `Deployment ${quote(params.lti_deployment_id)} is not registered.`,
      );
    const state = randomBytes(32).toString("base64url");
    const nonce = randomBytes(32).toString("base64url");
    const browser =
      (request.cookies[BROWSER_COOKIE] as string | undefined) ??
      randomBytes(32).toString("base64url");
    await lti.createLaunchState({
      state,
      nonce,
      registrationId: registration.id,
      browser,
      expiresAt: new Date(Date.now() + STATE_LIFETIME_MS),
    });
    const auth = new URL(registration.authLoginUrl);
    const query = {
      scope: "openid",
      response_type: "id_token",
      response_mode: "form_post",
      prompt: "none",
      client_id: registration.clientId,
      redirect_uri: `${publicUrl(request)}/lti/launch`,
      login_hint: params.login_hint,
      state,
      nonce,
      ...(params.lti_message_hint ? { lti_message_hint: params.lti_message_hint } : {}),
    };
    for (const [name, value] of Object.entries(query)) auth.searchParams.set(name, value);
    return { location: auth.toString(), browser };
  };

  const loginSchema = {
    tags: ["lti"],
    summary: "OIDC login initiation from an LMS; redirects to the platform's authorisation URL.",
  };
  app.get(
    "/lti/login",
    { schema: { ...loginSchema, operationId: "ltiLoginGet", querystring: LoginParams } },
    async (request, reply) => redirectWithCookie(reply, await login(request, request.query)),
  );
  app.post(
    "/lti/login",
    {
      schema: { ...loginSchema, operationId: "ltiLoginPost", body: LoginParams },
    },
    async (request, reply) => redirectWithCookie(reply, await login(request, request.body)),
  );

  function redirectWithCookie(reply: FastifyReply, target: { location: string; browser: string }) {
    // SameSite=None: the launch is a cross-site POST from the LMS, which must carry it back.
    return reply
      .setCookie(BROWSER_COOKIE, target.browser, {
        path: "/lti",
        httpOnly: true,
        secure: true,
        sameSite: "none",
        maxAge: STATE_LIFETIME_MS / 1000,
      })
      .redirect(target.location, 302);
  }

  app.post(
    "/lti/launch",
    {
      schema: {
        tags: ["lti"],
        operationId: "ltiLaunch",
        summary: "The platform's form post of the id_token; opens packetlab as that user.",
        body: Type.Object({
          id_token: Type.Optional(Type.String({ maxLength: 65_536 })),
          state: Type.Optional(Type.String({ maxLength: 200 })),
          error: Type.Optional(Type.String({ maxLength: 200 })),
          error_description: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
      },
    },
    async (request, reply) => {
      const { id_token: idToken, state, error } = request.body;
      if (error) throw apiError("LTI_LAUNCH_REFUSED", `The platform answered ${quote(error)}.`);
      if (!state || !idToken)
        throw apiError("LTI_LAUNCH_REFUSED", "The launch needs id_token and state.");
      const spent = await lti.consumeLaunchState(state, request.cookies[BROWSER_COOKIE]);
      if (!spent.ok) throw apiError("LTI_LAUNCH_REFUSED", `The state is refused: ${spent.reason}.`);
      const registration = await lti.findRegistration(spent.registrationId);
      if (!registration)
        throw apiError("LTI_LAUNCH_REFUSED", "The platform's registration was deleted.");
      let claims;
      try {
        claims = await validateLaunch(idToken, {
          registration,
          nonce: spent.nonce,
          keys: platformKeys.keysAt(registration.jwksUrl),
          clockSkewS: deps.config.LTI_CLOCK_SKEW_S,
        });
      } catch (refused) {
        if (refused instanceof LaunchRefused)
          throw apiError("LTI_LAUNCH_REFUSED", `The id_token is refused: ${refused.message}.`);
        throw refused;
      }
      if (claims.messageType === "LtiDeepLinkingRequest") {
        const context = await pickerToken(toolKeys, {
          registrationId: registration.id,
          deploymentId: claims.deploymentId,
          returnUrl: claims.deepLinking!.returnUrl,
          data: claims.deepLinking!.data,
        });
        return sendPage(reply, "Choose an exercise", () => pickerPage(context));
      }
      const result = await completeLaunch(
        { store: lti, catalogue: deps.catalogue, http, tokens },
        registration,
        claims,
      ).catch((failure: Error) => {
        throw apiError("LTI_LAUNCH_REFUSED", failure.message);
      });
      // The web app's hash routes (web/src/route.ts): the exercise for a learner, the class for
      // a teacher. The app reads the account from localStorage (web/src/account.ts).
      const route =
        result.role === "learner" && result.lessonId && result.exerciseId
          ? `#/learn/${encodeURIComponent(result.lessonId)}/${encodeURIComponent(result.exerciseId)}`
          : result.role === "teacher" && result.classId
            ? `#/teach/${encodeURIComponent(result.classId)}`
            : "#/";
      const launch = {
        role: result.role,
        token: result.token,
        name: result.name,
        classId: result.classId ?? null,
        lessonId: result.lessonId ?? null,
        exerciseId: result.exerciseId ?? null,
        scoresPassedBack: result.lineItemId !== undefined,
        open: `/${route}`,
      };
      const json = JSON.stringify(launch).replace(/</g, "\\u003c");
      return sendPage(
        reply,
        "packetlab",
        (nonce) =>
          `<h1>packetlab</h1><p>Signed in as <strong>${escapeHtml(result.name)}</strong> (${result.role}).</p>` +
          (result.lessonId
            ? `<p>Lesson <code>${escapeHtml(result.lessonId)}</code>${result.exerciseId ? `, exercise <code>${escapeHtml(result.exerciseId)}</code>` : ""}.</p>`
            : "") +
          `<p><a href="${escapeHtml(launch.open)}">Open packetlab</a></p>` +
          `<script type="application/json" id="packetlab-launch">${json}</script>` +
          `<script nonce="${nonce}">try{var l=JSON.parse(document.getElementById("packetlab-launch").textContent);` +
          `localStorage.setItem("packetlab.account",JSON.stringify({role:l.role,token:l.token,name:l.name}));` +
          `location.replace(l.open)}catch(e){}</script>`,
      );
    },
  );

  function pickerPage(context: string): string {
    const items = deps.catalogue
      .list()
      .flatMap((lesson) =>
        lesson.exercises.map(
          (exercise) =>
            `<li><form method="post" action="/lti/deep-linking/select">` +
            `<input type="hidden" name="context" value="${escapeHtml(context)}">` +
            `<input type="hidden" name="lessonId" value="${escapeHtml(lesson.id)}">` +
            `<input type="hidden" name="exerciseId" value="${escapeHtml(exercise.id)}">` +
            `<button type="submit">${escapeHtml(lesson.title)}: ${escapeHtml(exercise.title)}</button></form></li>`,
        ),
      )
      .join("");
    return `<h1>Choose an exercise</h1><ul>${items}</ul>`;
  }

  app.post(
    "/lti/deep-linking/select",
    {
      schema: {
        tags: ["lti"],
        operationId: "ltiDeepLinkingSelect",
        summary:
          "The picker's choice: answers with the signed LtiDeepLinkingResponse, posted to the LMS.",
        body: Type.Object({
          context: Type.String({ maxLength: 8000 }),
          lessonId: Type.String({ maxLength: 100 }),
          exerciseId: Type.String({ maxLength: 100 }),
        }),
      },
    },
    async (request, reply) => {
      const { context, lessonId, exerciseId } = request.body;
      const picker = await readPickerToken(toolKeys, context);
      if (!picker)
        throw apiError("LTI_LAUNCH_REFUSED", "The picker's context is invalid or expired.");
      const registration = await lti.findRegistration(picker.registrationId);
      if (!registration)
        throw apiError("LTI_LAUNCH_REFUSED", "The platform's registration was deleted.");
      const lesson = deps.catalogue.get(lessonId);
      const exercise = lesson?.exercises.find((entry) => entry.id === exerciseId);
      if (!lesson || !exercise)
        throw apiError(
          "EXERCISE_NOT_FOUND",
          `No exercise ${quote(exerciseId)} in lesson ${quote(lessonId)}.`,
        );
      const jwt = await deepLinkingResponse(toolKeys, registration, picker, {
        title: `${lesson.title}: ${exercise.title}`,
        launchUrl: `${publicUrl(request)}/lti/launch`,
        lessonId,
        exerciseId,
      });
      return sendPage(reply, "Returning to the LMS", (nonce) =>
        autoPostForm(nonce, picker.returnUrl, { JWT: jwt }),
      );
    },
  );
};
