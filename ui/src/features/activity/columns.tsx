import { Badge, makeStyles, tokens } from "@fluentui/react-components";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { type ActivityEvent, useAppState } from "../../api";
import { formatDateTime } from "../../lib/format";
import { EVENT_KINDS, formatChange } from "./labels";

const useStyles = makeStyles({
  twoLines: { display: "flex", flexDirection: "column", minWidth: 0, rowGap: "2px" },
  line: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  time: { whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" },
});

function ObjectCell({ event }: { event: ActivityEvent }) {
  const styles = useStyles();
  const inGroup = event.groupName && event.groupName !== event.objectName ? `in ${event.groupName}` : null;
  return (
    <div className={styles.twoLines} title={event.objectName}>
      <span className={styles.line}>{event.objectName}</span>
      {inGroup && <span className={`${styles.line} ${styles.secondary}`}>{inGroup}</span>}
    </div>
  );
}

/** Who made the changes marked "made here": the local copy is the active account's own, so its changes were made with it. */
function useMadeHereBy(): { name: string; detail: string } | null {
  const state = useAppState();
  const account = state.data?.accounts.find((a) => a.id === state.data?.activeAccountId);
  return account ? { name: account.displayName, detail: `${account.displayName} (${account.username})` } : null;
}

function DetailsCell({ event }: { event: ActivityEvent }) {
  const styles = useStyles();
  const by = useMadeHereBy();
  const changes = event.changes.map(formatChange).join("; ");
  return (
    <div className={styles.twoLines} title={[event.summary, ...event.changes.map(formatChange)].join("\n")}>
      <span className={styles.line}>
        {event.summary}
        {event.madeHere && (
          <>
            {" "}
            <Badge appearance="tint" color="brand" size="small" title={`Made in Entra Desk${by ? ` by ${by.detail}` : ""} (not found by a check)`}>
              {by ? `Made here by ${by.name}` : "Made here"}
            </Badge>
          </>
        )}
      </span>
      {changes && <span className={`${styles.line} ${styles.secondary}`}>{changes}</span>}
    </div>
  );
}

function TimeCell({ value }: { value: string }) {
  const styles = useStyles();
  return (
    <time className={styles.time} dateTime={value}>
      {formatDateTime(value)}
    </time>
  );
}

const helper = createColumnHelper<ActivityEvent>();

export const activityColumns: ColumnDef<ActivityEvent, string>[] = [
  helper.accessor("occurredAt", {
    header: "Time",
    size: 165,
    meta: { grow: 0 },
    // RFC 3339 in UTC sorts correctly as text; compare instants to be safe with offsets.
    sortingFn: (a, b) => Date.parse(a.original.occurredAt) - Date.parse(b.original.occurredAt),
    cell: (info) => <TimeCell value={info.getValue()} />,
  }),
  helper.accessor((event) => EVENT_KINDS[event.kind].label, {
    id: "kind",
    header: "Change",
    size: 140,
    meta: { grow: 0 },
    sortingFn: (a, b) => EVENT_KINDS[a.original.kind].label.localeCompare(EVENT_KINDS[b.original.kind].label),
    cell: (info) => {
      const kind = EVENT_KINDS[info.row.original.kind];
      return (
        <Badge appearance="tint" color={kind.color} shape="rounded" style={{ whiteSpace: "nowrap" }}>
          {kind.label}
        </Badge>
      );
    },
  }),
  helper.accessor("objectName", {
    header: "Object",
    size: 180,
    meta: { grow: 1 },
    enableHiding: false,
    sortingFn: "text",
    cell: (info) => <ObjectCell event={info.row.original} />,
  }),
  helper.accessor("summary", {
    header: "Details",
    size: 320,
    meta: { grow: 3 },
    enableSorting: false,
    cell: (info) => <DetailsCell event={info.row.original} />,
  }),
] as ColumnDef<ActivityEvent, string>[];
