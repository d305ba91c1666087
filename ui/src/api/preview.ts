// "Show the request": what an action would send to Microsoft Graph, computed in Rust by running the
// action's own use case on a client that sends no change.

import { useMutation } from "@tanstack/react-query";
import { type PreviewAction, type ShownRequest, commands } from "../bindings.gen";
import { type AppError, call } from "./errors";

export type { PreviewAction, ShownRequest };

/** Asks Rust what `action` would send (nothing is sent). A mutation: it is asked for on a click. */
export function usePreviewRequest() {
  return useMutation<ShownRequest[], AppError, PreviewAction>({
    mutationFn: (action) => call(commands.previewRequest(action)),
  });
}
