import type { UseMutationResult } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { AppError, PreviewAction } from "../api";

/**
 * "Confirm, then run a destructive action". `ask(target)` opens the ConfirmDialog (clearing the last
 * failure); nothing runs until Confirm, which runs `mutation` with `variables(target)`. Success closes the
 * dialog and calls `onDone`; a failure shows inside the dialog, which stays open with whatever was typed or
 * chosen in it, so the person can try again or cancel. Spread `dialog` onto <ConfirmDialog>.
 */
export function useConfirmedAction<Target, Variables, Result>(
  mutation: UseMutationResult<Result, AppError, Variables>,
  variables: (target: Target) => Variables,
  onDone: (result: Result, target: Target) => void,
  /** The same action for "Show the request" in the dialog. */
  preview?: (target: Target) => PreviewAction,
) {
  const [target, setTarget] = useState<{ value: Target } | null>(null);
  const { reset } = mutation;
  // While an action runs, asking again is ignored: `reset()` would detach the running action, whose
  // answer (closing the dialog, saying it was done) would then never arrive although Graph did the work.
  const running = useRef(false);
  // What had the focus when the action was asked for (the button that asked): it gets the focus back
  // when the dialog closes, so a keyboard user goes on from where they were (without it the focus fell
  // to the page and Escape no longer closed the drawer the button was in).
  const opener = useRef<HTMLElement | null>(null);
  const close = useCallback(() => {
    setTarget(null);
    const back = opener.current;
    opener.current = null;
    if (back?.isConnected) setTimeout(() => back.focus(), 0);
  }, []);
  useEffect(() => {
    running.current = mutation.isPending;
  }, [mutation.isPending]);
  // Stable, so table columns that offer the action are not rebuilt (and their cells remounted) each render.
  const ask = useCallback(
    (value: Target) => {
      if (running.current) return;
      reset();
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setTarget({ value });
    },
    [reset],
  );
  return {
    /** What the open dialog is about (null when closed). */
    target: target?.value ?? null,
    ask,
    dialog: {
      open: target !== null,
      pending: mutation.isPending,
      preview: preview && target ? preview(target.value) : undefined,
      error: mutation.isError ? mutation.error : null,
      onCancel: close,
      onConfirm: () => {
        if (!target) return;
        const { value } = target;
        mutation.mutate(variables(value), {
          onSuccess: (result) => {
            close();
            onDone(result, value);
          },
        });
      },
    },
  };
}
