import { ActivateModal } from "./ActivateModal";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { type ReactNode, useEffect, useRef } from "react";
import { ErrorMessageBar } from "./ErrorMessageBar";
import { ShowRequest } from "./ShowRequest";
import type { PreviewAction } from "../api";

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  danger: {
    backgroundColor: tokens.colorPaletteRedBackground3,
    color: tokens.colorNeutralForegroundOnBrand,
    ":hover": { backgroundColor: tokens.colorPaletteRedForeground1, color: tokens.colorNeutralForegroundOnBrand },
  },
});

type Props = {
  open: boolean;
  title: string;
  /** What will happen, in plain words (the preview). */
  children: ReactNode;
  confirmLabel: string;
  /** Red confirm button for deletes and removals. */
  destructive?: boolean;
  pending?: boolean;
  /** The confirm button waits for something (e.g. the name typed for a delete for good). */
  confirmDisabled?: boolean;
  /** The action as "Show the request" asks Rust for it; none: no such link. */
  preview?: PreviewAction | null;
  /** Shown inside the dialog, which stays open so the person can try again or cancel. */
  error?: unknown;
  onConfirm: () => void;
  onCancel: () => void;
};

/**
 * Asks before anything destructive; says what will happen; shows the failure in place.
 * A destructive dialog opens with focus on Cancel, so a stray Enter or Space never deletes anything.
 */
export function ConfirmDialog({ open, title, children, confirmLabel, destructive, pending, confirmDisabled, preview, error, onConfirm, onCancel }: Props) {
  const styles = useStyles();
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // Fluent focuses the first button (the red one) from an effect inside Dialog; this parent effect runs
    // after it in the same commit and moves focus to the safer choice.
    if (open && destructive) cancelRef.current?.focus();
  }, [open, destructive]);
  return (
    <Dialog open={open} modalType="alert" onOpenChange={(_, data) => !data.open && !pending && onCancel()}>
      <DialogSurface>
        <DialogBody>
          <ActivateModal />
          <DialogTitle>{title}</DialogTitle>
          <DialogContent className={styles.content}>
            {children}
            {preview !== undefined && <ShowRequest action={preview} />}
            {error != null && <ErrorMessageBar error={error} />}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" className={destructive ? styles.danger : undefined} onClick={onConfirm} disabled={pending || confirmDisabled}>
              {pending ? "Working…" : confirmLabel}
            </Button>
            <Button ref={cancelRef} onClick={onCancel} disabled={pending}>
              Cancel
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
