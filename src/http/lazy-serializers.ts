// Response serializers compiled on a route's first response instead of all at start-up.
// fast-json-stringify checks each response schema against its meta-schema and generates code
// for it; over every route and status code (the packet schemas are large) that was about a
// quarter of the service's start-up CPU, much of it for routes a given process rarely answers.
// A schema fast-json-stringify refuses is then reported at that route's first response, as a
// 500, instead of at start-up: test/http/openapi.test.ts checks every schema, and the tests
// answer each route.
// The compiler package itself (with fast-json-stringify and Ajv, ~70 ms of CPU to load) is
// loaded on the first response that needs it; /healthz and /readyz do not (health.ts).
import { createRequire } from "node:module";
import type * as FastJsonStringifyCompiler from "@fastify/fast-json-stringify-compiler";

type SerializerFactory = ReturnType<typeof FastJsonStringifyCompiler.SerializerSelector>;

const load = createRequire(import.meta.url);

export function lazySerializers(buildSerializer?: SerializerFactory): SerializerFactory {
  return (externalSchemas, options) => {
    let compile: ReturnType<SerializerFactory> | undefined;
    return (route) => {
      let serialize: ((data: unknown) => string) | undefined;
      return (data) =>
        (serialize ??= (compile ??= (buildSerializer ??= defaultSerializers())(
          externalSchemas,
          options,
        ))(route))(data);
    };
  };
}

function defaultSerializers(): SerializerFactory {
  const compiler = load(
    "@fastify/fast-json-stringify-compiler",
  ) as typeof FastJsonStringifyCompiler;
  return compiler.SerializerSelector();
}
