import { ProgressBar, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { SyncProgress } from "../../api";
import { formatClock, plural } from "../../lib/format";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground2 },
});

/** "Reading your directory: 42,000 people so far" while the first read runs. */
export function syncText(syncing: SyncProgress): string {
  const what = syncing.resource === "users" ? plural(syncing.done, "person", "people") : plural(syncing.done, "group");
  return `Reading your directory: ${what} so far`;
}

/** "as of 10:42": when the local copy was last brought up to date. */
export function asOfText(asOf: string | null): string | null {
  const clock = formatClock(asOf);
  return clock ? `as of ${clock}` : null;
}

/** The first read of the directory in progress (a bar and how far it has come), or nothing. */
export function SyncBanner({ syncing }: { syncing: SyncProgress | null | undefined }) {
  const styles = useStyles();
  if (!syncing) return null;
  const text = syncText(syncing);
  return (
    <div className={styles.root} role="status">
      <ProgressBar aria-label={text} />
      <Text size={200} className={styles.muted}>
        {text}. The tables fill in when it is done.
      </Text>
    </div>
  );
}
