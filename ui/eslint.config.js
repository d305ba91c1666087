// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default tseslint.config(
  { ignores: ["dist/", "coverage/", "src/bindings.gen.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      // Only src/api/ talks to the generated Tauri bindings; everything else uses its hooks.
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/bindings.gen", "**/bindings.gen.ts"],
              message: "Import from src/api (hooks and types) instead of the generated bindings.",
            },
            {
              group: ["@tauri-apps/api", "@tauri-apps/api/*"],
              message: "Talk to Rust through src/api hooks, not @tauri-apps/api directly.",
            },
          ],
        },
      ],
    },
  },
  {
    // Tests and the dev-only demo mock drive the IPC layer directly through @tauri-apps/api/mocks.
    files: ["src/**/*.test.{ts,tsx}", "src/test/**", "src/dev/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/bindings.gen", "**/bindings.gen.ts"],
              message: "Import types from src/api instead of the generated bindings.",
            },
          ],
        },
      ],
    },
  },
  {
    // Last, so it also wins for src/api tests.
    files: ["src/api/**"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["eslint.config.js", "vite.config.ts"],
    languageOptions: { globals: { ...globals.node } },
  },
  { files: ["**/*.js"], ...tseslint.configs.disableTypeChecked },
);
