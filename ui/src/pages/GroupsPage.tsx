import { SearchBox, Skeleton, SkeletonItem, Text, Toolbar, ToolbarButton, makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular, ArrowDownloadRegular } from "@fluentui/react-icons";
import { FilterRegular } from "@fluentui/react-icons";
import { useState } from "react";
import { type GroupRow, useGraphGroupSearch, useGroupWindow } from "../api";
import { DoneBar } from "../components/DoneBar";
import { EmptyState } from "../components/EmptyState";
import { ErrorMessageBar } from "../components/ErrorMessageBar";
import { PageHeader } from "../components/PageHeader";
import { VirtualTable } from "../components/VirtualTable";
import { GroupDetailsDrawer } from "../features/groups/GroupDetails";
import { NewGroupDialog } from "../features/groups/NewGroupDialog";
import { AdvancedSearch } from "../features/directory/AdvancedSearch";
import { SyncBanner, asOfText } from "../features/directory/CopyStatus";
import { useCopyTable } from "../features/directory/useCopyTable";
import { GROUP_CRITERIA, GROUP_SORTS, groupColumns } from "../features/groups/columns";
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
  const copy = useCopyTable<GroupRow>(groupColumns, useGroupWindow, GROUP_SORTS);
  const { table, result: groups, page } = copy;
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [advanced, setAdvanced] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const graphSearch = useGraphGroupSearch();

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

  const total = page?.total ?? 0;
  const filtered = copy.query.text !== null || copy.query.criteria.length > 0;
  const countText = [filtered ? plural(total, "match", "matches") : plural(total, "group"), asOfText(page?.asOf ?? null)]
    .filter(Boolean)
    .join(" · ");

  return (
    <section className={styles.page}>
      <PageHeader title="Groups" description="Microsoft 365 and security groups. Open a group to see and change its members." />
      <DoneBar message={done} onDismiss={() => setDone(null)} />
      <SyncBanner />
      {groups.isError && <ErrorMessageBar error={groups.error} title="Couldn't read the groups" />}
      <Toolbar className={styles.toolbar} aria-label="Groups">
        <SearchBox
          className={styles.search}
          placeholder="Search by name, email or description"
          aria-label="Search groups"
          value={copy.search}
          onChange={(_, d) => copy.setSearch(d.value)}
        />
        <ToolbarButton appearance="primary" icon={<AddRegular />} onClick={() => setCreating(true)}>
          New group
        </ToolbarButton>
        <ToolbarButton icon={<FilterRegular />} aria-pressed={advanced} onClick={() => setAdvanced((a) => !a)}>
          Advanced search
        </ToolbarButton>
        <ToolbarButton icon={<ArrowDownloadRegular />} onClick={exportCsv} disabled={total === 0}>
          Export CSV
        </ToolbarButton>
        <Text className={styles.count} aria-live="polite">
          {groups.isPending ? "Reading groups…" : countText}
        </Text>
      </Toolbar>
      {advanced && (
        <AdvancedSearch
          properties={GROUP_CRITERIA}
          criteria={copy.criteria}
          onChange={copy.setCriteria}
          query={copy.query}
          matches={groups.isFetching ? null : copy.query.criteria.length > 0 ? total : null}
          noun="groups"
          graphSearch={graphSearch}
          describe={(g) => ({ id: g.id, name: g.displayName ?? g.id, detail: g.mail })}
          onOpen={setOpenId}
        />
      )}
      {groups.isPending ? (
        <Skeleton aria-label="Loading groups" className={styles.skeleton}>
          {Array.from({ length: 8 }, (_, i) => (
            <SkeletonItem key={i} size={24} />
          ))}
        </Skeleton>
      ) : (
        <VirtualTable
          table={table}
          windowed={copy.windowed}
          ariaLabel="Groups"
          rowHeight={52}
          testId="groups-table"
          rowTestId="group-row"
          onRowActivate={(g) => setOpenId(g.id)}
          empty={
            groups.isSuccess && (
              <EmptyState title={filtered ? "No groups match your search" : "No groups yet"}>
                {filtered ? "Try the start of a name, an email address or a word from the description." : "Create the first one with New group."}
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
