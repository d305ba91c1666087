import { Badge, Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import {
  ArrowUndoFilled,
  ArrowUndoRegular,
  CertificateFilled,
  CertificateRegular,
  CodeFilled,
  CodeRegular,
  DeleteFilled,
  DeleteRegular,
  HistoryFilled,
  HistoryRegular,
  PeopleFilled,
  PeopleRegular,
  PeopleTeamFilled,
  PeopleTeamRegular,
  SettingsFilled,
  SettingsRegular,
  TaskListLtrFilled,
  TaskListLtrRegular,
  ShieldPersonFilled,
  ShieldPersonRegular,
  bundleIcon,
} from "@fluentui/react-icons";
import type { ReactNode } from "react";
import type { AccountView } from "../../api";
import { AccountSwitcher } from "./AccountSwitcher";
import { WatchStatusText } from "./WatchStatusText";

export type PageId = "users" | "groups" | "licences" | "roles" | "deleted" | "activity" | "changes" | "jobs" | "custom" | "settings";

export const NAV_ITEMS: ReadonlyArray<{ id: PageId; label: string; icon: ReturnType<typeof bundleIcon> }> = [
  { id: "users", label: "Users", icon: bundleIcon(PeopleFilled, PeopleRegular) },
  { id: "groups", label: "Groups", icon: bundleIcon(PeopleTeamFilled, PeopleTeamRegular) },
  { id: "licences", label: "Licences", icon: bundleIcon(CertificateFilled, CertificateRegular) },
  { id: "roles", label: "Roles", icon: bundleIcon(ShieldPersonFilled, ShieldPersonRegular) },
  { id: "deleted", label: "Deleted items", icon: bundleIcon(DeleteFilled, DeleteRegular) },
  { id: "activity", label: "Activity", icon: bundleIcon(HistoryFilled, HistoryRegular) },
  { id: "changes", label: "Changes made here", icon: bundleIcon(ArrowUndoFilled, ArrowUndoRegular) },
  { id: "jobs", label: "Bulk jobs", icon: bundleIcon(TaskListLtrFilled, TaskListLtrRegular) },
  { id: "custom", label: "Custom API", icon: bundleIcon(CodeFilled, CodeRegular) },
  { id: "settings", label: "Settings", icon: bundleIcon(SettingsFilled, SettingsRegular) },
];

const useStyles = makeStyles({
  // One column no wider than the window: a wide page scrolls inside <main>, the header stays whole.
  // Rows: header, notices (empty almost always), then the navigation and the page taking the rest.
  root: { display: "grid", gridTemplateRows: "48px auto minmax(0, 1fr)", gridTemplateColumns: "minmax(0, 1fr)", height: "100vh", overflow: "hidden" },
  header: {
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalL,
    padding: `0 ${tokens.spacingHorizontalM} 0 ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    minWidth: 0,
  },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400, whiteSpace: "nowrap" },
  tenant: { color: tokens.colorNeutralForeground2, whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis", minWidth: 0 },
  spacer: { flex: 1 },
  watch: { color: tokens.colorNeutralForeground2 },
  body: { display: "flex", minHeight: 0 },
  nav: {
    width: "200px",
    flexShrink: 0,
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalS}`,
    backgroundColor: tokens.colorNeutralBackground3,
    overflowY: "auto",
  },
  navItem: {
    position: "relative",
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalM,
    minHeight: "40px",
    padding: `0 ${tokens.spacingHorizontalM}`,
    border: "none",
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: "transparent",
    color: tokens.colorNeutralForeground2,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    textAlign: "start",
    cursor: "pointer",
    ":hover": { backgroundColor: tokens.colorNeutralBackground3Hover, color: tokens.colorNeutralForeground1 },
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  navItemSelected: {
    backgroundColor: tokens.colorNeutralBackground3Selected,
    color: tokens.colorNeutralForeground1,
    fontWeight: tokens.fontWeightSemibold,
    "::before": {
      content: '""',
      position: "absolute",
      left: 0,
      top: "10px",
      bottom: "10px",
      width: "3px",
      borderRadius: tokens.borderRadiusCircular,
      backgroundColor: tokens.colorCompoundBrandBackground,
    },
  },
  navIcon: { fontSize: "20px", flexShrink: 0 },
  main: {
    flex: 1,
    minWidth: 0,
    display: "flex",
    flexDirection: "column",
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXXL}`,
    backgroundColor: tokens.colorNeutralBackground2,
    overflow: "auto",
  },
});

export type AppShellProps = {
  accounts: AccountView[];
  active: AccountView;
  page: PageId;
  onNavigate: (page: PageId) => void;
  onAddAccount: () => void;
  /** Shown between the header and the page (notices about this start). */
  banner?: ReactNode;
  children: ReactNode;
};

/** Header (app, tenant, watch status, account), left navigation and the current page. */
export function AppShell({ accounts, active, page, onNavigate, onAddAccount, banner, children }: AppShellProps) {
  const styles = useStyles();
  return (
    <div className={styles.root}>
      <header className={styles.header}>
        <Text className={styles.brand}>Entra Desk</Text>
        {active.kind === "practice" ? (
          <Badge appearance="tint" color="warning" shape="rounded">
            Practice tenant
          </Badge>
        ) : (
          <Text size={200} className={styles.tenant} title={`Tenant ${active.tenantId}`}>
            {active.username.split("@")[1] ?? active.tenantId}
          </Text>
        )}
        <span className={styles.spacer} />
        <WatchStatusText className={styles.watch} />
        <AccountSwitcher accounts={accounts} active={active} onAddAccount={onAddAccount} />
      </header>
      <div>{banner}</div>
      <div className={styles.body}>
        {/* A plain navigation list: Fluent's NavDrawer animates its selection indicator, and with
            motion skipped (WebKitGTK never finishes the animations) every visited item kept one. */}
        <nav className={styles.nav} aria-label="Main">
          {NAV_ITEMS.map((item) => {
            const selected = item.id === page;
            return (
              <button
                key={item.id}
                type="button"
                className={mergeClasses(styles.navItem, selected && styles.navItemSelected)}
                aria-current={selected ? "page" : undefined}
                onClick={() => onNavigate(item.id)}
              >
                <item.icon className={styles.navIcon} filled={selected} aria-hidden />
                {item.label}
              </button>
            );
          })}
        </nav>
        <main className={styles.main}>{children}</main>
      </div>
    </div>
  );
}
