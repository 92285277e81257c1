import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, configMarkdown, loadConfig } from "../src/config.ts";

describe("loadConfig", () => {
  it("gives every variable its default when the environment is empty", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.HOST).toBe("127.0.0.1");
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.CORS_ORIGINS).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("parses values of each kind", () => {
    const config = loadConfig({
      PORT: "8080",
      DATABASE_URL: "postgresql://postgres@db:5432/packetlab",
      CORS_ORIGINS: "https://a.example, http://localhost:5173",
      LOG_LEVEL: "WARN",
      OPERATOR_TOKEN: "0123456789abcdef0123",
    });
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_URL).toBe("postgresql://postgres@db:5432/packetlab");
    expect(config.CORS_ORIGINS).toEqual(["https://a.example", "http://localhost:5173"]);
    expect(config.LOG_LEVEL).toBe("warn");
    expect(loadConfig({ CORS_ORIGINS: "*" }).CORS_ORIGINS).toBe(true);
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: "10.0.0.0/8, 127.0.0.1" }).TRUST_PROXY).toEqual([
      "10.0.0.0/8",
      "127.0.0.1",
    ]);
  });

  it.each([
    ["PORT", "eighty", /PORT="eighty" is invalid: expected a whole number/],
    ["PORT", "70000", /PORT="70000" is invalid: expected a number from 0 to 65535/],
    ["LOG_LEVEL", "loud", /LOG_LEVEL="loud" is invalid: expected one of/],
    ["DATABASE_URL", "mysql://x@y/z", /DATABASE_URL=\(hidden\) is invalid: expected a postgresql/],
    ["CORS_ORIGINS", "https://a.example/path", /CORS_ORIGINS=.* is not an origin/],
    ["OPERATOR_TOKEN", "short", /OPERATOR_TOKEN=\(hidden\) is invalid: expected at least 16/],
    ["RUN_WALL_MS", "-5", /RUN_WALL_MS="-5" is invalid/],
    ["DATA_DIR", " ", /DATA_DIR=" " is invalid: expected a directory/],
    ["DATA_DIR", "", /DATA_DIR="" is invalid: expected a directory/],
    ["TRUST_PROXY", "nginx", /TRUST_PROXY="nginx" is invalid: "nginx" is not an IP address/],
  ])("stops on an invalid %s, naming it", (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it("never prints a secret's value in its error", () => {
    expect(() => loadConfig({ OPERATOR_TOKEN: "hunter2" })).toThrow(/^((?!hunter2).)*$/s);
  });
});

describe("the README's configuration table", () => {
  it("is the one generated from the definitions (`packetlab config --markdown`)", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const match = /<!-- config:start -->\n([\s\S]*?)<!-- config:end -->/.exec(readme);
    expect(match, "README.md lacks the config:start/config:end markers").not.toBeNull();
    expect(match?.[1]).toBe(configMarkdown());
  });
});
