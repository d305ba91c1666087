import { Button, Checkbox, MessageBar, MessageBarBody, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { useCancelSignIn, useOpenPracticeTenant } from "../../api";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, color: tokens.colorNeutralForeground2 },
  waiting: {
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalM,
    padding: tokens.spacingVerticalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
  },
  waitingText: { flex: 1, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXXS },
  hint: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  actions: { display: "flex", alignItems: "center", flexWrap: "wrap", columnGap: tokens.spacingHorizontalL },
});

/** The practice tenant: a local sample directory. Opening it signs in to it like a real tenant. */
export function PracticeTenantAction({ onOpened }: { onOpened?: () => void }) {
  const styles = useStyles();
  const open = useOpenPracticeTenant();
  const cancel = useCancelSignIn();
  const [readOnly, setReadOnly] = useState(false);
  return (
    <div className={styles.root}>
      <ul className={styles.list}>
        <li>A sample directory with people and groups from Microsoft's examples (Adele Vance, Megan Bowen, …).</li>
        <li>It runs only on this computer. Nothing you do here touches your organization.</li>
        <li>No work account or internet connection needed.</li>
      </ul>
      {open.isPending ? (
        <div className={styles.waiting} role="status">
          <Spinner size="small" />
          <div className={styles.waitingText}>
            <strong>Opening the practice tenant…</strong>
            <span className={styles.hint}>If your web browser shows a sign-in page, finish signing in there.</span>
          </div>
          <Button onClick={() => cancel.mutate()} disabled={cancel.isPending}>
            Cancel
          </Button>
        </div>
      ) : (
        <div className={styles.actions}>
          <Button id="open-practice-tenant" appearance="primary" onClick={() => open.mutate(readOnly, { onSuccess: () => onOpened?.() })}>
            Open the practice tenant
          </Button>
          <Checkbox
            id="practice-read-only"
            label="Read only (look, change nothing)"
            checked={readOnly}
            onChange={(_, data) => setReadOnly(data.checked === true)}
          />
        </div>
      )}
      {open.isError &&
        (open.error.kind === "cancelled" ? (
          <MessageBar intent="info">
            <MessageBarBody>Opening the practice tenant was cancelled.</MessageBarBody>
          </MessageBar>
        ) : (
          <ErrorMessageBar error={open.error} title="Couldn't open the practice tenant" />
        ))}
    </div>
  );
}
