// Lint: the recommended rules of ESLint and typescript-eslint, nothing exotic.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "data/",
      "src/generated/",
      "coverage/",
      "test/fixtures/",
      "dist/",
      "web/src/api/schema.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // The web app runs in the browser.
    files: ["web/**/*.{ts,tsx}"],
    languageOptions: { globals: globals.browser },
  },
  {
    // Starter code is unfinished on purpose: it imports what the learner will need.
    files: ["lessons/**/starter.{js,ts}"],
    rules: { "@typescript-eslint/no-unused-vars": "off" },
  },
);
