// One lint config for the whole workspace; each package runs `eslint .` against it.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/.next/**", "**/node_modules/**", "**/next-env.d.ts", "**/*.config.*js", "**/*.config.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    files: ["**/*.test.ts", "**/test/**/*.ts", "e2e/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
  {
    // The domain model is runtime-neutral: no Node built-ins, no environment.
    files: ["packages/shared/src/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["node:*"], message: "packages/shared is runtime-neutral" }] }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "packages/shared reads no environment" }],
    },
  },
  {
    // Environment is read and validated once, in env.ts.
    files: ["apps/**/src/**/*.ts", "apps/**/src/**/*.tsx", "apps/**/app/**/*.tsx", "apps/**/app/**/*.ts"],
    ignores: ["**/env.ts", "**/*.test.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "read configuration through env.ts" }],
    },
  },
);
