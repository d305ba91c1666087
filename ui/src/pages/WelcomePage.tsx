import {
  Body1,
  Button,
  Card,
  CardHeader,
  Link,
  Subtitle1,
  Text,
  Title1,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowLeftRegular, BeakerRegular, BuildingRegular } from "@fluentui/react-icons";
import type { OrganizationProfile } from "../api";
import { OrganizationSignInForm } from "../features/signin/OrganizationSignInForm";
import { PracticeTenantAction } from "../features/signin/PracticeTenantCard";

const useStyles = makeStyles({
  page: {
    minHeight: "100%",
    boxSizing: "border-box",
    display: "flex",
    flexDirection: "column",
    alignItems: "center",
    padding: `${tokens.spacingVerticalXXXL} ${tokens.spacingHorizontalXXL}`,
    backgroundColor: tokens.colorNeutralBackground2,
    overflowY: "auto",
  },
  inner: { width: "100%", maxWidth: "1040px", display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXL },
  intro: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS, maxWidth: "720px" },
  lead: { color: tokens.colorNeutralForeground2 },
  choices: { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(380px, 1fr))", gap: tokens.spacingHorizontalXL, alignItems: "start" },
  card: { padding: tokens.spacingHorizontalXL, rowGap: tokens.spacingVerticalL },
  icon: { fontSize: "28px", color: tokens.colorBrandForeground1 },
  footer: { color: tokens.colorNeutralForeground2 },
});

type Props = {
  remembered: OrganizationProfile | null;
  onSetupHelp: () => void;
  /** Set when adding another account: a way back to the signed-in app. */
  onBack?: () => void;
  onDone?: () => void;
};

export function WelcomePage({ remembered, onSetupHelp, onBack, onDone }: Props) {
  const styles = useStyles();
  return (
    <main className={styles.page}>
      <div className={styles.inner}>
        {onBack && (
          <div>
            <Button appearance="subtle" icon={<ArrowLeftRegular />} onClick={onBack}>
              Back
            </Button>
          </div>
        )}
        <div className={styles.intro}>
          <Title1 as="h1">{onBack ? "Add an account" : "Welcome to Entra Desk"}</Title1>
          <Body1 className={styles.lead}>
            Entra Desk is a desktop console for Microsoft Entra ID. Create and update users, manage groups, licences and
            roles, and see every change in your directory as it happens — without scripts.
          </Body1>
        </div>
        <div className={styles.choices}>
          <Card className={styles.card} aria-labelledby="signin-title">
            <CardHeader
              image={<BuildingRegular className={styles.icon} />}
              header={
                <Subtitle1 as="h2" id="signin-title">
                  Sign in to your organization
                </Subtitle1>
              }
              description={<Text>Use your work account. You'll sign in with Microsoft in your web browser.</Text>}
            />
            <OrganizationSignInForm remembered={remembered} onSignedIn={onDone} />
          </Card>
          <Card className={styles.card} aria-labelledby="practice-title">
            <CardHeader
              image={<BeakerRegular className={styles.icon} />}
              header={
                <Subtitle1 as="h2" id="practice-title">
                  Open the practice tenant
                </Subtitle1>
              }
              description={<Text>Try everything safely before you work on real people.</Text>}
            />
            <PracticeTenantAction onOpened={onDone} />
          </Card>
        </div>
        <Text className={styles.footer}>
          Setting up Entra Desk for your team?{" "}
          <Link onClick={onSetupHelp}>Setup help for administrators</Link>
        </Text>
      </div>
    </main>
  );
}
