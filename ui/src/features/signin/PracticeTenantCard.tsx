import { Button, makeStyles, tokens } from "@fluentui/react-components";
import { useOpenPracticeTenant } from "../../api";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, color: tokens.colorNeutralForeground2 },
});

export function PracticeTenantAction({ onOpened }: { onOpened?: () => void }) {
  const styles = useStyles();
  const open = useOpenPracticeTenant();
  return (
    <div className={styles.root}>
      <ul className={styles.list}>
        <li>A sample directory with people and groups from Microsoft's examples (Adele Vance, Megan Bowen, …).</li>
        <li>It runs only on this computer. Nothing you do here touches your organization.</li>
        <li>No account or internet connection needed.</li>
      </ul>
      <div>
        <Button
          id="open-practice-tenant"
          appearance="primary"
          onClick={() => open.mutate(undefined, { onSuccess: () => onOpened?.() })}
          disabled={open.isPending}
        >
          {open.isPending ? "Opening the practice tenant…" : "Open the practice tenant"}
        </Button>
      </div>
      {open.isError && <ErrorMessageBar error={open.error} title="Couldn't open the practice tenant" />}
    </div>
  );
}
