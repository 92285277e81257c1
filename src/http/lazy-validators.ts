// Request validators compiled on a route's first request instead of all at start-up, as the
// response serializers are (lazy-serializers.ts): building Ajv and a validator for every body,
// params, querystring and headers schema was ~0.1 s of CPU before the service was ready.
// fastify reads two things of an Ajv validator besides calling it: `schemaEnv` (then it passes
// the parent object, so that Ajv's coercion can replace a root value) and `errors` after a
// failure; the wrapper forwards both to the compiled validator, compiling it on first use.
// A schema Ajv refuses is then reported at that route's first request, as a 500, instead of at
// start-up: the tests send each route a request.
//
// fastify treats any compilersFactory.buildValidator as custom, and then leaves a headers
// schema's property names as written instead of lowercasing them: the routes' headers schemas
// name their headers in lowercase, as Node delivers them.
// The compiler package itself (with Ajv, ~55 ms of CPU to load) is loaded on the first request
// that needs it.
import { createRequire } from "node:module";
import type * as AjvCompilerModule from "@fastify/ajv-compiler";
import type { FastifyServerOptions } from "fastify";

type ValidatorFactory = NonNullable<
  NonNullable<
    NonNullable<FastifyServerOptions["schemaController"]>["compilersFactory"]
  >["buildValidator"]
>;
/** What fastify calls and reads of a validator (lib/validation.js). */
type Validator = ((data: unknown, context?: unknown) => unknown) & {
  errors?: unknown;
  schemaEnv?: unknown;
};
/** As fastify calls it: (its schemas, Ajv options) → (a route's schema) → validator. */
type BuildValidator = (externalSchemas: unknown, options: unknown) => (route: unknown) => Validator;

const load = createRequire(import.meta.url);

export function lazyValidators(buildValidator?: BuildValidator): ValidatorFactory {
  const build: BuildValidator = (externalSchemas, options) => {
    let compile: ((route: unknown) => Validator) | undefined;
    return (route) => {
      let compiled: Validator | undefined;
      const validator = (): Validator =>
        (compiled ??= (compile ??= (buildValidator ??= defaultValidators())(
          externalSchemas,
          options,
        ))(route));
      const validate = (data: unknown, context?: unknown) =>
        context === undefined ? validator()(data) : validator()(data, context);
      Object.defineProperties(validate, {
        errors: { get: () => validator().errors },
        schemaEnv: { get: () => validator().schemaEnv },
      });
      return validate;
    };
  };
  // fastify's type of this option is Ajv's own compile function, which it does not call as such.
  return build as unknown as ValidatorFactory;
}

function defaultValidators(): BuildValidator {
  const compiler = load("@fastify/ajv-compiler") as typeof AjvCompilerModule;
  return compiler.AjvCompiler() as unknown as BuildValidator;
}
