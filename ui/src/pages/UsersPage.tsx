import {
  Menu,
  MenuItemCheckbox,
  MenuList,
  MenuPopover,
  MenuTrigger,
  SearchBox,
  Skeleton,
  SkeletonItem,
  Text,
  Toolbar,
  ToolbarButton,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowDownloadRegular, ColumnTripleEditRegular, MailAddRegular, PersonAddRegular } from "@fluentui/react-icons";
import {
  type SortingState,
  type VisibilityState,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
} from "@tanstack/react-table";
import { useDeferredValue, useMemo, useState } from "react";
import { useUsers } from "../api";
import { DoneBar } from "../components/DoneBar";
import { EmptyState } from "../components/EmptyState";
import { ErrorMessageBar } from "../components/ErrorMessageBar";
import { PageHeader } from "../components/PageHeader";
import { VirtualTable } from "../components/VirtualTable";
import { InviteGuestDialog } from "../features/users/InviteGuestDialog";
import { NewUserDialog } from "../features/users/NewUserDialog";
import { UserDetailsDrawer } from "../features/users/UserDetails";
import { searchText, userColumns } from "../features/users/columns";
import { downloadText, toCsv } from "../lib/csv";
import { plural } from "../lib/format";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, flex: 1, minHeight: 0 },
  toolbar: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalM, flexWrap: "wrap", padding: 0 },
  search: { width: "300px", maxWidth: "100%" },
  count: { color: tokens.colorNeutralForeground2, marginLeft: "auto" },
  skeleton: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, padding: tokens.spacingVerticalM },
});

export function UsersPage() {
  const styles = useStyles();
  const users = useUsers();
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search);
  const [sorting, setSorting] = useState<SortingState>([{ id: "displayName", desc: false }]);
  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>({});
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [inviting, setInviting] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const indexed = useMemo(() => (users.data ?? []).map((user) => ({ user, text: searchText(user) })), [users.data]);
  const visibleUsers = useMemo(() => {
    const needle = deferredSearch.trim().toLowerCase();
    return needle ? indexed.filter((entry) => entry.text.includes(needle)).map((entry) => entry.user) : (users.data ?? []);
  }, [indexed, deferredSearch, users.data]);

  // eslint-disable-next-line react-hooks/incompatible-library -- we do not use the React Compiler
  const table = useReactTable({
    data: visibleUsers,
    columns: userColumns,
    state: { sorting, columnVisibility },
    onSortingChange: setSorting,
    onColumnVisibilityChange: setColumnVisibility,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (user) => user.id,
  });

  const exportCsv = () => {
    const columns = table.getVisibleLeafColumns();
    const header = [...columns.map((c) => (typeof c.columnDef.header === "string" ? c.columnDef.header : c.id)), "Object ID"];
    const rows = table.getRowModel().rows.map((row) => [...columns.map((c) => row.getValue<string>(c.id)), row.original.id]);
    downloadText(`users-${new Date().toISOString().slice(0, 10)}.csv`, toCsv(header, rows));
  };

  const total = users.data?.length ?? 0;
  const shown = visibleUsers.length;
  const countText = shown === total ? plural(total, "user") : `${shown.toLocaleString()} of ${plural(total, "user")}`;

  return (
    <section className={styles.page} aria-labelledby="users-title">
      <PageHeader title="Users" description="Everyone in the directory. Open a person to see their details, groups and manager, or to block, sign out or delete them." />
      <DoneBar message={done} onDismiss={() => setDone(null)} />
      {users.isError && <ErrorMessageBar error={users.error} title="Couldn't load users" />}
      <Toolbar className={styles.toolbar} aria-label="Users">
        <SearchBox
          className={styles.search}
          placeholder="Search by name, UPN or department"
          aria-label="Search users"
          value={search}
          onChange={(_, data) => setSearch(data.value)}
        />
        <ToolbarButton appearance="primary" icon={<PersonAddRegular />} onClick={() => setCreating(true)}>
          New user
        </ToolbarButton>
        <ToolbarButton icon={<MailAddRegular />} onClick={() => setInviting(true)}>
          Invite guest
        </ToolbarButton>
        <ToolbarButton icon={<ArrowDownloadRegular />} onClick={exportCsv} disabled={shown === 0}>
          Export CSV
        </ToolbarButton>
        <Menu
          checkedValues={{
            columns: table.getAllLeafColumns().filter((c) => c.getIsVisible()).map((c) => c.id),
          }}
          onCheckedValueChange={(_, data) => {
            const visible = new Set(data.checkedItems);
            setColumnVisibility(
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
          {users.isPending ? "Loading users…" : countText}
        </Text>
      </Toolbar>
      {users.isPending ? (
        <Skeleton aria-label="Loading users" className={styles.skeleton}>
          {Array.from({ length: 8 }, (_, i) => (
            <SkeletonItem key={i} size={24} />
          ))}
        </Skeleton>
      ) : (
        <VirtualTable
          table={table}
          ariaLabel="Users"
          rowHeight={44}
          testId="users-table"
          rowTestId="user-row"
          onRowActivate={(user) => setOpenId(user.id)}
          empty={
            users.isSuccess && (
              <EmptyState title={total === 0 ? "No users yet" : "No users match your search"}>
                {total === 0 ? "This directory has no users." : "Try part of a name, a user principal name or a department."}
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
