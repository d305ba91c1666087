import { makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular } from "@fluentui/react-icons";
import { useState } from "react";
import { type GroupRow, groupSource, useGraphGroupSearch } from "../api";
import { DataTable } from "../components/DataTable";
import { DoneBar } from "../components/DoneBar";
import { EmptyState } from "../components/EmptyState";
import { PageHeader } from "../components/PageHeader";
import { useWindowedTable } from "../components/useDataTable";
import { AdvancedSearch, useAdvancedSearch } from "../features/directory/AdvancedSearch";
import { SyncBanner, copyCountText, isFiltered } from "../features/directory/CopyStatus";
import { byId } from "../features/directory/memberColumns";
import { GroupDetailsDrawer } from "../features/groups/GroupDetails";
import { NewGroupDialog } from "../features/groups/NewGroupDialog";
import { GROUP_CRITERIA, GROUP_SORTS, groupColumns } from "../features/groups/columns";
import { WriteToolbarButton } from "../components/WriteAccess";
import { SelectionActions } from "../features/bulk/SelectionActions";

/** Groups can be put in (or taken out of) another group, and deleted, many at once. */
const GROUP_ACTIONS = ["addToGroup", "removeFromGroup", "deleteGroups"] as const;

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, flex: 1, minHeight: 0 },
});

const INITIAL_SORT = [{ id: "displayName", desc: false }];
/** The CSV's columns after the visible ones. */
const GROUP_CSV = [
  { header: "Membership", value: (g: GroupRow) => (g.dynamic ? "Dynamic" : "Assigned") },
  { header: "Description", value: (g: GroupRow) => g.description },
  { header: "Object ID", value: (g: GroupRow) => g.id },
];

export function GroupsPage() {
  const styles = useStyles();
  const advanced = useAdvancedSearch();
  const groups = useWindowedTable({ source: groupSource, columns: groupColumns, getRowId: byId, sortable: GROUP_SORTS, initialSort: INITIAL_SORT, criteria: advanced.criteria });
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const graphSearch = useGraphGroupSearch();

  const filtered = isFiltered(groups.query);
  const countText = copyCountText(groups, "group");

  return (
    <section className={styles.page}>
      <PageHeader title="Groups" description="Microsoft 365 and security groups. Open a group to see and change its members." />
      <DoneBar message={done} onDismiss={() => setDone(null)} />
      <SyncBanner />
      <SelectionActions model={groups} actions={GROUP_ACTIONS} idOf={(g) => g.id} noun="groups" labels={{ deleteGroups: "Delete" }} />
      <DataTable
        model={groups}
        ariaLabel="Groups"
        rowHeight={52}
        testId="groups-table"
        rowTestId="group-row"
        errorTitle="Couldn't read the groups"
        loadingLabel="Loading groups"
        search={{ label: "Search groups", placeholder: "Search by name, email or description" }}
        countText={groups.isPending ? "Reading groups…" : countText}
        csv={{ fileName: "groups", extra: GROUP_CSV }}
        selectable={{ rowLabel: (g) => g.displayName ?? g.id }}
        onRowActivate={(g) => setOpenId(g.id)}
        actions={
          <>
            <WriteToolbarButton appearance="primary" icon={<AddRegular />} onClick={() => setCreating(true)}>
              New group
            </WriteToolbarButton>
            {advanced.button}
          </>
        }
        panel={
          advanced.open && (
            <AdvancedSearch
              {...advanced.panel}
              properties={GROUP_CRITERIA}
              table={groups}
              noun={{ one: "group", many: "groups" }}
              graphSearch={graphSearch}
              previewAs="searchGroups"
              describe={(g) => ({ id: g.id, name: g.displayName ?? g.id, detail: g.mail })}
              onOpen={setOpenId}
            />
          )
        }
        empty={
          !groups.error && (
            <EmptyState title={filtered ? "No groups match your search" : "No groups yet"}>
              {filtered ? "Try the start of a name, an email address or a word from the description." : "Create the first one with New group."}
            </EmptyState>
          )
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
