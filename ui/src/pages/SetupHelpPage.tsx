import {
  Body1,
  Button,
  Card,
  Subtitle1,
  Title1,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowLeftRegular } from "@fluentui/react-icons";
import { CopyButton } from "../components/CopyButton";

const PERMISSIONS: ReadonlyArray<{ name: string; why: string }> = [
  { name: "User.ReadWrite.All", why: "create, update and delete users" },
  { name: "Group.ReadWrite.All", why: "create and manage groups" },
  { name: "GroupMember.ReadWrite.All", why: "add and remove group members" },
  { name: "LicenseAssignment.ReadWrite.All", why: "assign and remove licences" },
  { name: "Organization.Read.All", why: "read your licence subscriptions" },
  { name: "RoleManagement.ReadWrite.Directory", why: "assign directory roles" },
  { name: "User.Invite.All", why: "invite guests" },
  { name: "Contacts.ReadWrite", why: "manage contacts" },
];

export const SETUP_SUMMARY = [
  "Entra Desk app registration",
  "Name: Entra Desk (any name works)",
  "Supported account types: Accounts in this organizational directory only (single tenant)",
  "Platform: Mobile and desktop applications (public client/native)",
  "Redirect URI: http://localhost",
  "Allow public client flows: Yes",
  "Client secrets and certificates: none",
  "Microsoft Graph delegated permissions:",
  ...PERMISSIONS.map((p) => `  ${p.name}`),
  "Then: Grant admin consent for your organization",
  "Give your team: Application (client) ID and Directory (tenant) ID",
].join("\n");

const useStyles = makeStyles({
  page: {
    height: "100%",
    boxSizing: "border-box",
    display: "flex",
    justifyContent: "center",
    alignItems: "flex-start",
    overflowY: "auto",
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXL}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  inner: { width: "100%", maxWidth: "860px", display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalL },
  card: { padding: tokens.spacingHorizontalXL, rowGap: tokens.spacingVerticalM },
  steps: { margin: 0, paddingLeft: tokens.spacingHorizontalXXL, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  sub: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalXL },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  summary: {
    margin: 0,
    padding: tokens.spacingHorizontalM,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    whiteSpace: "pre-wrap",
    userSelect: "text",
  },
  summaryHeader: { display: "flex", alignItems: "center", justifyContent: "space-between" },
  muted: { color: tokens.colorNeutralForeground2 },
});

/** The administrator's one-time app registration, in the words of the Entra admin center. */
export function SetupHelpPage({ onBack }: { onBack: () => void }) {
  const styles = useStyles();
  const code = styles.code;
  return (
    <main className={styles.page}>
      <div className={styles.inner}>
        <div>
          <Button appearance="subtle" icon={<ArrowLeftRegular />} onClick={onBack}>
            Back
          </Button>
        </div>
        <Title1 as="h1">Setup help for administrators</Title1>
        <Body1 className={styles.muted}>
          Entra Desk signs people in with their own work accounts. An administrator registers it once in Microsoft Entra ID;
          after that, everyone signs in with the two IDs you hand out. What each person can change is limited by their own
          Entra role (for example User Administrator).
        </Body1>
        <Card className={styles.card}>
          <Subtitle1 as="h2">Register Entra Desk</Subtitle1>
          <ol className={styles.steps}>
            <li>
              In the Microsoft Entra admin center, go to <strong>App registrations → New registration</strong>. Choose a name
              (for example "Entra Desk") and <strong>Accounts in this organizational directory only</strong> (or any
              organizational directory if you look after several tenants).
            </li>
            <li>
              Under <strong>Redirect URI</strong>, choose the platform <strong>Public client/native (mobile &amp; desktop)</strong>{" "}
              and enter <span className={code}>http://localhost</span>.
            </li>
            <li>
              Open <strong>Authentication</strong>. Under <strong>Advanced settings</strong>, set{" "}
              <strong>Allow public client flows</strong> to <strong>Yes</strong>. Do not add any client secrets or certificates —
              Entra Desk never uses them.
            </li>
            <li>
              Open <strong>API permissions → Add a permission → Microsoft Graph → Delegated permissions</strong> and add:
              <ul className={styles.sub}>
                {PERMISSIONS.map((p) => (
                  <li key={p.name}>
                    <span className={code}>{p.name}</span> — {p.why}
                  </li>
                ))}
              </ul>
            </li>
            <li>
              Select <strong>Grant admin consent</strong> for your organization.
            </li>
            <li>
              Optional: in <strong>Enterprise applications → Entra Desk → Properties</strong>, set{" "}
              <strong>Assignment required</strong> to Yes and add your IT staff group under <strong>Users and groups</strong>.
            </li>
            <li>
              Give your team the <strong>Application (client) ID</strong> and the <strong>Directory (tenant) ID</strong> from the
              app's Overview page.
            </li>
          </ol>
          <Body1 className={styles.muted}>
            For US Government or China tenants, do the same in portal.azure.us or portal.azure.cn, and pick that cloud when
            signing in.
          </Body1>
        </Card>
        <Card className={styles.card}>
          <div className={styles.summaryHeader}>
            <Subtitle1 as="h2">Summary to copy</Subtitle1>
            <CopyButton text={SETUP_SUMMARY} label="Copy summary" appearance="secondary" />
          </div>
          <pre className={styles.summary} aria-label="App registration summary">
            {SETUP_SUMMARY}
          </pre>
        </Card>
      </div>
    </main>
  );
}
