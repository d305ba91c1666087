import { Badge, Field, Input, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowUndoRegular, DeleteDismissRegular, DeleteRegular } from "@fluentui/react-icons";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { type DeletedItem, useDeletePermanently, useDeletedItems, useRestoreDeleted } from "../api";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { DataTable } from "../components/DataTable";
import { DoneBar } from "../components/DoneBar";
import { EmptyState } from "../components/EmptyState";
import { ErrorMessageBar } from "../components/ErrorMessageBar";
import { PageHeader } from "../components/PageHeader";
import { useClientTable } from "../components/useDataTable";
import { SelectionActions } from "../features/bulk/SelectionActions";
import { WriteButton } from "../components/WriteAccess";
import { formatDateTime, plural } from "../lib/format";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, flex: 1, minHeight: 0 },
  actions: { display: "flex", columnGap: tokens.spacingHorizontalXS, whiteSpace: "nowrap" },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

/** "12 days left", "last day", "due for removal", or nothing when Graph did not say when it was deleted. */
export function daysLeftText(days: number | null, overdue = false): string {
  if (overdue) return "due for removal";
  if (days === null) return "";
  if (days === 0) return "last day";
  return `${plural(days, "day")} left`;
}

const INITIAL_SORT = [{ id: "deleted", desc: true }];

const DELETED_ACTIONS = ["restore"] as const;

type Asked = { item: DeletedItem; what: "restore" | "purge" };

function useColumns(ask: (asked: Asked) => void) {
  const styles = useStyles();
  return useMemo(() => {
    const helper = createColumnHelper<DeletedItem>();
    return [
      helper.accessor("displayName", { header: "Name", size: 180, meta: { grow: 1 }, enableHiding: false, sortingFn: "text" }),
      helper.accessor((i) => (i.kind === "user" ? "User" : "Group"), {
        id: "kind",
        header: "Type",
        size: 90,
        meta: { grow: 0 },
        cell: (info) => (
          <Badge appearance="tint" color={info.row.original.kind === "user" ? "brand" : "informative"}>
            {info.getValue()}
          </Badge>
        ),
      }),
      helper.accessor((i) => i.detail ?? "", { id: "detail", header: "Sign-in name or email", size: 220, meta: { grow: 1 } }),
      helper.accessor((i) => i.deleted ?? "", {
        id: "deleted",
        header: "Deleted",
        size: 190,
        meta: { grow: 0 },
        cell: (info) => (info.getValue() ? formatDateTime(info.getValue()) : ""),
      }),
      helper.accessor((i) => i.daysLeft ?? -1, {
        id: "daysLeft",
        header: "Can be restored",
        size: 130,
        meta: { grow: 0 },
        cell: (info) => <span className={styles.secondary}>{daysLeftText(info.row.original.daysLeft ?? null, info.row.original.overdue)}</span>,
      }),
      helper.display({
        id: "actions",
        header: "",
        size: 290,
        meta: { grow: 0 },
        cell: (info) => (
          <div className={styles.actions}>
            <WriteButton size="small" icon={<ArrowUndoRegular />} onClick={() => ask({ item: info.row.original, what: "restore" })}>
              Restore
            </WriteButton>
            <WriteButton size="small" appearance="subtle" icon={<DeleteDismissRegular />} onClick={() => ask({ item: info.row.original, what: "purge" })}>
              Delete for good
            </WriteButton>
          </div>
        ),
      }),
    ] as ColumnDef<DeletedItem, unknown>[];
  }, [styles, ask]);
}

/** Deleted users and groups: restore within 30 days, or delete for good after typing the name. */
export function DeletedItemsPage() {
  const styles = useStyles();
  const items = useDeletedItems();
  const restore = useRestoreDeleted();
  const purge = useDeletePermanently();
  const [asked, setAsked] = useState<Asked | null>(null);
  const [typed, setTyped] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const columns = useColumns((a) => {
    restore.reset();
    purge.reset();
    setTyped("");
    setAsked(a);
  });
  const table = useClientTable({
    rows: items.data,
    columns,
    getRowId: (i: DeletedItem) => i.id,
    searchText: (i) => `${i.displayName} ${i.detail ?? ""}`,
    initialSort: INITIAL_SORT,
    status: { isPending: items.isPending, isFetching: items.isFetching, error: items.error },
  });
  const close = () => setAsked(null);
  const confirm = () => {
    if (!asked) return;
    const onSuccess = (d: { message: string }) => {
      setDone(d.message);
      close();
    };
    if (asked.what === "restore") restore.mutate(asked.item.id, { onSuccess });
    else purge.mutate({ id: asked.item.id, kind: asked.item.kind, confirmation: typed }, { onSuccess });
  };
  const total = items.data?.length ?? 0;

  return (
    <section className={styles.page}>
      <PageHeader
        title="Deleted items"
        description="Users and Microsoft 365 groups deleted in the last 30 days. Restore one to bring it back with its groups, licences and members; after 30 days Microsoft removes it for good."
      />
      <DoneBar message={done} onDismiss={() => setDone(null)} />
      {items.isError && <ErrorMessageBar error={items.error} title="Couldn't read deleted items" />}
      {items.isSuccess && total === 0 ? (
        <EmptyState icon={<DeleteRegular />} title="Nothing was deleted in the last 30 days.">
          Deleted users and Microsoft 365 groups wait here for 30 days. Security groups are deleted for good at once.
        </EmptyState>
      ) : (
        <DataTable
          model={table}
          ariaLabel="Deleted items"
          toolbarLabel="Deleted items"
          rowHeight={48}
          testId="deleted-items"
          rowTestId="deleted-row"
          loadingLabel="Reading deleted items from Microsoft Graph"
          search={{ label: "Filter deleted items", placeholder: "Filter by name or sign-in name" }}
          countText={items.isPending ? "Reading deleted items…" : plural(total, "deleted item")}
          csv={{ fileName: "deleted-items" }}
          selectable={{ rowLabel: (i) => i.displayName }}
          panel={<SelectionActions model={table} actions={DELETED_ACTIONS} idOf={(i) => i.id} noun="deleted items" labels={{ restore: "Restore selected" }} />}
          empty={<EmptyState title="Nothing matches">Clear the search box.</EmptyState>}
        />
      )}
      <DeletedItemDialogs
        asked={asked}
        typed={typed}
        onType={setTyped}
        restore={restore}
        purge={purge}
        onConfirm={confirm}
        onCancel={close}
      />
    </section>
  );
}

type DialogsProps = {
  asked: Asked | null;
  typed: string;
  onType: (typed: string) => void;
  restore: ReturnType<typeof useRestoreDeleted>;
  purge: ReturnType<typeof useDeletePermanently>;
  onConfirm: () => void;
  onCancel: () => void;
};

/** "Restore …?" (with Show the request) and "Delete … for good?" (behind the typed name). */
function DeletedItemDialogs({ asked, typed, onType, restore, purge, onConfirm: confirm, onCancel: close }: DialogsProps) {
  const name = asked?.item.displayName ?? "";
  return (
    <>
        <ConfirmDialog
          open={asked?.what === "restore"}
          title={`Restore ${name}?`}
          confirmLabel="Restore"
          pending={restore.isPending}
          preview={asked?.what === "restore" ? { action: "restoreDeletedItem", id: asked.item.id } : null}
          error={restore.error}
          onConfirm={confirm}
          onCancel={close}
        >
          <Text>
            {asked?.item.kind === "user"
              ? `${name} comes back with their groups and licences. If someone else has their sign-in name now, Microsoft refuses and Entra Desk says so.`
              : `${name} comes back with its members and owners.`}
          </Text>
        </ConfirmDialog>
        <ConfirmDialog
          open={asked?.what === "purge"}
          title={`Delete ${name} for good?`}
          confirmLabel="Delete for good"
          destructive
          pending={purge.isPending}
          confirmDisabled={typed.trim() !== name.trim()}
          error={purge.error}
          onConfirm={confirm}
          onCancel={close}
        >
          <Text>This cannot be undone: {name} can never be restored.</Text>
          <Field label={`Type “${name}” to confirm`}>
            <Input value={typed} onChange={(_, d) => onType(d.value)} autoComplete="off" spellCheck={false} />
          </Field>
        </ConfirmDialog>
    </>
  );
}
