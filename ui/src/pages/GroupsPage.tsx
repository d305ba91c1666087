import { SearchBox, Skeleton, SkeletonItem, Text, Toolbar, ToolbarButton, makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular, ArrowDownloadRegular } from "@fluentui/react-icons";
import { type SortingState, getCoreRowModel, getSortedRowModel, useReactTable } from "@tanstack/react-table";
import { useDeferredValue, useMemo, useState } from "react";
import { useGroups } from "../api";
import { DoneBar } from "../components/DoneBar";
import { EmptyState } from "../components/EmptyState";
import { ErrorMessageBar } from "../components/ErrorMessageBar";
import { PageHeader } from "../components/PageHeader";
import { VirtualTable } from "../components/VirtualTable";
import { GroupDetailsDrawer } from "../features/groups/GroupDetails";
import { NewGroupDialog } from "../features/groups/NewGroupDialog";
import { groupColumns } from "../features/groups/columns";
import { groupSearchText } from "../features/groups/labels";
import { downloadText, toCsv } from "../lib/csv";
import { plural } from "../lib/format";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, flex: 1, minHeight: 0 },
  toolbar: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalM, flexWrap: "wrap", padding: 0 },
  search: { width: "300px", maxWidth: "100%" },
  count: { color: tokens.colorNeutralForeground2, marginLeft: "auto" },
  skeleton: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, padding: tokens.spacingVerticalM },
});

export function GroupsPage() {
  const styles = useStyles();
  const groups = useGroups();
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search);
  const [sorting, setSorting] = useState<SortingState>([{ id: "displayName", desc: false }]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const indexed = useMemo(() => (groups.data ?? []).map((group) => ({ group, text: groupSearchText(group) })), [groups.data]);
  const visible = useMemo(() => {
    const needle = deferred.trim().toLowerCase();
    return needle ? indexed.filter((e) => e.text.includes(needle)).map((e) => e.group) : (groups.data ?? []);
  }, [indexed, deferred, groups.data]);

  // eslint-disable-next-line react-hooks/incompatible-library -- we do not use the React Compiler
  const table = useReactTable({
    data: visible,
    columns: groupColumns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (g) => g.id,
  });

  const exportCsv = () => {
    const rows = table.getRowModel().rows.map((r) => {
      const g = r.original;
      return [g.displayName ?? "", r.getValue<string>("kind"), g.dynamic ? "Dynamic" : "Assigned", g.mail ?? "", g.visibility ?? "", g.description ?? "", g.id];
    });
    downloadText(
      `groups-${new Date().toISOString().slice(0, 10)}.csv`,
      toCsv(["Name", "Type", "Membership", "Email", "Privacy", "Description", "Object ID"], rows),
    );
  };

  const total = groups.data?.length ?? 0;
  const countText = visible.length === total ? plural(total, "group") : `${visible.length.toLocaleString()} of ${plural(total, "group")}`;

  return (
    <section className={styles.page}>
      <PageHeader title="Groups" description="Microsoft 365 and security groups. Open a group to see and change its members." />
      <DoneBar message={done} onDismiss={() => setDone(null)} />
      {groups.isError && <ErrorMessageBar error={groups.error} title="Couldn't load groups" />}
      <Toolbar className={styles.toolbar} aria-label="Groups">
        <SearchBox
          className={styles.search}
          placeholder="Search by name, email or description"
          aria-label="Search groups"
          value={search}
          onChange={(_, d) => setSearch(d.value)}
        />
        <ToolbarButton appearance="primary" icon={<AddRegular />} onClick={() => setCreating(true)}>
          New group
        </ToolbarButton>
        <ToolbarButton icon={<ArrowDownloadRegular />} onClick={exportCsv} disabled={visible.length === 0}>
          Export CSV
        </ToolbarButton>
        <Text className={styles.count} aria-live="polite">
          {groups.isPending ? "Loading groups…" : countText}
        </Text>
      </Toolbar>
      {groups.isPending ? (
        <Skeleton aria-label="Loading groups" className={styles.skeleton}>
          {Array.from({ length: 8 }, (_, i) => (
            <SkeletonItem key={i} size={24} />
          ))}
        </Skeleton>
      ) : (
        <VirtualTable
          table={table}
          ariaLabel="Groups"
          rowHeight={52}
          testId="groups-table"
          rowTestId="group-row"
          onRowActivate={(g) => setOpenId(g.id)}
          empty={
            groups.isSuccess && (
              <EmptyState title={total === 0 ? "No groups yet" : "No groups match your search"}>
                {total === 0 ? "Create the first one with New group." : "Try part of a name, an email address or a word from the description."}
              </EmptyState>
            )
          }
        />
      )}
      <GroupDetailsDrawer
        groupId={openId}
        onClose={() => setOpenId(null)}
        onDeleted={(message) => {
          setOpenId(null);
          setDone(message);
        }}
      />
      <NewGroupDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(created) => {
          setCreating(false);
          setDone(created.message);
          setOpenId(created.group.id);
        }}
      />
    </section>
  );
}
