import { makeStyles, tokens } from "@fluentui/react-components";
import { ArrowUploadRegular, MailAddRegular, PersonAddRegular } from "@fluentui/react-icons";
import { useState } from "react";
import { type UserRow, useGraphUserSearch, userSource } from "../api";
import { DataTable } from "../components/DataTable";
import { DoneBar } from "../components/DoneBar";
import { EmptyState } from "../components/EmptyState";
import { PageHeader } from "../components/PageHeader";
import { useWindowedTable } from "../components/useDataTable";
import { AdvancedSearch, useAdvancedSearch } from "../features/directory/AdvancedSearch";
import { SyncBanner, copyCountText, isFiltered, useSyncing } from "../features/directory/CopyStatus";
import { byId } from "../features/directory/memberColumns";
import { useFindPersonBox } from "../features/users/FindPerson";
import { ImportDialog } from "../features/import/ImportDialog";
import { InviteGuestDialog } from "../features/users/InviteGuestDialog";
import { NewUserDialog } from "../features/users/NewUserDialog";
import { UserDetailsDrawer } from "../features/users/UserDetails";
import { USER_CRITERIA, USER_SORTS, userColumns } from "../features/users/columns";
import { WriteToolbarButton } from "../components/WriteAccess";
import { SelectionActions } from "../features/bulk/SelectionActions";

const USER_ACTIONS = ["addToGroup", "removeFromGroup", "assignLicence", "removeLicence", "block", "unblock", "revokeSessions", "deleteUsers"] as const;

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, flex: 1, minHeight: 0 },
});

const INITIAL_SORT = [{ id: "displayName", desc: false }];
const USER_CSV = [{ header: "Object ID", value: (u: UserRow) => u.id }];

export function UsersPage() {
  const styles = useStyles();
  const advanced = useAdvancedSearch();
  const users = useWindowedTable({ source: userSource, columns: userColumns, getRowId: byId, sortable: USER_SORTS, initialSort: INITIAL_SORT, criteria: advanced.criteria });
  const syncing = useSyncing();
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [inviting, setInviting] = useState(false);
  const [importing, setImporting] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const finder = useFindPersonBox(setOpenId);
  const graphSearch = useGraphUserSearch();

  const filtered = isFiltered(users.query);
  const countText = copyCountText(users, "user");

  return (
    <section className={styles.page} aria-labelledby="users-title">
      <PageHeader title="Users" description="Everyone in the directory. Open a person to see their details, groups and manager, or to block, sign out or delete them." />
      <DoneBar message={done} onDismiss={() => setDone(null)} />
      <SyncBanner />
      {finder.messages}
      <SelectionActions model={users} actions={USER_ACTIONS} idOf={(u) => u.id} noun="people" />
      <DataTable
        model={users}
        ariaLabel="Users"
        rowHeight={44}
        testId="users-table"
        rowTestId="user-row"
        errorTitle="Couldn't read the users"
        loadingLabel="Reading users"
        search={{ label: "Search users", placeholder: "Search by name, email, department, city…" }}
        countText={users.isPending ? "Reading users…" : countText}
        csv={{ fileName: "users", extra: USER_CSV }}
        selectable={{ rowLabel: (u) => u.displayName ?? u.userPrincipalName ?? u.id }}
        onRowActivate={(user) => setOpenId(user.id)}
        actions={
          <>
            {finder.box}
            <WriteToolbarButton appearance="primary" icon={<PersonAddRegular />} onClick={() => setCreating(true)}>
              New user
            </WriteToolbarButton>
            <WriteToolbarButton icon={<MailAddRegular />} onClick={() => setInviting(true)}>
              Invite guest
            </WriteToolbarButton>
            <WriteToolbarButton icon={<ArrowUploadRegular />} onClick={() => setImporting(true)}>
              Import from CSV
            </WriteToolbarButton>
            {advanced.button}
          </>
        }
        panel={
          advanced.open && (
            <AdvancedSearch
              {...advanced.panel}
              properties={USER_CRITERIA}
              table={users}
              noun={{ one: "person", many: "people" }}
              graphSearch={graphSearch}
              previewAs="searchUsers"
              describe={(u) => ({ id: u.id, name: u.displayName ?? u.id, detail: u.userPrincipalName })}
              onOpen={setOpenId}
            />
          )
        }
        empty={!users.error && <NoUsers filtered={filtered} syncing={syncing !== null} />}
      />
      <UserDetailsDrawer
        userId={openId}
        onClose={() => setOpenId(null)}
        onDeleted={(message) => {
          setOpenId(null);
          setDone(message);
        }}
      />
      <InviteGuestDialog open={inviting} onClose={() => setInviting(false)} />
      <ImportDialog open={importing} onClose={() => setImporting(false)} />
      <NewUserDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(created) => setDone(created.summary)}
      />
    </section>
  );
}

/** What the Users table shows when it has no rows: no match, the first read still running, or nobody yet. */
function NoUsers({ filtered, syncing }: { filtered: boolean; syncing: boolean }) {
  return (
    <EmptyState title={filtered ? "No users match your search" : syncing ? "Reading your directory…" : "No users yet"}>
      {filtered
        ? "Try the start of a name, an email address, a department or a city."
        : syncing
          ? "The people appear here as soon as the first read is done."
          : "This directory has no users."}
    </EmptyState>
  );
}
