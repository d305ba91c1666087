import { ProgressBar, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { type DirectoryQuery, type SyncProgress, useWatchStatus } from "../../api";
import { formatClock, plural } from "../../lib/format";

const useStyles = makeStyles({
  root: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
  bar: { width: "160px" },
});

/**
 * "Reading your directory: 42,000 of about 100,000 people" while the first read runs ("42,000 people so
 * far" when Microsoft Graph gave no count, or the count was passed: it is only eventually consistent).
 */
export function syncText(syncing: SyncProgress): string {
  const people = syncing.resource === "users";
  const about = syncing.about ?? null;
  if (about !== null && about >= syncing.done && about > 0) {
    const of = `${syncing.done.toLocaleString()} of about ${plural(about, people ? "person" : "group", people ? "people" : "groups")}`;
    return `Reading your directory: ${of}`;
  }
  const what = people ? plural(syncing.done, "person", "people") : plural(syncing.done, "group");
  return `Reading your directory: ${what} so far`;
}

/** Whether a table over the local copy is narrowed by its search box or Advanced search. */
export function isFiltered(query: DirectoryQuery): boolean {
  return query.text !== null || query.criteria.length > 0;
}

/** "8 users · as of 10:42", or "3 matches · as of 10:42" when searched. */
export function copyCountText(table: { query: DirectoryQuery; count: number; page?: { asOf: string | null } }, noun: string): string {
  const counted = isFiltered(table.query) ? plural(table.count, "match", "matches") : plural(table.count, noun);
  return [counted, asOfText(table.page?.asOf ?? null)].filter(Boolean).join(" · ");
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
  const share = syncing.about ? Math.min(1, syncing.done / syncing.about) : null;
  return (
    <div className={styles.root} role="status">
      <Spinner size="extra-tiny" label={`${text}. The tables fill in as it reads.`} />
      {share !== null && <ProgressBar className={styles.bar} value={share} aria-label="Reading your directory" />}
    </div>
  );
}

/** The first read in progress, from the live watch status (a table's window may be older than the last event). */
export function useSyncing(): SyncProgress | null {
  return useWatchStatus().data?.syncing ?? null;
}
