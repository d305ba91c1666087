import { Badge, TableCellLayout, makeStyles, tokens } from "@fluentui/react-components";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import type { UserRow } from "../../api";

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

const useStyles = makeStyles({ muted: { color: tokens.colorNeutralForeground4 } });

function Text({ value }: { value: string }) {
  const styles = useStyles();
  if (!value) return <span className={styles.muted} aria-label="Not set">—</span>;
  return <TableCellLayout truncate title={value}>{value}</TableCellLayout>;
}

export function statusLabel(enabled: boolean | null): string {
  return enabled === true ? "Enabled" : enabled === false ? "Disabled" : "Unknown";
}

const helper = createColumnHelper<UserRow>();

const text = (get: (user: UserRow) => string | null) => (user: UserRow) => get(user) ?? "";

export const userColumns: ColumnDef<UserRow, string>[] = [
  helper.accessor(text((u) => u.displayName), {
    id: "displayName",
    header: "Display name",
    size: 200,
    meta: { grow: 2 },
    enableHiding: false,
    cell: (info) => <Text value={info.getValue()} />,
  }),
  helper.accessor(text((u) => u.userPrincipalName), {
    id: "userPrincipalName",
    header: "User principal name",
    size: 240,
    meta: { grow: 2 },
    cell: (info) => <Text value={info.getValue()} />,
  }),
  helper.accessor(text((u) => u.department), {
    id: "department",
    header: "Department",
    size: 150,
    cell: (info) => <Text value={info.getValue()} />,
  }),
  helper.accessor(text((u) => u.jobTitle), {
    id: "jobTitle",
    header: "Job title",
    size: 150,
    cell: (info) => <Text value={info.getValue()} />,
  }),
  helper.accessor((u) => statusLabel(u.accountEnabled), {
    id: "status",
    header: "Status",
    size: 110,
    meta: { grow: 0 },
    cell: (info) => {
      const value = info.getValue();
      return (
        <Badge
          appearance="tint"
          color={value === "Enabled" ? "success" : value === "Disabled" ? "danger" : "subtle"}
        >
          {value}
        </Badge>
      );
    },
  }),
].map((column) => ({
  ...column,
  sortingFn: (a, b, id) => collator.compare(a.getValue<string>(id), b.getValue<string>(id)),
}));

/** Lower-cased "name UPN department" per user, built once per list so typing in the search box stays quick. */
export function searchText(user: UserRow): string {
  return [user.displayName, user.userPrincipalName, user.department].filter(Boolean).join("\u0000").toLowerCase();
}
