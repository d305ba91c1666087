import { Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { type WatchStatus, useWatchStatus } from "../../api";
import { formatClock } from "../../lib/format";

const useStyles = makeStyles({
  root: { display: "inline-flex", alignItems: "center", columnGap: tokens.spacingHorizontalS, whiteSpace: "nowrap" },
  dot: { width: "8px", height: "8px", borderRadius: tokens.borderRadiusCircular, flexShrink: 0 },
  ok: { backgroundColor: tokens.colorPaletteLightGreenForeground3 },
  busy: { backgroundColor: tokens.colorPaletteYellowForeground3 },
  bad: { backgroundColor: tokens.colorPaletteRedForeground3 },
  off: { backgroundColor: tokens.colorNeutralForeground4 },
});

/** "Watching · last checked 10:42, next 10:43", "Offline — retrying", … */
export function describeWatchStatus(status: WatchStatus): string {
  const last = formatClock(status.lastChecked);
  const next = formatClock(status.nextCheck);
  switch (status.state) {
    case "watching": {
      const times = [last && `last checked ${last}`, next && `next ${next}`].filter(Boolean).join(", ");
      return times ? `Watching · ${times}` : "Watching";
    }
    case "syncing":
      return status.syncing
        ? `Reading your directory: ${status.syncing.done.toLocaleString()} ${status.syncing.resource === "users" ? "people" : "groups"} so far`
        : "Reading your directory…";
    case "offline":
      return next ? `Offline — retrying at ${next}` : "Offline — retrying";
    case "paused":
      return "Watching paused";
    case "notWatching":
      return "Not watching";
    case "needsAttention":
      return status.message ? `Needs attention — ${status.message}` : "Watching needs attention";
  }
}

export function WatchStatusText({ className }: { className?: string }) {
  const styles = useStyles();
  const status = useWatchStatus();
  if (!status.data) return null;
  const tone =
    status.data.state === "watching"
      ? styles.ok
      : status.data.state === "syncing"
        ? styles.busy
        : status.data.state === "offline" || status.data.state === "needsAttention"
          ? styles.bad
          : styles.off;
  return (
    <span
      className={mergeClasses(styles.root, className)}
      role="status"
      aria-live="polite"
      title={status.data.message ?? undefined}
    >
      <span className={mergeClasses(styles.dot, tone)} aria-hidden />
      <Text size={200}>{describeWatchStatus(status.data)}</Text>
    </span>
  );
}
