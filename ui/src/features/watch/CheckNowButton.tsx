import { Button, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowSyncRegular } from "@fluentui/react-icons";
import { useCheckNow } from "../../api";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS, alignItems: "flex-start" },
  row: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalM },
  note: { color: tokens.colorNeutralForeground2 },
});

/** Asks the watcher to check the directory now; new changes then arrive in Activity as usual. */
export function CheckNowButton() {
  const styles = useStyles();
  const checkNow = useCheckNow();
  return (
    <div className={styles.root}>
      <div className={styles.row}>
        <Button icon={<ArrowSyncRegular />} onClick={() => checkNow.mutate()} disabled={checkNow.isPending}>
          {checkNow.isPending ? "Checking…" : "Check now"}
        </Button>
        {checkNow.isSuccess && (
          <Text className={styles.note} role="status">
            Checking the directory. New changes appear in Activity.
          </Text>
        )}
      </div>
      {checkNow.isError && <ErrorMessageBar error={checkNow.error} title="Couldn't check now" />}
    </div>
  );
}
