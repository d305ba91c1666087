import { Badge, TableCellLayout, makeStyles, tokens } from "@fluentui/react-components";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import type { UserRow } from "../../api";

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
  helper.accessor(text((u) => u.city), {
    id: "city",
    header: "City",
    size: 130,
    cell: (info) => <Text value={info.getValue()} />,
  }),
  helper.accessor(text((u) => u.country), {
    id: "country",
    header: "Country",
    size: 130,
    cell: (info) => <Text value={info.getValue()} />,
  }),
  helper.accessor(text((u) => u.officeLocation), {
    id: "officeLocation",
    header: "Office",
    size: 120,
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
];

/** Columns the local copy sorts (the others show but do not sort). */
export const USER_SORTS: ReadonlySet<string> = new Set([
  "displayName",
  "userPrincipalName",
  "department",
  "jobTitle",
  "city",
  "country",
  "officeLocation",
]);

/** What Advanced search offers for people (Graph's property names, as the local copy keeps them). */
export const USER_CRITERIA: { property: string; label: string; list?: boolean }[] = [
  { property: "department", label: "Department" },
  { property: "jobTitle", label: "Job title" },
  { property: "city", label: "City" },
  { property: "country", label: "Country or region" },
  { property: "officeLocation", label: "Office" },
  { property: "companyName", label: "Company" },
  { property: "employeeId", label: "Employee ID" },
  { property: "employeeType", label: "Employee type" },
  { property: "userType", label: "User type (Member or Guest)" },
  { property: "accountEnabled", label: "Can sign in (true or false)" },
  { property: "usageLocation", label: "Usage location" },
  { property: "preferredLanguage", label: "Language" },
  { property: "displayName", label: "Display name" },
  { property: "userPrincipalName", label: "Sign-in name" },
  { property: "mail", label: "Email" },
  { property: "otherMails", label: "Other emails", list: true },
  { property: "proxyAddresses", label: "Proxy addresses", list: true },
  { property: "businessPhones", label: "Business phones", list: true },
];
