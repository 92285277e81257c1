/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document is JSON; the tests check its shape */
// Checks real responses against the published OpenAPI document (/docs/json) with Ajv, so a test
// fails when the server sends something its own contract does not describe.
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";

export interface OpenApiChecker {
  document: any;
  /** The validator of a named schema (components/schemas/<name>). */
  schema(name: string): ValidateFunction;
  /** Fails unless the response's body matches the operation's documented response. */
  expectDocumented(method: string, path: string, response: LightMyRequestResponse): void;
}

export async function openApiChecker(app: FastifyInstance): Promise<OpenApiChecker> {
  const document = (await app.inject({ url: "/docs/json" })).json();
  // OpenAPI 3.0 schemas are JSON Schema plus `nullable` (which Ajv knows) and `example`.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document, "openapi");
  const compiled = new Map<string, ValidateFunction>();
  const validator = (pointer: string) => {
    let validate = compiled.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `openapi#${pointer}` });
      compiled.set(pointer, validate);
    }
    return validate;
  };
  return {
    document,
    schema: (name) => validator(`/components/schemas/${name}`),
    expectDocumented(method, path, response) {
      const operation = document.paths[path]?.[method.toLowerCase()];
      if (!operation) throw new Error(`${method} ${path} is not in the OpenAPI document`);
      const status = String(response.statusCode);
      const documented = operation.responses[status];
      if (!documented) throw new Error(`${method} ${path} does not document ${status}`);
      if (!documented.content?.["application/json"]) return;
      const pointer = `/paths/${escape(path)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
      const validate = validator(pointer);
      if (!validate(response.json())) {
        throw new Error(
          `${method} ${path} ${status} does not match its documented schema: ${ajv.errorsText(validate.errors)}\n${response.body.slice(0, 500)}`,
        );
      }
    },
  };
}

/** A path as one JSON Pointer token (RFC 6901). */
function escape(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}
