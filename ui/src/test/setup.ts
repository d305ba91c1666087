import "@testing-library/jest-dom/vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// jsdom does no layout, so every element measures 0×0 and a virtualized table would show no rows.
// Give elements the size of the app window; the virtualizer then renders what fits, as in the app.
Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 700 });
Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1100 });

// The machine running the tests may be busy (several builds at once): let findBy*/waitFor wait longer than
// the default second before failing. Nothing asserts on time; this only avoids false failures.
configure({ asyncUtilTimeout: 5000 });

// jsdom has no ResizeObserver; Fluent's dialogs and popovers observe their size. Nothing resizes here.
class NoResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
if (!("ResizeObserver" in window)) {
  Object.defineProperty(window, "ResizeObserver", { configurable: true, writable: true, value: NoResizeObserver });
}

afterEach(() => {
  cleanup();
  clearMocks();
});
