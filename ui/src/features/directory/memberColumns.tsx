import { makeStyles, tokens } from "@fluentui/react-components";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import type { ReactNode } from "react";
import type { MemberRow, UserRow } from "../../api";
import type { CsvExtra } from "../../components/DataTable";

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

const useStyles = makeStyles({
  twoLines: { display: "flex", flexDirection: "column", minWidth: 0 },
  line: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  action: { display: "flex", justifyContent: "flex-end", width: "100%" },
});

export const MEMBER_KIND: Record<MemberRow["kind"], string> = {
  user: "Person",
  group: "Group",
  device: "Device",
  servicePrincipal: "App",
  orgContact: "Contact",
  other: "Other",
};

/** A member's, owner's or holder's name: the display name, else the sign-in name, the address or the id. */
export function memberName(m: { id: string; displayName: string | null; userPrincipalName: string | null; mail: string | null }): string {
  return m.displayName ?? m.userPrincipalName ?? m.mail ?? m.id;
}

/** A name over a second, smaller line. */
function TwoLines({ name, detail }: { name: string; detail: string | null }) {
  const styles = useStyles();
  return (
    <div className={styles.twoLines} title={[name, detail].filter(Boolean).join("\n")}>
      <span className={styles.line}>{name}</span>
      {detail && <span className={`${styles.line} ${styles.secondary}`}>{detail}</span>}
    </div>
  );
}

function Action({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return <div className={styles.action}>{children}</div>;
}

const memberHelper = createColumnHelper<MemberRow>();
const userHelper = createColumnHelper<UserRow>();

/**
 * A group's members or owners, a role's holders: the name with "Person · sign-in name" under it, and an
 * optional action per row (Remove, Unassign).
 */
export function memberColumns(action?: (member: MemberRow) => ReactNode): ColumnDef<MemberRow, string>[] {
  const columns: ColumnDef<MemberRow, string>[] = [
    memberHelper.accessor(memberName, {
      id: "displayName",
      header: "Name",
      size: 260,
      meta: { grow: 3 },
      enableHiding: false,
      sortingFn: (a, b) => collator.compare(memberName(a.original), memberName(b.original)),
      cell: (info) => {
        const m = info.row.original;
        const address = m.userPrincipalName ?? m.mail;
        return <TwoLines name={info.getValue()} detail={`${MEMBER_KIND[m.kind]}${address ? ` · ${address}` : ""}`} />;
      },
    }),
  ];
  if (action) {
    columns.push(
      memberHelper.display({
        id: "action",
        header: "",
        size: 110,
        meta: { grow: 0 },
        enableHiding: false,
        enableSorting: false,
        cell: (info) => <Action>{action(info.row.original)}</Action>,
      }),
    );
  }
  return columns;
}

/** People holding something (a licence): the name with the sign-in name under it. */
export const personColumns: ColumnDef<UserRow, string>[] = [
  userHelper.accessor((u) => memberName(u), {
    id: "displayName",
    header: "Name",
    size: 260,
    enableHiding: false,
    cell: (info) => <TwoLines name={info.getValue()} detail={info.row.original.userPrincipalName} />,
  }),
];

/** The CSV of members or holders: the name column, then these. */
export const MEMBER_CSV: CsvExtra<MemberRow>[] = [
  { header: "Type", value: (m) => MEMBER_KIND[m.kind] },
  { header: "Sign-in name or email", value: (m) => m.userPrincipalName ?? m.mail },
  { header: "Object ID", value: (m) => m.id },
];
export const PERSON_CSV: CsvExtra<UserRow>[] = [
  { header: "Sign-in name", value: (u) => u.userPrincipalName },
  { header: "Object ID", value: (u) => u.id },
];

/** Row ids of directory objects. */
export const byId = (row: { id: string }) => row.id;
