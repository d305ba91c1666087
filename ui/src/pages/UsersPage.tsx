import {
  Input,
  Menu,
  MenuItemCheckbox,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarBody,
  SearchBox,
  Skeleton,
  SkeletonItem,
  Text,
  Toolbar,
  ToolbarButton,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import {
  ArrowDownloadRegular,
  ColumnTripleEditRegular,
  FilterRegular,
  MailAddRegular,
  PersonAddRegular,
  PersonSearchRegular,
} from "@fluentui/react-icons";
import { useState } from "react";
import { type UserRow, readAllUsers, useFindPerson, useGraphUserSearch, useUserWindow } from "../api";
import { DoneBar } from "../components/DoneBar";
import { EmptyState } from "../components/EmptyState";
import { ErrorMessageBar } from "../components/ErrorMessageBar";
import { PageHeader } from "../components/PageHeader";
import { VirtualTable } from "../components/VirtualTable";
import { AdvancedSearch } from "../features/directory/AdvancedSearch";
import { SyncBanner, asOfText, useSyncing } from "../features/directory/CopyStatus";
import { useCopyTable } from "../features/directory/useCopyTable";
import { InviteGuestDialog } from "../features/users/InviteGuestDialog";
import { NewUserDialog } from "../features/users/NewUserDialog";
import { UserDetailsDrawer } from "../features/users/UserDetails";
import { USER_CRITERIA, USER_SORTS, userColumns } from "../features/users/columns";
import { downloadText, toCsv } from "../lib/csv";
import { plural } from "../lib/format";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, flex: 1, minHeight: 0 },
  toolbar: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalM, flexWrap: "wrap", padding: 0 },
  search: { width: "300px", maxWidth: "100%" },
  find: { width: "260px", maxWidth: "100%" },
  count: { color: tokens.colorNeutralForeground2, marginLeft: "auto" },
  skeleton: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, padding: tokens.spacingVerticalM },
});

export function UsersPage() {
  const styles = useStyles();
  const copy = useCopyTable<UserRow>(userColumns, useUserWindow, USER_SORTS);
  const syncing = useSyncing();
  const { table, result: users, page } = copy;
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [inviting, setInviting] = useState(false);
  const [advanced, setAdvanced] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [findKey, setFindKey] = useState("");
  const [notFound, setNotFound] = useState<string | null>(null);
  const find = useFindPerson();
  const graphSearch = useGraphUserSearch();

  const findPerson = () => {
    const key = findKey.trim();
    if (!key) return;
    setNotFound(null);
    find.mutate(key, {
      onSuccess: (person) => {
        if (person) setOpenId(person.id);
        else setNotFound(`Nobody in the directory has “${key}” as their object ID, sign-in name or email address.`);
      },
    });
  };

  const exportCsv = async () => {
    const columns = table.getVisibleLeafColumns();
    const header = [...columns.map((c) => (typeof c.columnDef.header === "string" ? c.columnDef.header : c.id)), "Object ID"];
    // Every matching person, read from the local copy a window at a time (not just the rows on screen).
    const everyone = await readAllUsers(copy.query);
    const rows = everyone.map((user) => [
      ...columns.map((c) => {
        const accessor = (c.columnDef as { accessorFn?: (row: UserRow, index: number) => string }).accessorFn;
        return accessor?.(user, 0) ?? "";
      }),
      user.id,
    ]);
    downloadText(`users-${new Date().toISOString().slice(0, 10)}.csv`, toCsv(header, rows));
  };

  const total = page?.total ?? 0;
  const filtered = copy.query.text !== null || copy.query.criteria.length > 0;
  const asOf = asOfText(page?.asOf ?? null);
  const countText = [filtered ? `${plural(total, "match", "matches")}` : plural(total, "user"), asOf].filter(Boolean).join(" · ");

  return (
    <section className={styles.page} aria-labelledby="users-title">
      <PageHeader title="Users" description="Everyone in the directory. Open a person to see their details, groups and manager, or to block, sign out or delete them." />
      <DoneBar message={done} onDismiss={() => setDone(null)} />
      <SyncBanner />
      {users.isError && <ErrorMessageBar error={users.error} title="Couldn't read the users" />}
      {find.isError && <ErrorMessageBar error={find.error} title="Couldn't look the person up" />}
      {notFound && (
        <MessageBar intent="info">
          <MessageBarBody>{notFound}</MessageBarBody>
        </MessageBar>
      )}
      <Toolbar className={styles.toolbar} aria-label="Users">
        <SearchBox
          className={styles.search}
          placeholder="Search by name, email, department, city…"
          aria-label="Search users"
          value={copy.search}
          onChange={(_, data) => copy.setSearch(data.value)}
        />
        <Input
          className={styles.find}
          aria-label="Find a person by ID, sign-in name or email"
          placeholder="Find a person: ID, sign-in name or email"
          value={findKey}
          onChange={(_, d) => setFindKey(d.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") findPerson();
          }}
          contentAfter={
            <ToolbarButton aria-label="Find" icon={<PersonSearchRegular />} onClick={findPerson} disabled={find.isPending} />
          }
        />
        <ToolbarButton appearance="primary" icon={<PersonAddRegular />} onClick={() => setCreating(true)}>
          New user
        </ToolbarButton>
        <ToolbarButton icon={<MailAddRegular />} onClick={() => setInviting(true)}>
          Invite guest
        </ToolbarButton>
        <ToolbarButton icon={<FilterRegular />} aria-pressed={advanced} onClick={() => setAdvanced((a) => !a)}>
          Advanced search
        </ToolbarButton>
        <ToolbarButton icon={<ArrowDownloadRegular />} onClick={() => void exportCsv()} disabled={total === 0}>
          Export CSV
        </ToolbarButton>
        <Menu
          checkedValues={{
            columns: table.getAllLeafColumns().filter((c) => c.getIsVisible()).map((c) => c.id),
          }}
          onCheckedValueChange={(_, data) => {
            const visible = new Set(data.checkedItems);
            table.setColumnVisibility(
              Object.fromEntries(table.getAllLeafColumns().map((c) => [c.id, !c.getCanHide() || visible.has(c.id)])),
            );
          }}
        >
          <MenuTrigger disableButtonEnhancement>
            <ToolbarButton icon={<ColumnTripleEditRegular />}>Columns</ToolbarButton>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              {table.getAllLeafColumns().map((column) => (
                <MenuItemCheckbox key={column.id} name="columns" value={column.id} disabled={!column.getCanHide()}>
                  {typeof column.columnDef.header === "string" ? column.columnDef.header : column.id}
                </MenuItemCheckbox>
              ))}
            </MenuList>
          </MenuPopover>
        </Menu>
        <Text className={styles.count} aria-live="polite">
          {users.isPending ? "Reading users…" : countText}
        </Text>
      </Toolbar>
      {advanced && (
        <AdvancedSearch
          properties={USER_CRITERIA}
          criteria={copy.criteria}
          onChange={copy.setCriteria}
          query={copy.query}
          matches={users.isFetching ? null : copy.query.criteria.length > 0 ? total : null}
          noun="people"
          graphSearch={graphSearch}
          describe={(u) => ({ id: u.id, name: u.displayName ?? u.id, detail: u.userPrincipalName })}
          onOpen={setOpenId}
        />
      )}
      {users.isPending ? (
        <Skeleton aria-label="Reading users" className={styles.skeleton}>
          {Array.from({ length: 8 }, (_, i) => (
            <SkeletonItem key={i} size={24} />
          ))}
        </Skeleton>
      ) : (
        <VirtualTable
          table={table}
          windowed={copy.windowed}
          ariaLabel="Users"
          rowHeight={44}
          testId="users-table"
          rowTestId="user-row"
          onRowActivate={(user) => setOpenId(user.id)}
          empty={
            users.isSuccess && (
              <EmptyState title={filtered ? "No users match your search" : syncing ? "Reading your directory…" : "No users yet"}>
                {filtered
                  ? "Try the start of a name, an email address, a department or a city."
                  : syncing
                    ? "The people appear here as soon as the first read is done."
                    : "This directory has no users."}
              </EmptyState>
            )
          }
        />
      )}
      <UserDetailsDrawer
        userId={openId}
        onClose={() => setOpenId(null)}
        onDeleted={(message) => {
          setOpenId(null);
          setDone(message);
        }}
      />
      <InviteGuestDialog open={inviting} onClose={() => setInviting(false)} />
      <NewUserDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(user) => setDone(`${user.displayName ?? user.userPrincipalName ?? "The user"} was created.`)}
      />
    </section>
  );
}
