// Response serializers compiled on a route's first response instead of all at start-up.
// fast-json-stringify checks each response schema against its meta-schema and generates code
// for it; over every route and status code (the packet schemas are large) that was about a
// quarter of the service's start-up CPU, much of it for routes a given process rarely answers.
// A schema fast-json-stringify refuses is then reported at that route's first response, as a
// 500, instead of at start-up: test/http/openapi.test.ts checks every schema, and the tests
// answer each route.
import { SerializerSelector } from "@fastify/fast-json-stringify-compiler";

type SerializerFactory = ReturnType<typeof SerializerSelector>;

export function lazySerializers(
  buildSerializer: SerializerFactory = SerializerSelector(),
): SerializerFactory {
  return (externalSchemas, options) => {
    const compile = buildSerializer(externalSchemas, options);
    return (route) => {
      let serialize: ((data: unknown) => string) | undefined;
      return (data) => (serialize ??= compile(route))(data);
    };
  };
}
