import {
  Badge,
  NavDrawer,
  NavDrawerBody,
  NavItem,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import {
  CertificateFilled,
  CertificateRegular,
  HistoryFilled,
  HistoryRegular,
  PeopleFilled,
  PeopleRegular,
  PeopleTeamFilled,
  PeopleTeamRegular,
  SettingsFilled,
  SettingsRegular,
  ShieldPersonFilled,
  ShieldPersonRegular,
  bundleIcon,
} from "@fluentui/react-icons";
import type { ReactNode } from "react";
import type { AccountView } from "../../api";
import { AccountSwitcher } from "./AccountSwitcher";
import { WatchStatusText } from "./WatchStatusText";

export type PageId = "users" | "groups" | "licences" | "roles" | "activity" | "settings";

export const NAV_ITEMS: ReadonlyArray<{ id: PageId; label: string; icon: ReturnType<typeof bundleIcon> }> = [
  { id: "users", label: "Users", icon: bundleIcon(PeopleFilled, PeopleRegular) },
  { id: "groups", label: "Groups", icon: bundleIcon(PeopleTeamFilled, PeopleTeamRegular) },
  { id: "licences", label: "Licences", icon: bundleIcon(CertificateFilled, CertificateRegular) },
  { id: "roles", label: "Roles", icon: bundleIcon(ShieldPersonFilled, ShieldPersonRegular) },
  { id: "activity", label: "Activity", icon: bundleIcon(HistoryFilled, HistoryRegular) },
  { id: "settings", label: "Settings", icon: bundleIcon(SettingsFilled, SettingsRegular) },
];

const useStyles = makeStyles({
  root: { display: "grid", gridTemplateRows: "48px 1fr", height: "100vh", overflow: "hidden" },
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
  nav: { width: "200px", flexShrink: 0 },
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

type Props = {
  accounts: AccountView[];
  active: AccountView;
  page: PageId;
  onNavigate: (page: PageId) => void;
  onAddAccount: () => void;
  children: ReactNode;
};

/** Header (app, tenant, watch status, account), left navigation and the current page. */
export function AppShell({ accounts, active, page, onNavigate, onAddAccount, children }: Props) {
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
      <div className={styles.body}>
        <NavDrawer
          open
          type="inline"
          className={styles.nav}
          selectedValue={page}
          onNavItemSelect={(_, data) => onNavigate(data.value as PageId)}
          aria-label="Main"
        >
          <NavDrawerBody>
            {NAV_ITEMS.map((item) => (
              <NavItem key={item.id} value={item.id} icon={<item.icon />}>
                {item.label}
              </NavItem>
            ))}
          </NavDrawerBody>
        </NavDrawer>
        <main className={styles.main}>{children}</main>
      </div>
    </div>
  );
}
