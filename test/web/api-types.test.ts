// The web app's API types are generated from the OpenAPI document the service publishes; a
// route or schema change that is not regenerated (npm run web:api-types) fails here, before the
// app and the API part.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { schemaFile, webApiTypes } from "../../scripts/web-api-types.ts";

describe("web/src/api/schema.d.ts", () => {
  it("is what openapi-typescript makes of /docs/json today", { timeout: 60_000 }, async () => {
    expect(readFileSync(schemaFile, "utf8")).toBe(await webApiTypes());
  });
});
