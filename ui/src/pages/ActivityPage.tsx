import {
  Dropdown,
  Option,
  SearchBox,
  Skeleton,
  SkeletonItem,
  Text,
  Toolbar,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { HistoryRegular } from "@fluentui/react-icons";
import { type SortingState, getCoreRowModel, getSortedRowModel, useReactTable } from "@tanstack/react-table";
import { useDeferredValue, useMemo, useState } from "react";
import { type EventKind, useActivity } from "../api";
import { EmptyState } from "../components/EmptyState";
import { ErrorMessageBar } from "../components/ErrorMessageBar";
import { PageHeader } from "../components/PageHeader";
import { VirtualTable } from "../components/VirtualTable";
import { activityColumns } from "../features/activity/columns";
import { CheckNowButton } from "../features/watch/CheckNowButton";
import { EVENT_KINDS, KIND_ORDER, activitySearchText, kindLabel } from "../features/activity/labels";
import { plural } from "../lib/format";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, flex: 1, minHeight: 0 },
  toolbar: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalM, flexWrap: "wrap", padding: 0 },
  search: { width: "300px", maxWidth: "100%" },
  kinds: { minWidth: "220px", maxWidth: "320px" },
  head: { display: "flex", alignItems: "flex-start", justifyContent: "space-between", columnGap: tokens.spacingHorizontalL, flexWrap: "wrap" },
  count: { color: tokens.colorNeutralForeground2, marginLeft: "auto" },
  skeleton: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, padding: tokens.spacingVerticalM },
});

export function ActivityPage() {
  const styles = useStyles();
  const activity = useActivity();
  const [kinds, setKinds] = useState<EventKind[]>([]);
  const [groups, setGroups] = useState<string[]>([]);
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search);
  const [sorting, setSorting] = useState<SortingState>([{ id: "occurredAt", desc: true }]);

  const indexed = useMemo(
    () => (activity.data ?? []).map((event) => ({ event, text: activitySearchText(event) })),
    [activity.data],
  );
  // The groups that appear in the history, for the group filter (membership changes and group events).
  const groupNames = useMemo(() => {
    const names = new Set<string>();
    for (const event of activity.data ?? []) if (event.groupName) names.add(event.groupName);
    return [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: "base" }));
  }, [activity.data]);
  const visible = useMemo(() => {
    const needle = deferredSearch.trim().toLowerCase();
    const kindSet = new Set(kinds);
    const groupSet = new Set(groups);
    return indexed
      .filter(
        (entry) =>
          (kindSet.size === 0 || kindSet.has(entry.event.kind)) &&
          (groupSet.size === 0 || (entry.event.groupName !== null && groupSet.has(entry.event.groupName))) &&
          (!needle || entry.text.includes(needle)),
      )
      .map((entry) => entry.event);
  }, [indexed, kinds, groups, deferredSearch]);

  // eslint-disable-next-line react-hooks/incompatible-library -- we do not use the React Compiler
  const table = useReactTable({
    data: visible,
    columns: activityColumns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (event) => event.id,
  });

  const total = activity.data?.length ?? 0;
  const kindsText = kinds.length === 0 ? "All changes" : kinds.map(kindLabel).join(", ");
  const countText =
    visible.length === total ? plural(total, "change") : `${visible.length.toLocaleString()} of ${plural(total, "change")}`;

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
        <>
          <Toolbar className={styles.toolbar} aria-label="Activity filters">
            <SearchBox
              className={styles.search}
              placeholder="Filter by name, group or detail"
              aria-label="Filter activity"
              value={search}
              onChange={(_, data) => setSearch(data.value)}
            />
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
            <Text className={styles.count} aria-live="polite">
              {activity.isPending ? "Loading activity…" : countText}
            </Text>
          </Toolbar>
          {activity.isPending ? (
            <Skeleton aria-label="Loading activity" className={styles.skeleton}>
              {Array.from({ length: 8 }, (_, i) => (
                <SkeletonItem key={i} size={24} />
              ))}
            </Skeleton>
          ) : (
            <VirtualTable
              table={table}
              ariaLabel="Activity"
              rowHeight={56}
              testId="activity-list"
              rowTestId="activity-row"
              empty={
                <EmptyState title="No changes match these filters">
                  Clear the search box, or choose more kinds of change or groups.
                </EmptyState>
              }
            />
          )}
        </>
      )}
    </section>
  );
}
