import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from "@fluentui/react-components";
import type { FormEvent, ReactNode } from "react";
import type { AppError, PreviewAction } from "../api";
import { ActivateModal } from "./ActivateModal";
import { ErrorMessageBar } from "./ErrorMessageBar";
import { ShowRequest } from "./ShowRequest";

export type FormDialogBodyProps = {
  /** The form's accessible name. */
  label: string;
  title: ReactNode;
  contentClassName?: string;
  onSubmit: (e: FormEvent<HTMLFormElement>) => Promise<void> | void;
  onCancel: () => void;
  /** Sending: Submit shows `busyText`, both buttons wait. */
  busy: boolean;
  submitText: string;
  busyText: string;
  /** Submit is off (e.g. nothing changed yet). */
  submitDisabled?: boolean;
  /** Graph's refusal that belongs to no field, with what the person tried. */
  error?: { error: AppError | null; title: string };
  /** "Show the request": what the form would send now (read at the click); null while it can't be sent. */
  preview?: () => PreviewAction | null;
  children: ReactNode;
};

/**
 * The body of a form in a dialog, as every form of the app has it: the title, the fields, Graph's refusal (with
 * its request id), "Show the request", then Submit and Cancel. For a dialog that shows something else after
 * sending (the new user's password, the invitation) inside the same surface.
 */
export function FormDialogBody(p: FormDialogBodyProps) {
  return (
    <form onSubmit={(e) => void p.onSubmit(e)} noValidate aria-label={p.label}>
      <DialogBody>
        <ActivateModal />
        <DialogTitle>{p.title}</DialogTitle>
        <DialogContent className={p.contentClassName}>
          {p.children}
          {p.error?.error && <ErrorMessageBar error={p.error.error} title={p.error.title} />}
          {p.preview && <ShowRequest action={p.preview} />}
        </DialogContent>
        <DialogActions>
          <Button type="submit" appearance="primary" disabled={p.busy || p.submitDisabled === true}>
            {p.busy ? p.busyText : p.submitText}
          </Button>
          <Button onClick={p.onCancel} disabled={p.busy}>
            Cancel
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}

/** A form in a dialog of its own (`FormDialogBody` in a surface); closing is refused while it sends. */
export function FormDialog({ open = true, surfaceClassName, ...body }: FormDialogBodyProps & { open?: boolean; surfaceClassName?: string }) {
  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && !body.busy && body.onCancel()}>
      <DialogSurface className={surfaceClassName}>
        <FormDialogBody {...body} />
      </DialogSurface>
    </Dialog>
  );
}
