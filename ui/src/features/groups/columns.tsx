import { Badge, TableCellLayout, makeStyles, tokens } from "@fluentui/react-components";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import type { GroupRow } from "../../api";
import { GROUP_KINDS } from "./labels";

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground4 },
  twoLines: { display: "flex", flexDirection: "column", minWidth: 0 },
  line: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

function NameCell({ group }: { group: GroupRow }) {
  const styles = useStyles();
  return (
    <div className={styles.twoLines} title={[group.displayName, group.description].filter(Boolean).join("\n")}>
      <span className={styles.line}>{group.displayName ?? group.id}</span>
      {group.description && <span className={`${styles.line} ${styles.secondary}`}>{group.description}</span>}
    </div>
  );
}

function Text({ value }: { value: string }) {
  const styles = useStyles();
  if (!value) return <span className={styles.muted} aria-label="Not set">—</span>;
  return <TableCellLayout truncate title={value}>{value}</TableCellLayout>;
}

const helper = createColumnHelper<GroupRow>();

export const groupColumns: ColumnDef<GroupRow, string>[] = [
  helper.accessor((g) => g.displayName ?? "", {
    id: "displayName",
    header: "Name",
    size: 240,
    meta: { grow: 2 },
    enableHiding: false,
    cell: (info) => <NameCell group={info.row.original} />,
  }),
  helper.accessor((g) => GROUP_KINDS[g.kind].label, {
    id: "kind",
    header: "Type",
    size: 190,
    meta: { grow: 0 },
    cell: (info) => {
      const g = info.row.original;
      return (
        <span style={{ display: "flex", gap: 4, flexWrap: "nowrap" }}>
          <Badge appearance="tint" color={GROUP_KINDS[g.kind].color} style={{ whiteSpace: "nowrap" }}>
            {GROUP_KINDS[g.kind].label}
          </Badge>
          {g.dynamic && <Badge appearance="outline">Dynamic</Badge>}
        </span>
      );
    },
  }),
  helper.accessor((g) => g.mail ?? "", {
    id: "mail",
    header: "Email",
    size: 220,
    meta: { grow: 2 },
    cell: (info) => <Text value={info.getValue()} />,
  }),
  helper.accessor((g) => g.visibility ?? "", {
    id: "visibility",
    header: "Privacy",
    size: 110,
    meta: { grow: 0 },
    cell: (info) => <Text value={info.getValue()} />,
  }),
].map((column) => ({
  ...column,
  sortingFn: (a, b, id) => collator.compare(a.getValue<string>(id), b.getValue<string>(id)),
}));

/** Columns the local copy sorts. */
export const GROUP_SORTS: ReadonlySet<string> = new Set(["displayName", "mail", "visibility"]);

/** What Advanced search offers for groups. */
export const GROUP_CRITERIA: { property: string; label: string; list?: boolean }[] = [
  { property: "displayName", label: "Name" },
  { property: "mail", label: "Email" },
  { property: "mailNickname", label: "Mail nickname" },
  { property: "description", label: "Description" },
  { property: "visibility", label: "Privacy (Public, Private)" },
  { property: "securityEnabled", label: "Security group (true or false)" },
  { property: "mailEnabled", label: "Mail-enabled (true or false)" },
  { property: "groupTypes", label: "Group types (Unified, DynamicMembership)", list: true },
  { property: "proxyAddresses", label: "Proxy addresses", list: true },
];
