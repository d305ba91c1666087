import { Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { type SyncProgress, useWatchStatus } from "../../api";
import { formatClock, plural } from "../../lib/format";

const useStyles = makeStyles({
  root: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
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

/**
 * The first read of the directory in progress (how far it has come), or nothing. A spinner, not an
 * indeterminate ProgressBar: with motion skipped (see AppProviders), Fluent finishes every animation at
 * once, and WebKit refuses to finish an endless one (InvalidStateError), which took the page down.
 */
export function SyncBanner() {
  const styles = useStyles();
  const syncing = useSyncing();
  if (!syncing) return null;
  const text = syncText(syncing);
  return (
    <div className={styles.root} role="status">
      <Spinner size="extra-tiny" label={`${text}. The tables fill in when it is done.`} />
    </div>
  );
}

/** The first read in progress, from the live watch status (a table's window may be older than the last event). */
export function useSyncing(): SyncProgress | null {
  return useWatchStatus().data?.syncing ?? null;
}
