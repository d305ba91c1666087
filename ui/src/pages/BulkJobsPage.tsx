import { Badge, Button, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowUndoRegular, OpenRegular, TaskListLtrRegular } from "@fluentui/react-icons";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { useMemo } from "react";
import { type Job, useBulkJobList } from "../api";
import { DataTable } from "../components/DataTable";
import { EmptyState } from "../components/EmptyState";
import { ErrorMessageBar } from "../components/ErrorMessageBar";
import { PageHeader } from "../components/PageHeader";
import { useClientTable } from "../components/useDataTable";
import { WriteButton } from "../components/WriteAccess";
import { useBulkJobs } from "../features/bulk/BulkJobs";
import { actionOf } from "../features/bulk/words";
import { formatDateTime, plural } from "../lib/format";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, flex: 1, minHeight: 0 },
  twoLines: { display: "flex", flexDirection: "column", minWidth: 0, rowGap: "2px" },
  line: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  time: { whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" },
  actions: { display: "flex", columnGap: tokens.spacingHorizontalS },
});

const INITIAL_SORT = [{ id: "when", desc: true }];

const STATE: Record<Job["state"], string> = {
  planned: "Not started",
  running: "Running or stopped",
  cancelled: "Cancelled",
  finished: "Finished",
  discarded: "Discarded",
};

/** Why a job cannot be undone in one click, if so (Rust checks again, in Graph, when asked). */
export function whyNoUndo(job: Job): string | null {
  if (job.undoneBy != null) return `Already undone (job ${job.undoneBy}).`;
  if (job.state === "running") return "It has not ended yet.";
  if (job.counts.done === 0) return "No row of it was done.";
  if (job.kind.kind === "revokeSessions") return "Signing people out cannot be undone.";
  if (job.kind.kind === "restore") return "Restoring is not undone in one click.";
  return null;
}

const helper = createColumnHelper<Job>();

function JobCell({ job }: { job: Job }) {
  const styles = useStyles();
  return (
    <div className={styles.twoLines} title={job.title}>
      <span className={styles.line}>{job.title}</span>
      <span className={`${styles.line} ${styles.secondary}`}>
        {job.undoneBy != null && (
          <Badge appearance="tint" color="warning" size="small">
            Undone
          </Badge>
        )}
        {job.undoes != null && (
          <Badge appearance="tint" color="informative" size="small">
            {`Undo of job ${job.undoes}`}
          </Badge>
        )}{" "}
        {`Job ${job.id} · ${plural(job.counts.total, "row")}`}
      </span>
    </div>
  );
}

function useJobColumns() {
  const styles = useStyles();
  const jobs = useBulkJobs();
  return useMemo(
    () =>
      [
        helper.accessor((j) => j.createdSecs, {
          id: "when",
          header: "Started",
          size: 165,
          meta: { grow: 0 },
          cell: (info) => <time className={styles.time}>{formatDateTime(new Date(info.getValue() * 1000).toISOString())}</time>,
        }),
        helper.accessor((j) => j.title, { id: "job", header: "Job", size: 300, meta: { grow: 2 }, cell: (info) => <JobCell job={info.row.original} /> }),
        helper.accessor((j) => STATE[j.state], { id: "state", header: "State", size: 140, meta: { grow: 0 } }),
        helper.accessor((j) => `${j.counts.done} done, ${j.counts.skipped} skipped, ${j.counts.failed} failed${j.counts.notSent > 0 ? `, ${j.counts.notSent} not sent` : ""}`, {
          id: "results",
          header: "Results",
          size: 260,
          meta: { grow: 1 },
        }),
        helper.display({
          id: "rowActions",
          header: "",
          size: 200,
          meta: { grow: 0 },
          cell: (info) => {
            const job = info.row.original;
            const why = whyNoUndo(job);
            return (
              <div className={styles.actions}>
                <Button size="small" appearance="subtle" icon={<OpenRegular />} onClick={() => jobs?.show(job.id, actionOf(job.kind), job.title)}>
                  Results
                </Button>
                <WriteButton size="small" icon={<ArrowUndoRegular />} disabled={why !== null} title={why ?? undefined} onClick={() => jobs?.undo(job.id, actionOf(job.kind), job.title)}>
                  Undo job
                </WriteButton>
              </div>
            );
          },
        }),
      ] as ColumnDef<Job, unknown>[],
    [styles, jobs],
  );
}

/** Bulk jobs: every job run on this account, newest first, with its results (exportable) and one-click undo. */
export function BulkJobsPage() {
  const styles = useStyles();
  const list = useBulkJobList();
  const table = useClientTable({
    rows: list.data,
    columns: useJobColumns(),
    getRowId: (job: Job) => String(job.id),
    searchText: (job) => `${job.title} ${job.id}`,
    initialSort: INITIAL_SORT,
    status: { isPending: list.isPending, isFetching: list.isFetching, error: list.error },
  });
  const total = list.data?.length ?? 0;
  return (
    <section className={styles.page}>
      <PageHeader
        title="Bulk jobs"
        description="Changes made to many people at once, newest first. Open a job to see each row's result with Microsoft's request id, export them, or undo the whole job: the undo is previewed and checked with Microsoft first."
      />
      {list.isError && <ErrorMessageBar error={list.error} title="Couldn't read the bulk jobs" />}
      {list.isSuccess && total === 0 ? (
        <EmptyState icon={<TaskListLtrRegular />} title="No bulk jobs yet.">
          Tick several people in Users, a group's members or a licence's holders, then choose an action: the job is listed here.
        </EmptyState>
      ) : (
        <DataTable
          model={table}
          ariaLabel="Bulk jobs"
          toolbarLabel="Bulk job filters"
          rowHeight={56}
          testId="bulk-jobs-list"
          rowTestId="bulk-job-row"
          loadingLabel="Loading the bulk jobs"
          search={{ label: "Filter jobs", placeholder: "Filter by job" }}
          countText={list.isPending ? "Loading…" : table.count === total ? plural(total, "job") : `${table.count.toLocaleString()} of ${plural(total, "job")}`}
          csv={{ fileName: "bulk-jobs" }}
          empty={<EmptyState title="No jobs match">Clear the search box.</EmptyState>}
        />
      )}
    </section>
  );
}
