import { mockIPC } from "@tauri-apps/api/mocks";
import { render } from "@testing-library/react";
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
