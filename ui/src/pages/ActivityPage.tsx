import { Dropdown, Option, makeStyles, tokens } from "@fluentui/react-components";
import { HistoryRegular } from "@fluentui/react-icons";
import { useMemo, useState } from "react";
import { type ActivityEvent, type EventKind, useActivity } from "../api";
import { DataTable } from "../components/DataTable";
import { EmptyState } from "../components/EmptyState";
import { ErrorMessageBar } from "../components/ErrorMessageBar";
import { PageHeader } from "../components/PageHeader";
import { useClientTable } from "../components/useDataTable";
import { activityColumns } from "../features/activity/columns";
import { CheckNowButton } from "../features/watch/CheckNowButton";
import { EVENT_KINDS, KIND_ORDER, activitySearchText, kindLabel } from "../features/activity/labels";
import { plural } from "../lib/format";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, flex: 1, minHeight: 0 },
  kinds: { minWidth: "220px", maxWidth: "320px" },
  head: { display: "flex", alignItems: "flex-start", justifyContent: "space-between", columnGap: tokens.spacingHorizontalL, flexWrap: "wrap" },
});

const INITIAL_SORT = [{ id: "occurredAt", desc: true }];

export function ActivityPage() {
  const styles = useStyles();
  const activity = useActivity();
  const filters = useActivityFilters(activity.data);
  const table = useClientTable({
    rows: filters.chosen,
    columns: activityColumns,
    getRowId: (event: ActivityEvent) => event.id,
    searchText: activitySearchText,
    initialSort: INITIAL_SORT,
    status: { isPending: activity.isPending, isFetching: activity.isFetching, error: null },
  });

  const total = activity.data?.length ?? 0;
  const countText =
    table.count === total ? plural(total, "change") : `${table.count.toLocaleString()} of ${plural(total, "change")}`;

  return (
    <section className={styles.page}>
      <div className={styles.head}>
        <PageHeader
          title="Activity"
          description="Changes seen in the directory, newest first — including those made by other people and tools."
        />
        <CheckNowButton />
      </div>
      {activity.isError && <ErrorMessageBar error={activity.error} title="Couldn't load activity" />}
      {activity.isSuccess && total === 0 ? (
        <EmptyState icon={<HistoryRegular />} title="No changes seen yet. Entra Desk checks the directory every minute.">
          New and deleted users and groups, changed properties and membership changes show up here, including changes
          made by other people and tools.
        </EmptyState>
      ) : (
        <DataTable
          model={table}
          ariaLabel="Activity"
          toolbarLabel="Activity filters"
          rowHeight={56}
          testId="activity-list"
          rowTestId="activity-row"
          loadingLabel="Loading activity"
          search={{ label: "Filter activity", placeholder: "Filter by name, group or detail" }}
          countText={activity.isPending ? "Loading activity…" : countText}
          csv={{ fileName: "activity" }}
          actions={<ActivityFilters {...filters} />}
          empty={
            <EmptyState title="No changes match these filters">
              Clear the search box, or choose more kinds of change or groups.
            </EmptyState>
          }
        />
      )}
    </section>
  );
}

/** The kind and group filters: they narrow the rows; the table's search box does the rest. */
function useActivityFilters(events: ActivityEvent[] | undefined) {
  const [kinds, setKinds] = useState<EventKind[]>([]);
  const [groups, setGroups] = useState<string[]>([]);
  // The groups that appear in the history, for the group filter (membership changes and group events).
  const groupNames = useMemo(() => {
    const names = new Set<string>();
    for (const event of events ?? []) if (event.groupName) names.add(event.groupName);
    return [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: "base" }));
  }, [events]);
  const chosen = useMemo(() => {
    const kindSet = new Set(kinds);
    const groupSet = new Set(groups);
    return (events ?? []).filter(
      (event) =>
        (kindSet.size === 0 || kindSet.has(event.kind)) &&
        (groupSet.size === 0 || (event.groupName !== null && groupSet.has(event.groupName))),
    );
  }, [events, kinds, groups]);
  return { kinds, setKinds, groups, setGroups, groupNames, chosen };
}

/** Kinds of change and Groups: two multi-select lists in the table's toolbar. */
function ActivityFilters({ kinds, setKinds, groups, setGroups, groupNames }: ReturnType<typeof useActivityFilters>) {
  const styles = useStyles();
  const kindsText = kinds.length === 0 ? "All changes" : kinds.map(kindLabel).join(", ");
  return (
    <>
      <Dropdown
        className={styles.kinds}
        aria-label="Kinds of change"
        multiselect
        placeholder="All changes"
        value={kinds.length === 0 ? "" : kindsText}
        selectedOptions={kinds}
        onOptionSelect={(_, data) => setKinds(data.selectedOptions as EventKind[])}
      >
        {KIND_ORDER.map((kind) => (
          <Option key={kind} value={kind}>
            {EVENT_KINDS[kind].label}
          </Option>
        ))}
      </Dropdown>
      <Dropdown
        className={styles.kinds}
        aria-label="Groups"
        multiselect
        placeholder="All groups"
        disabled={groupNames.length === 0}
        value={groups.join(", ")}
        selectedOptions={groups}
        onOptionSelect={(_, data) => setGroups(data.selectedOptions)}
      >
        {groupNames.map((name) => (
          <Option key={name} value={name}>
            {name}
          </Option>
        ))}
      </Dropdown>
    </>
  );
}
