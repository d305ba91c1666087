import { Badge, Button, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowUndoRegular, InfoRegular } from "@fluentui/react-icons";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { useMemo } from "react";
import type { ChangeRow } from "../../api";
import { WriteButton } from "../../components/WriteAccess";
import { formatDateTime } from "../../lib/format";
import { ACTION_LABELS, actionDetail } from "./labels";

const useStyles = makeStyles({
  twoLines: { display: "flex", flexDirection: "column", minWidth: 0, rowGap: "2px" },
  line: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  time: { whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" },
  actions: { display: "flex", columnGap: tokens.spacingHorizontalS },
});

function ChangeCell({ row }: { row: ChangeRow }) {
  const styles = useStyles();
  const { entry } = row;
  const detail = actionDetail(entry.action);
  return (
    <div className={styles.twoLines} title={[ACTION_LABELS[entry.action.kind], detail].filter(Boolean).join(" · ")}>
      <span className={styles.line}>{ACTION_LABELS[entry.action.kind]}</span>
      <span className={`${styles.line} ${styles.secondary}`}>
        {entry.undoneBy != null && (
          <Badge appearance="tint" color="warning" size="small">
            Undone
          </Badge>
        )}
        {entry.undoes != null && (
          <Badge appearance="tint" color="informative" size="small">
            Undo of #{entry.undoes}
          </Badge>
        )}{" "}
        {detail}
      </span>
    </div>
  );
}

function ResultCell({ row }: { row: ChangeRow }) {
  const styles = useStyles();
  const { outcome } = row.entry;
  if (outcome.result === "done") {
    return (
      <Badge appearance="tint" color="success">
        Done
      </Badge>
    );
  }
  return (
    <div className={styles.twoLines} title={outcome.reason}>
      <span>
        <Badge appearance="tint" color="danger">
          Failed
        </Badge>
      </span>
      <span className={`${styles.line} ${styles.secondary}`}>{outcome.reason}</span>
    </div>
  );
}

const helper = createColumnHelper<ChangeRow>();

/** The table's columns; `onDetails` and `onUndo` open the entry's dialogs. */
export function useChangeColumns(onDetails: (row: ChangeRow) => void, onUndo: (row: ChangeRow) => void) {
  const styles = useStyles();
  return useMemo(
    () =>
      [
        helper.accessor((r) => r.entry.at, {
          id: "at",
          header: "Time",
          size: 165,
          meta: { grow: 0 },
          sortingFn: (a, b) => Date.parse(a.original.entry.at) - Date.parse(b.original.entry.at) || a.original.entry.id - b.original.entry.id,
          cell: (info) => (
            <time className={styles.time} dateTime={info.getValue()}>
              {formatDateTime(info.getValue())}
            </time>
          ),
        }),
        helper.accessor((r) => ACTION_LABELS[r.entry.action.kind], {
          id: "action",
          header: "Change",
          size: 280,
          meta: { grow: 2 },
          cell: (info) => <ChangeCell row={info.row.original} />,
        }),
        helper.accessor((r) => r.entry.target.name, {
          id: "target",
          header: "On",
          size: 170,
          meta: { grow: 1 },
          sortingFn: "text",
        }),
        helper.accessor((r) => (r.entry.outcome.result === "done" ? "Done" : "Failed"), {
          id: "result",
          header: "Result",
          size: 130,
          meta: { grow: 1 },
          cell: (info) => <ResultCell row={info.row.original} />,
        }),
        helper.accessor((r) => r.entry.account.name, { id: "account", header: "By", size: 140, meta: { grow: 0 } }),
        helper.display({
          id: "rowActions",
          header: "",
          size: 190,
          meta: { grow: 0 },
          cell: (info) => (
            <div className={styles.actions}>
              <Button size="small" appearance="subtle" icon={<InfoRegular />} onClick={() => onDetails(info.row.original)}>
                Details
              </Button>
              <WriteButton
                size="small"
                icon={<ArrowUndoRegular />}
                disabled={!info.row.original.undoable}
                title={info.row.original.undoable ? undefined : "This change cannot be undone (Details says why)."}
                onClick={() => onUndo(info.row.original)}
              >
                Undo
              </WriteButton>
            </div>
          ),
        }),
      ] as ColumnDef<ChangeRow, unknown>[],
    [styles, onDetails, onUndo],
  );
}
