import "@testing-library/jest-dom/vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// jsdom does no layout, so every element measures 0×0 and a virtualized table would show no rows.
// Give elements the size of the app window; the virtualizer then renders what fits, as in the app.
Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 700 });
Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1100 });

afterEach(() => {
  cleanup();
  clearMocks();
});
