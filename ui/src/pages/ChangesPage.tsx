import { Dropdown, Field, Input, Option, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowUndoRegular } from "@fluentui/react-icons";
import { useCallback, useMemo, useState } from "react";
import { type ChangeRow, type JournalFilter, useChanges } from "../api";
import { DataTable } from "../components/DataTable";
import { DoneBar } from "../components/DoneBar";
import { EmptyState } from "../components/EmptyState";
import { ErrorMessageBar } from "../components/ErrorMessageBar";
import { PageHeader } from "../components/PageHeader";
import { useClientTable } from "../components/useDataTable";
import { ChangeDetailsDialog, UndoDialog } from "../features/changes/ChangeDialogs";
import { useChangeColumns } from "../features/changes/columns";
import { ACTION_LABELS, ACTION_ORDER, changeSearchText } from "../features/changes/labels";
import { plural } from "../lib/format";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, flex: 1, minHeight: 0 },
  filter: { minWidth: "180px", maxWidth: "280px" },
  date: { width: "150px" },
  filters: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
});

const INITIAL_SORT = [{ id: "at", desc: true }];
type Result = "all" | "done" | "failed";
const RESULTS: Record<Result, string> = { all: "All results", done: "Done", failed: "Failed" };

/** Changes made here: every change this app made (or tried), with details and one-click undo. */
export function ChangesPage() {
  const styles = useStyles();
  const filters = useChangeFilters();
  const changes = useChanges(filters.filter);
  const [details, setDetails] = useState<ChangeRow | null>(null);
  const [undoing, setUndoing] = useState<ChangeRow | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const columns = useChangeColumns(
    useCallback((row: ChangeRow) => setDetails(row), []),
    useCallback((row: ChangeRow) => setUndoing(row), []),
  );
  const table = useClientTable({
    rows: changes.data,
    columns,
    getRowId: (row: ChangeRow) => String(row.entry.id),
    searchText: (row) => changeSearchText(row.entry),
    initialSort: INITIAL_SORT,
    status: { isPending: changes.isPending, isFetching: changes.isFetching, error: changes.error },
  });
  const accounts = useMemo(() => {
    const seen = new Map<string, string>();
    for (const row of changes.data ?? []) seen.set(row.entry.account.id, row.entry.account.name);
    return [...seen.entries()];
  }, [changes.data]);
  const total = changes.data?.length ?? 0;
  const countText = table.count === total ? plural(total, "change") : `${table.count.toLocaleString()} of ${plural(total, "change")}`;

  return (
    <section className={styles.page}>
      <PageHeader
        title="Changes made here"
        description="Every change Entra Desk made or tried, newest first: who, what, the values before and after, and Microsoft's request id. Undo takes a change back where Microsoft allows it."
      />
      {done && <DoneBar message={done} onDismiss={() => setDone(null)} />}
      {changes.isError && <ErrorMessageBar error={changes.error} title="Couldn't read the changes made here" />}
      {changes.isSuccess && total === 0 && !filters.filtered ? (
        <EmptyState icon={<ArrowUndoRegular />} title="No changes made here yet.">
          Changes you make in Entra Desk — to people, groups, licences and roles — are listed here, and most can be undone.
        </EmptyState>
      ) : (
        <DataTable
          model={table}
          ariaLabel="Changes made here"
          toolbarLabel="Change filters"
          rowHeight={56}
          testId="changes-list"
          rowTestId="change-row"
          loadingLabel="Loading the changes made here"
          search={{ label: "Filter changes", placeholder: "Filter by name, group or request id" }}
          countText={changes.isPending ? "Loading…" : countText}
          csv={{ fileName: "changes-made-here" }}
          actions={<ChangeFilters {...filters} accounts={accounts} />}
          empty={<EmptyState title="No changes match these filters">Clear the search box, or choose more kinds of change or a wider date range.</EmptyState>}
        />
      )}
      <ChangeDetailsDialog row={details} onClose={() => setDetails(null)} />
      <UndoDialog row={undoing} onClose={() => setUndoing(null)} onDone={setDone} />
    </section>
  );
}

/** The filters Rust applies (kind, result, who, dates); the table's search box does the rest. */
function useChangeFilters() {
  const [actions, setActions] = useState<string[]>([]);
  const [result, setResult] = useState<Result>("all");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [accountId, setAccountId] = useState<string | null>(null);
  const filter: JournalFilter = useMemo(
    () => ({ actions, target: null, failed: result === "all" ? null : result === "failed", accountId, from: from || null, to: to || null, limit: null }),
    [actions, result, accountId, from, to],
  );
  const filtered = actions.length > 0 || result !== "all" || from !== "" || to !== "" || accountId !== null;
  return { filter, filtered, actions, setActions, result, setResult, from, setFrom, to, setTo, accountId, setAccountId };
}

/**
 * Kind of change, result, who made it, from and to: in the table's toolbar. The dates are typed (Rust checks
 * them and says how to write one): WebKitGTK draws an empty date input as today's date, which reads as a
 * filter that is set.
 */
function ChangeFilters({
  actions,
  setActions,
  result,
  setResult,
  from,
  setFrom,
  to,
  setTo,
  accountId,
  setAccountId,
  accounts,
}: ReturnType<typeof useChangeFilters> & { accounts: [string, string][] }) {
  const styles = useStyles();
  return (
    <div className={styles.filters}>
        <Dropdown
          className={styles.filter}
          aria-label="Kinds of change"
          multiselect
          placeholder="All changes"
          value={actions.map((a) => ACTION_LABELS[a as keyof typeof ACTION_LABELS]).join(", ")}
          selectedOptions={actions}
          onOptionSelect={(_, data) => setActions(data.selectedOptions)}
        >
          {ACTION_ORDER.map((kind) => (
            <Option key={kind} value={kind}>
              {ACTION_LABELS[kind]}
            </Option>
          ))}
        </Dropdown>
        <Dropdown
          className={styles.filter}
          aria-label="Result"
          value={RESULTS[result]}
          selectedOptions={[result]}
          onOptionSelect={(_, data) => setResult((data.optionValue as Result) ?? "all")}
        >
          {(Object.keys(RESULTS) as Result[]).map((r) => (
            <Option key={r} value={r}>
              {RESULTS[r]}
            </Option>
          ))}
        </Dropdown>
        <Dropdown
          className={styles.filter}
          aria-label="Made by"
          placeholder="Anyone"
          disabled={accounts.length < 2 && accountId === null}
          value={accounts.find(([id]) => id === accountId)?.[1] ?? ""}
          selectedOptions={accountId ? [accountId] : []}
          onOptionSelect={(_, data) => setAccountId(data.optionValue === "" ? null : (data.optionValue ?? null))}
        >
          <Option value="">Anyone</Option>
          {accounts.map(([id, name]) => (
            <Option key={id} value={id}>
              {name}
            </Option>
          ))}
        </Dropdown>
        <Field label="From" size="small">
          <Input className={styles.date} size="small" placeholder="e.g. 2026-12-01" value={from} onChange={(_, d) => setFrom(d.value)} />
        </Field>
        <Field label="To" size="small">
          <Input className={styles.date} size="small" placeholder="e.g. 2026-12-31" value={to} onChange={(_, d) => setTo(d.value)} />
        </Field>
      </div>
  );
}
