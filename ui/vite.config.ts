/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Tauri loads the dev server from devUrl (tauri.conf.json) and the built files from ui/dist.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: {
    host: "127.0.0.1",
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK 4.1 (Linux) is the oldest engine we ship to; Safari 15 syntax is safe there.
    target: ["safari15", "chrome105", "edge105"],
    minify: "oxc",
    sourcemap: false,
    // Loaded from disk by the webview, never over a network. The signed-in console is a chunk of its
    // own (React.lazy in App.tsx), so the welcome page starts without it.
    chunkSizeWarningLimit: 1600,
    // No inline <script> (strict CSP): keep the module preload polyfill out of index.html.
    modulePreload: { polyfill: false },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    // The machine is shared with Rust builds; a busy core must not fail a test (nothing here is timed).
    testTimeout: 30_000,
  },
});
