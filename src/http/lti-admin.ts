// LTI for the operator (registrations of LMSs, the tool's key rotation) and for teachers (the
// class roster from the LMS). The browser-facing launch flow is in lti.ts.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { syncRoster } from "../integrations/lti/nrps.ts";
import { checkOutboundUrl } from "../integrations/outbound-http.ts";
import type { RegistrationRecord } from "../progress/lti.ts";
import { teacherIdOf } from "./auth.ts";
import type { RouteDeps } from "./deps.ts";
import { apiError, quote } from "./errors.ts";
import { ref } from "./schema-kit.ts";
import { responses, Uuid } from "./schemas.ts";

const Url = Type.String({ minLength: 8, maxLength: 2000 });
const registrationExample = {
  name: "Canvas (district)",
  issuer: "https://canvas.instructure.com",
  clientId: "10000000000001",
  deploymentIds: ["1:4dde05e8ca1973bcca9bffc13e1548820eee93a3"],
  authLoginUrl: "https://sso.canvaslms.com/api/lti/authorize_redirect",
  tokenUrl: "https://sso.canvaslms.com/login/oauth2/token",
  jwksUrl: "https://sso.canvaslms.com/api/lti/security/jwks",
};
const DeploymentIds = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
  minItems: 1,
  maxItems: 100,
});
const RegistrationBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    issuer: Type.String({
      minLength: 1,
      maxLength: 500,
      description: "The platform's iss, exactly.",
    }),
    clientId: Type.String({
      minLength: 1,
      maxLength: 200,
      description: "The client_id it gave packetlab.",
    }),
    deploymentIds: DeploymentIds,
    authLoginUrl: Url,
    tokenUrl: Url,
    jwksUrl: Url,
  },
  { $id: "LtiRegistrationRequest", examples: [registrationExample] },
);
const DeploymentsBody = Type.Object(
  { deploymentIds: DeploymentIds },
  { $id: "LtiDeploymentsRequest", examples: [{ deploymentIds: ["1:abc"] }] },
);
const Registration = Type.Object(
  { id: Uuid, ...RegistrationBody.properties, createdAt: Type.String({ format: "date-time" }) },
  { $id: "LtiRegistration" },
);
const RegistrationList = Type.Object(
  { items: Type.Array(ref(Registration)) },
  { $id: "LtiRegistrationList" },
);
const RosterSync = Type.Object(
  { members: Type.Integer(), learnersAdded: Type.Integer(), pages: Type.Integer() },
  { $id: "LtiRosterSync" },
);

export const ltiSchemas = [
  RegistrationBody,
  DeploymentsBody,
  Registration,
  RegistrationList,
  RosterSync,
];

const registrationView = (row: RegistrationRecord) => ({
  id: row.id,
  name: row.name,
  issuer: row.issuer,
  clientId: row.clientId,
  deploymentIds: row.deploymentIds,
  authLoginUrl: row.authLoginUrl,
  tokenUrl: row.tokenUrl,
  jwksUrl: row.jwksUrl,
  createdAt: row.createdAt.toISOString(),
});

export const ltiAdminRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { lti } = deps.store;
  const { toolKeys, http, tokens } = deps.lti;
  // The operator's registrations.
  const operatorOnly = { preHandler: app.requireRole("operator") };
  app.post(
    "/v1/lti/registrations",
    {
      ...operatorOnly,
      schema: {
        tags: ["lti"],
        operationId: "createLtiRegistration",
        summary: "Register an LMS (LTI 1.3 platform).",
        body: ref(RegistrationBody),
        response: responses({ 201: ref(Registration) }, 400, 401, 403, 409, 503),
      },
    },
    async (request, reply) => {
      const body = request.body;
      for (const field of ["authLoginUrl", "tokenUrl", "jwksUrl"] as const) {
        const refused = checkOutboundUrl(body[field], deps.addressPolicy);
        if (refused)
          throw apiError("URL_NOT_ALLOWED", `${field} ${quote(body[field])}: ${refused}.`);
      }
      if ((await lti.registrationsOf(body.issuer, body.clientId)).length > 0)
        throw apiError(
          "LTI_REGISTRATION_EXISTS",
          `Issuer ${quote(body.issuer)} with client_id ${quote(body.clientId)} is registered already.`,
        );
      const created = await lti.createRegistration({
        ...body,
        deploymentIds: [...new Set(body.deploymentIds)],
      });
      return reply.status(201).send(registrationView(created));
    },
  );

  app.get(
    "/v1/lti/registrations",
    {
      ...operatorOnly,
      schema: {
        tags: ["lti"],
        operationId: "listLtiRegistrations",
        summary: "The registered LMSs.",
        response: responses(
          { 200: Type.Object({ items: Type.Array(Registration) }) },
          401,
          403,
          503,
        ),
      },
    },
    async () => ({ items: (await lti.listRegistrations()).map(registrationView) }),
  );

  app.put(
    "/v1/lti/registrations/:registrationId/deployments",
    {
      ...operatorOnly,
      schema: {
        tags: ["lti"],
        operationId: "setLtiDeployments",
        summary: "Replace a registration's deployment ids.",
        params: Type.Object({ registrationId: Uuid }),
        body: ref(DeploymentsBody),
        response: responses(
          { 204: { type: "null", description: "Replaced." } },
          400,
          401,
          403,
          404,
          503,
        ),
      },
    },
    async (request, reply) => {
      if (!(await lti.updateDeployments(request.params.registrationId, request.body.deploymentIds)))
        throw apiError("NOT_FOUND", `No registration ${quote(request.params.registrationId)}.`);
      return reply.status(204).send();
    },
  );

  app.delete(
    "/v1/lti/registrations/:registrationId",
    {
      ...operatorOnly,
      schema: {
        tags: ["lti"],
        operationId: "deleteLtiRegistration",
        summary: "Forget an LMS; its classes and learners stay.",
        params: Type.Object({ registrationId: Uuid }),
        response: responses(
          { 204: { type: "null", description: "Deleted." } },
          400,
          401,
          403,
          404,
          503,
        ),
      },
    },
    async (request, reply) => {
      if (!(await lti.deleteRegistration(request.params.registrationId)))
        throw apiError("NOT_FOUND", `No registration ${quote(request.params.registrationId)}.`);
      return reply.status(204).send();
    },
  );

  app.post(
    "/v1/lti/keys/rotate",
    {
      ...operatorOnly,
      schema: {
        tags: ["lti"],
        operationId: "rotateLtiKeys",
        summary: "Rotate the tool's keys: next becomes current, a new next is published.",
        response: responses({ 204: { type: "null", description: "Rotated." } }, 401, 403, 503),
      },
    },
    async (_request, reply) => {
      await toolKeys.rotate();
      return reply.status(204).send();
    },
  );

  app.post(
    "/v1/classes/:classId/lti-roster",
    {
      preHandler: app.requireRole("teacher"),
      schema: {
        tags: ["lti"],
        operationId: "syncLtiRoster",
        summary: "Bring the class roster from the LMS (Names and Role Provisioning Services).",
        params: Type.Object({ classId: Uuid }),
        response: responses({ 200: ref(RosterSync) }, 400, 401, 403, 404, 409, 503),
      },
    },
    async (request) => {
      const { classId } = request.params;
      if (!(await deps.store.accounts.findTeachersClass(teacherIdOf(request), classId)))
        throw apiError("NOT_FOUND", `You have no class ${quote(classId)}.`);
      const synced = await syncRoster({ store: lti, http, tokens }, classId);
      if ("refused" in synced) throw apiError("LTI_ROSTER_UNAVAILABLE", synced.refused);
      return synced;
    },
  );
};
