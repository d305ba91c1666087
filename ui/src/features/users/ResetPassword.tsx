import { Button, Checkbox, Field, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { type PasswordReset, useResetPassword } from "../../api";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { CopyButton } from "../../components/CopyButton";
import { useConfirmedAction } from "../../components/useConfirmedAction";

const useStyles = makeStyles({
  box: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorPaletteGreenBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorPaletteGreenBorder1}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  row: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  secret: { fontFamily: tokens.fontFamilyMonospace, userSelect: "all", fontSize: tokens.fontSizeBase400 },
});

/** The new password, shown once with a copy button; closing the drawer or another person forgets it. */
export function NewPasswordBar({ reset, onDismiss }: { reset: PasswordReset; onDismiss: () => void }) {
  const styles = useStyles();
  return (
    <div className={styles.box} role="status" aria-label="New temporary password">
      <Text weight="semibold">New temporary password</Text>
      <Text>{reset.summary} It is shown only now and not saved anywhere.</Text>
      <div className={styles.row}>
        <span className={styles.secret} aria-label="New password">
          {reset.password}
        </span>
        <CopyButton text={reset.password} label="Copy password" appearance="secondary" />
      </div>
      <div>
        <Button size="small" onClick={onDismiss}>
          I've given it to them
        </Button>
      </div>
    </div>
  );
}

/** Reset Password: asks first (with "must change at next sign-in"), then shows the password Rust made. */
export function useResetPasswordDialog(name: string, onReset: (reset: PasswordReset) => void) {
  const reset = useResetPassword();
  const [mustChange, setMustChange] = useState(true);
  const asking = useConfirmedAction(
    reset,
    (id: string) => ({ id, mustChange }),
    (r) => onReset(r),
    (id) => ({ action: "resetPassword", key: id, mustChange }),
  );
  const dialog = (
    <ConfirmDialog {...asking.dialog} title={`Reset ${name}'s password?`} confirmLabel="Reset password" destructive>
      <Text>
        Entra Desk makes a new temporary password and shows it to you once. {name}'s current password stops working at once; apps
        already signed in stay signed in until you revoke their sessions.
      </Text>
      <Field>
        <Checkbox checked={mustChange} onChange={(_, d) => setMustChange(d.checked === true)} label="They must choose a new password when they next sign in" />
      </Field>
    </ConfirmDialog>
  );
  return { ask: asking.ask, dialog, open: asking.dialog.open };
}
