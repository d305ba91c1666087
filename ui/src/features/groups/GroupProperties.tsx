import { Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { type GroupDetails as Group, useLicences, useMembershipRuleCheck } from "../../api";
import { PropertyList } from "../../components/DetailsDrawer";
import { formatDateTime } from "../../lib/format";
import { GROUP_KINDS } from "./labels";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  rule: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: "anywhere" },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

type Items = ReadonlyArray<[string, ReactNode]>;

/** Yes / No / (unknown: Not set). */
export function yesNo(value: boolean | null | undefined): string | null {
  return value === null || value === undefined ? null : value ? "Yes" : "No";
}

const date = (value: string | null) => (value ? formatDateTime(value) : null);

const PRIVACY: Record<string, string> = { Public: "Public", Private: "Private", HiddenMembership: "Hidden membership" };

/** "Microsoft 365 · dynamic membership", as Okta's Group Types read. */
export function groupTypeLabel(g: Group): string {
  return `${GROUP_KINDS[g.kind].label} · ${g.dynamic ? "dynamic membership" : "assigned membership"}`;
}

function PropertySection({ id, title, items, children }: { id: string; title: string; items: Items; children?: ReactNode }) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-labelledby={id}>
      <Subtitle2 as="h3" id={id} className={styles.heading}>
        {title}
      </Subtitle2>
      {children}
      <PropertyList items={items} />
    </section>
  );
}

/** Every output of Read Group in readable sections: about, email, mail settings (Microsoft 365), rule (dynamic), technical details. */
export function GroupProperties({ group: g }: { group: Group }) {
  return (
    <>
      <PropertySection
        id="group-about"
        title="About"
        items={[
          ["Description", g.description],
          ["Group type", groupTypeLabel(g)],
          ["Privacy", g.visibility ? (PRIVACY[g.visibility] ?? g.visibility) : null],
          // Graph gives null for groups that were not made role-assignable.
          ["Roles can be given to it", yesNo(g.isAssignableToRole ?? false)],
          ["Classification", g.classification],
          ["Created", date(g.createdDateTime)],
          ["Renewed", date(g.renewedDateTime)],
          ["Expires", date(g.expirationDateTime)],
          ["Has a team", g.resourceProvisioningOptions.includes("Team") ? "Yes" : "No"],
        ]}
      />
      <PropertySection
        id="group-email"
        title="Email"
        items={[
          ["Email", g.mail],
          ["Mail nickname", g.mailNickname],
          ["Mail-enabled", yesNo(g.mailEnabled)],
          ["Other addresses", g.proxyAddresses.length > 0 ? g.proxyAddresses.join(", ") : null],
        ]}
      />
      {g.kind === "microsoft365" && <MailSettings group={g} />}
      {g.dynamic && <RuleSection group={g} />}
      <TechnicalSection group={g} />
    </>
  );
}

/** The Exchange-backed settings of a Microsoft 365 group (read from Microsoft in a request of their own). */
function MailSettings({ group: g }: { group: Group }) {
  const styles = useStyles();
  const unknown = g.allowExternalSenders === null && g.autoSubscribeNewMembers === null;
  return (
    <PropertySection
      id="group-mail-settings"
      title="Mail settings"
      items={[
        ["People outside the organisation can email the group", yesNo(g.allowExternalSenders)],
        ["New members get group emails in their inbox", yesNo(g.autoSubscribeNewMembers)],
        ["Hidden from the address book", yesNo(g.hideFromAddressLists)],
        ["Hidden from Outlook", yesNo(g.hideFromOutlookClients)],
        ["You get its conversations by email", yesNo(g.isSubscribedByMail)],
        ["Unread conversations (yours)", g.unseenCount === null ? null : g.unseenCount.toLocaleString()],
      ]}
    >
      {unknown && <Text className={styles.secondary}>Microsoft didn't give the mail settings (they are read from Exchange Online separately).</Text>}
    </PropertySection>
  );
}

/** A dynamic group's rule, as written and in plain words. */
function RuleSection({ group: g }: { group: Group }) {
  const styles = useStyles();
  const check = useMembershipRuleCheck(g.membershipRule ?? "");
  return (
    <PropertySection
      id="group-rule"
      title="Membership rule"
      items={[
        ["Rule", g.membershipRule ? <code className={styles.rule}>{g.membershipRule}</code> : null],
        ["Members are", check.data ? check.data.explanation : null],
        ["Rule processing", g.membershipRuleProcessingState === "Paused" ? "Paused: members are not updated" : g.membershipRuleProcessingState],
      ]}
    />
  );
}

function TechnicalSection({ group: g }: { group: Group }) {
  const styles = useStyles();
  const licences = useLicences();
  const names = g.assignedLicenseSkuIds.map((id) => licences.data?.find((l) => l.skuId === id)?.name ?? id);
  return (
    <PropertySection
      id="group-technical"
      title="Technical details"
      items={[
        ["Object ID", g.id],
        ["Security-enabled", yesNo(g.securityEnabled)],
        ["Licences it gives its members", names.length > 0 ? <ul className={styles.list}>{names.map((n) => <li key={n}>{n}</li>)}</ul> : "None"],
        ["Synced from on-premises", yesNo(g.onPremisesSyncEnabled)],
        ["Preferred data location", g.preferredDataLocation],
        ["Preferred language", g.preferredLanguage],
        ["Security identifier (SID)", g.securityIdentifier],
      ]}
    />
  );
}
