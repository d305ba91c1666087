import { ToolbarButton, makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular, FilterRegular } from "@fluentui/react-icons";
import { useState } from "react";
import { type GroupRow, groupSource, useGraphGroupSearch } from "../api";
import { DataTable } from "../components/DataTable";
import { DoneBar } from "../components/DoneBar";
import { EmptyState } from "../components/EmptyState";
import { PageHeader } from "../components/PageHeader";
import { useDataTable } from "../components/useDataTable";
import { AdvancedSearch } from "../features/directory/AdvancedSearch";
import { SyncBanner, asOfText } from "../features/directory/CopyStatus";
import { useCriteria } from "../features/directory/useCriteria";
import { GroupDetailsDrawer } from "../features/groups/GroupDetails";
import { NewGroupDialog } from "../features/groups/NewGroupDialog";
import { GROUP_CRITERIA, GROUP_SORTS, groupColumns } from "../features/groups/columns";
import { plural } from "../lib/format";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, flex: 1, minHeight: 0 },
});

export function GroupsPage() {
  const styles = useStyles();
  const criteria = useCriteria();
  const groups = useDataTable({
    columns: groupColumns,
    getRowId: (g: GroupRow) => g.id,
    initialSort: [{ id: "displayName", desc: false }],
    source: groupSource(criteria.sent),
    sortable: GROUP_SORTS,
    filterKey: criteria.key,
  });
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [advanced, setAdvanced] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const graphSearch = useGraphGroupSearch();

  const total = groups.count;
  const filtered = groups.view.text !== null || criteria.sent.length > 0;
  const countText = [filtered ? plural(total, "match", "matches") : plural(total, "group"), asOfText(groups.page?.asOf ?? null)]
    .filter(Boolean)
    .join(" · ");

  return (
    <section className={styles.page}>
      <PageHeader title="Groups" description="Microsoft 365 and security groups. Open a group to see and change its members." />
      <DoneBar message={done} onDismiss={() => setDone(null)} />
      <SyncBanner />
      <DataTable
        model={groups}
        ariaLabel="Groups"
        rowHeight={52}
        testId="groups-table"
        rowTestId="group-row"
        search={{ label: "Search groups", placeholder: "Search by name, email or description" }}
        errorTitle="Couldn't read the groups"
        loadingLabel="Reading groups…"
        countText={countText}
        csv={{
          fileName: "groups",
          extra: [
            { header: "Membership", value: (g) => (g.dynamic ? "Dynamic" : "Assigned") },
            { header: "Description", value: (g) => g.description },
            { header: "Object ID", value: (g) => g.id },
          ],
        }}
        actions={
          <>
            <ToolbarButton appearance="primary" icon={<AddRegular />} onClick={() => setCreating(true)}>
              New group
            </ToolbarButton>
            <ToolbarButton icon={<FilterRegular />} aria-pressed={advanced} onClick={() => setAdvanced((a) => !a)}>
              Advanced search
            </ToolbarButton>
          </>
        }
        panel={
          advanced && (
            <AdvancedSearch
              properties={GROUP_CRITERIA}
              criteria={criteria.criteria}
              onChange={criteria.setCriteria}
              query={{ ...groups.view, criteria: criteria.sent, offset: 0, limit: 0 }}
              matches={criteria.sent.length > 0 && !groups.isPending ? total : null}
              noun="groups"
              graphSearch={graphSearch}
              describe={(g) => ({ id: g.id, name: g.displayName ?? g.id, detail: g.mail })}
              onOpen={setOpenId}
            />
          )
        }
        onRowActivate={(g) => setOpenId(g.id)}
        empty={
          <EmptyState title={filtered ? "No groups match your search" : "No groups yet"}>
            {filtered ? "Try the start of a name, an email address or a word from the description." : "Create the first one with New group."}
          </EmptyState>
        }
      />
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
