import { mockIPC } from "@tauri-apps/api/mocks";
import { act, render, waitFor } from "@testing-library/react";
import { expect } from "vitest";
import type { ReactNode } from "react";
import { App, AppProviders } from "../App";
import { type IpcError, createQueryClient } from "../api";

export type Call = { cmd: string; args: unknown };
type Handler = (cmd: string, args: Record<string, unknown>) => unknown;

/**
 * Stands in for the Rust side: `handler` answers each command by its Tauri name (snake_case).
 * Rejecting (Promise.reject(ipcError)) is how Tauri reports a command's `Err`. Returns the calls seen.
 */
export function mockBackend(handler: Handler): Call[] {
  const calls: Call[] = [];
  mockIPC(
    (cmd, payload) => {
      calls.push({ cmd, args: payload });
      return handler(cmd, (payload ?? {}) as Record<string, unknown>);
    },
    { shouldMockEvents: true },
  );
  return calls;
}

export function renderWithProviders(ui: ReactNode) {
  const client = createQueryClient();
  client.setDefaultOptions({ queries: { ...client.getDefaultOptions().queries, retry: false } });
  return { client, ...render(<AppProviders client={client}>{ui}</AppProviders>) };
}

export function renderApp() {
  return renderWithProviders(<App />);
}

/** How Tauri reports a command's `Err(IpcError)`: the promise rejects with the plain object. */
export function rejectWith(error: IpcError): Promise<never> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- this is Tauri's wire shape
  return Promise.reject(error);
}

/**
 * The newest open dialog of `role`, ready to use. In a browser, Fluent moves focus into a dialog when it opens;
 * in jsdom the surface keeps focus and Tabster leaves the dialog aria-hidden until something inside is focused,
 * so this focuses the first control, as a person would by clicking into it.
 */
export async function findDialog(role: "dialog" | "alertdialog" = "dialog"): Promise<HTMLElement> {
  const dialog = await waitFor(() => {
    const found = [...document.querySelectorAll<HTMLElement>(`[role=${role}]`)].at(-1);
    if (!found) throw new Error(`No ${role} is open`);
    return found;
  });
  act(() => dialog.querySelector<HTMLElement>("input, textarea, button")?.focus());
  await waitFor(() => expect(dialog).not.toHaveAttribute("aria-hidden"));
  return dialog;
}
