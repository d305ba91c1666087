import { Badge, Button, Field, Spinner, Subtitle2, Text, Toolbar, makeStyles, tokens } from "@fluentui/react-components";
import { DeleteRegular, EditRegular, KeyResetRegular, PersonAvailableRegular, PersonProhibitedRegular, SignOutRegular } from "@fluentui/react-icons";
import { useState } from "react";
import {
  type PasswordReset,
  type UserDetails as User,
  useDeleteUser,
  useDirectReports,
  useManager,
  useOwnedGroups,
  useRemoveManager,
  useRevokeSessions,
  useSetManager,
  useSetUserEnabled,
  useUser,
  useUserGroups,
} from "../../api";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DetailsDrawer, PropertyList } from "../../components/DetailsDrawer";
import { DoneBar } from "../../components/DoneBar";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { ShowRequest } from "../../components/ShowRequest";
import type { Choice } from "../../components/SearchPicker";
import { useConfirmedAction } from "../../components/useConfirmedAction";
import { formatDateTime } from "../../lib/format";
import { GROUP_KINDS } from "../groups/labels";
import { EditUserDialog } from "./EditUserDialog";
import { PROFILE_SECTIONS, shownValue } from "./fields";
import { NewPasswordBar, useResetPasswordDialog } from "./ResetPassword";
import { UserContacts } from "./UserContacts";
import { UserLicences } from "./UserLicences";
import { UserPicker } from "./UserPicker";
import { UserRoles } from "./UserRoles";
import { WriteButton, WriteToolbarButton } from "../../components/WriteAccess";

const useStyles = makeStyles({
  badges: { display: "flex", columnGap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  toolbar: { padding: 0, flexWrap: "wrap" },
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  row: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
});

function userName(u: User): string {
  return u.displayName ?? u.userPrincipalName ?? u.id;
}

/** Set Manager: choose the new manager (and see the request it sends), save or cancel. */
function ChangeManager({ user, onCancel, onDone }: { user: User; onCancel: () => void; onDone: (message: string) => void }) {
  const styles = useStyles();
  const set = useSetManager();
  const [choice, setChoice] = useState<Choice[]>([]);
  const chosen = choice[0];
  return (
    <>
      <div className={styles.row}>
        <Field label="New manager">
          <UserPicker label="New manager" single selected={choice} onChange={setChoice} exclude={new Set([user.id])} />
        </Field>
        <WriteButton
          appearance="primary"
          disabled={!chosen || set.isPending}
          onClick={() => chosen && set.mutate({ id: user.id, manager: chosen.id }, { onSuccess: (done) => onDone(done.message) })}
        >
          {set.isPending ? "Saving…" : "Save manager"}
        </WriteButton>
        <Button onClick={onCancel} disabled={set.isPending}>
          Cancel
        </Button>
      </div>
      {chosen && <ShowRequest action={{ action: "setManager", key: user.id, manager: chosen.id }} />}
      {set.isError && <ErrorMessageBar error={set.error} title="Couldn't set the manager" />}
    </>
  );
}

/** Read Manager, with Set (Change) and Remove. */
function Manager({ user, onDone }: { user: User; onDone: (message: string) => void }) {
  const styles = useStyles();
  const manager = useManager(user.id);
  const remove = useRemoveManager();
  const [changing, setChanging] = useState(false);
  const m = manager.data;
  return (
    <section className={styles.section} aria-labelledby="user-manager">
      <Subtitle2 as="h3" id="user-manager" className={styles.heading}>
        Manager
      </Subtitle2>
      {manager.isPending && <Spinner size="tiny" label="Loading…" />}
      {manager.isError && <ErrorMessageBar error={manager.error} title="Couldn't read the manager" />}
      {manager.isSuccess && (
        <Text>
          {m ? (
            <>
              {m.displayName ?? m.id}
              <span className={styles.secondary}> {m.isContact ? "· contact" : m.jobTitle ? `· ${m.jobTitle}` : ""}</span>
            </>
          ) : (
            <span className={styles.secondary}>No manager</span>
          )}
        </Text>
      )}
      {changing ? (
        <ChangeManager
          user={user}
          onCancel={() => setChanging(false)}
          onDone={(message) => {
            setChanging(false);
            onDone(message);
          }}
        />
      ) : (
        <div className={styles.row}>
          <WriteButton size="small" onClick={() => setChanging(true)}>
            {m ? "Change manager" : "Set manager"}
          </WriteButton>
          {m && (
            <WriteButton size="small" disabled={remove.isPending} onClick={() => remove.mutate(user.id, { onSuccess: (done) => onDone(done.message) })}>
              {remove.isPending ? "Removing…" : "Remove manager"}
            </WriteButton>
          )}
        </div>
      )}
      {remove.isError && <ErrorMessageBar error={remove.error} title="Couldn't remove the manager" />}
    </section>
  );
}

function Groups({ user }: { user: User }) {
  const styles = useStyles();
  const groups = useUserGroups(user.id);
  return (
    <section className={styles.section} aria-labelledby="user-groups">
      <Subtitle2 as="h3" id="user-groups" className={styles.heading}>
        Groups
      </Subtitle2>
      {groups.isPending && <Spinner size="tiny" label="Loading…" />}
      {groups.isError && <ErrorMessageBar error={groups.error} title="Couldn't read the groups" />}
      {groups.isSuccess &&
        (groups.data.length === 0 ? (
          <Text className={styles.secondary}>Not a member of any group.</Text>
        ) : (
          <ul className={styles.list} aria-label={`Groups of ${userName(user)}`}>
            {groups.data.map((g) => (
              <li key={g.id}>
                {g.displayName ?? g.id} <span className={styles.secondary}>· {GROUP_KINDS[g.kind].label}</span>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}

/** The groups the person owns, from the local copy. */
function OwnedGroups({ user }: { user: User }) {
  const styles = useStyles();
  const owned = useOwnedGroups(user.id);
  if (owned.isSuccess && owned.data.length === 0) return null;
  return (
    <section className={styles.section} aria-labelledby="user-owned-groups">
      <Subtitle2 as="h3" id="user-owned-groups" className={styles.heading}>
        Owner of
      </Subtitle2>
      {owned.isPending && <Spinner size="tiny" label="Loading…" />}
      {owned.isError && <ErrorMessageBar error={owned.error} title="Couldn't read the groups this person owns" />}
      {owned.isSuccess && (
        <ul className={styles.list} aria-label={`Groups ${userName(user)} owns`}>
          {owned.data.map((g) => (
            <li key={g.id}>
              {g.displayName ?? g.id} <span className={styles.secondary}>· {GROUP_KINDS[g.kind].label}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The people whose manager this person is, from the local copy. */
function DirectReports({ user }: { user: User }) {
  const styles = useStyles();
  const reports = useDirectReports(user.id);
  const page = reports.data;
  return (
    <section className={styles.section} aria-labelledby="user-reports">
      <Subtitle2 as="h3" id="user-reports" className={styles.heading}>
        Direct reports{page ? ` (${page.total.toLocaleString()})` : ""}
      </Subtitle2>
      {reports.isPending && <Spinner size="tiny" label="Loading…" />}
      {reports.isError && <ErrorMessageBar error={reports.error} title="Couldn't read the direct reports" />}
      {page && page.total === 0 && <Text className={styles.secondary}>Nobody has {userName(user)} as their manager.</Text>}
      {page && page.rows.length > 0 && (
        <ul className={styles.list} aria-label={`Direct reports of ${userName(user)}`}>
          {page.rows.map((r) => (
            <li key={r.id}>
              {r.displayName ?? r.userPrincipalName ?? r.id}
              {r.jobTitle && <span className={styles.secondary}> · {r.jobTitle}</span>}
            </li>
          ))}
        </ul>
      )}
      {page && page.total > page.rows.length && (
        <Text className={styles.secondary}>
          The first {page.rows.length.toLocaleString()} of {page.total.toLocaleString()}.
        </Text>
      )}
    </section>
  );
}

function List({ items }: { items: string[] }) {
  const styles = useStyles();
  return (
    <ul className={styles.list}>
      {items.map((i) => (
        <li key={i}>{i}</li>
      ))}
    </ul>
  );
}

/** Every property Read User gives, in the same sections as the forms (./fields), then the account's own. */
function Properties({ user: u }: { user: User }) {
  const styles = useStyles();
  return (
    <>
      <section className={styles.section} aria-label="Sign-in">
        <Subtitle2 as="h3" className={styles.heading}>
          Sign-in
        </Subtitle2>
        <PropertyList
          items={[
            ["Sign-in name", u.userPrincipalName],
            ["Email", u.mail],
            ["Mail nickname", u.mailNickname],
            ["Account type", u.userType === "Guest" ? "Guest" : u.userType ? "Member" : null],
            ["Created", u.createdDateTime ? formatDateTime(u.createdDateTime) : null],
            ["Object ID", <span className={styles.mono}>{u.id}</span>],
          ]}
        />
      </section>
      {PROFILE_SECTIONS.map((s) => (
        <section key={s.title} className={styles.section} aria-label={s.title}>
          <Subtitle2 as="h3" className={styles.heading}>
            {s.title}
          </Subtitle2>
          <PropertyList items={s.fields.map((f) => [f.label, shownValue(f, u)] as [string, string | null])} />
        </section>
      ))}
      <section className={styles.section} aria-label="Addresses and about">
        <Subtitle2 as="h3" className={styles.heading}>
          Addresses and about
        </Subtitle2>
        <PropertyList
          items={[
            ["Proxy addresses", u.proxyAddresses.length > 0 ? <List items={u.proxyAddresses} /> : null],
            ["IM addresses", u.imAddresses.length > 0 ? <List items={u.imAddresses} /> : null],
            ["About me", u.aboutMe],
          ]}
        />
      </section>
    </>
  );
}

type Props = { userId: string | null; onClose: () => void; onDeleted: (message: string) => void };

/** Read User and the actions on one person: enable/disable, revoke sessions, delete, manager; groups and licences. */
export function UserDetailsDrawer({ userId, onClose, onDeleted }: Props) {
  const styles = useStyles();
  const user = useUser(userId);
  const [done, setDone] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [newPassword, setNewPassword] = useState<PasswordReset | null>(null);
  // Another person opened: what was said about the one before (an open edit form, a new password) goes.
  const [shownFor, setShownFor] = useState(userId);
  if (shownFor !== userId) {
    setShownFor(userId);
    setDone(null);
    setEditing(false);
    setNewPassword(null);
  }
  const u = user.data;
  const name = u ? userName(u) : "";

  return (
    <DetailsDrawer open={userId !== null} title={u ? name : "User"} onClose={onClose}>
      {user.isPending && <Spinner label="Loading…" />}
      {user.fromCopy && !user.error && <Spinner size="extra-tiny" labelPosition="after" label="Refreshing from Microsoft Graph…" />}
      {user.error && (
        <ErrorMessageBar
          error={user.error}
          title={u ? "Couldn't refresh this person from Microsoft Graph; showing the local copy" : "Couldn't load this person"}
        />
      )}
      {u && (
        <>
          <div className={styles.badges}>
            <Badge appearance="tint" color={u.accountEnabled === false ? "danger" : "success"}>
              {u.accountEnabled === false ? "Sign-in blocked" : "Can sign in"}
            </Badge>
            {u.userType === "Guest" && <Badge appearance="outline">Guest</Badge>}
            {u.onPremisesSyncEnabled && <Badge appearance="outline">Synced from on-premises</Badge>}
          </div>
          <UserActions user={u} name={name} onDone={setDone} onDeleted={onDeleted} onEdit={() => setEditing(true)} onNewPassword={setNewPassword} />
          <DoneBar message={done} onDismiss={() => setDone(null)} />
          {newPassword && <NewPasswordBar reset={newPassword} onDismiss={() => setNewPassword(null)} />}
          <Properties user={u} />
          <Manager user={u} onDone={setDone} />
          <DirectReports user={u} />
          <Groups user={u} />
          <OwnedGroups user={u} />
          <UserLicences user={u} onDone={setDone} />
          <UserRoles user={u} onDone={setDone} />
          <UserContacts key={u.id} user={u} onDone={setDone} />
          {editing && (
            <EditUserDialog
              user={u}
              onClose={() => setEditing(false)}
              onSaved={() => {
                setEditing(false);
                setDone(`${name}'s details were saved.`);
              }}
            />
          )}
        </>
      )}
    </DetailsDrawer>
  );
}

type ActionsProps = {
  user: User;
  name: string;
  onDone: (message: string) => void;
  onDeleted: (message: string) => void;
  onEdit: () => void;
  onNewPassword: (reset: PasswordReset) => void;
};

/**
 * A person's actions: block or enable sign-in, edit, reset password, revoke sessions, delete. Each destructive one
 * asks first, with "Show the request" (its last failure is cleared when it is asked again).
 */
function UserActions({ user: u, name, onDone, onDeleted, onEdit, onNewPassword }: ActionsProps) {
  const styles = useStyles();
  const setEnabled = useSetUserEnabled();
  const resetting = useResetPasswordDialog(name, onNewPassword);
  const blocking = useConfirmedAction(
    setEnabled,
    (id: string) => ({ id, enabled: false }),
    (d) => onDone(d.message),
    (key) => ({ action: "setUserEnabled", key, enabled: false }),
  );
  const revoking = useConfirmedAction(useRevokeSessions(), (id: string) => id, (d) => onDone(d.message), (key) => ({ action: "revokeSessions", key }));
  const deleting = useConfirmedAction(useDeleteUser(), (id: string) => id, (d) => onDeleted(d.message), (key) => ({ action: "deleteUser", key }));
  const asking = blocking.dialog.open || revoking.dialog.open || deleting.dialog.open || resetting.open;
  return (
    <>
      <Toolbar className={styles.toolbar} aria-label="User actions">
        {u.accountEnabled === false ? (
          <WriteToolbarButton
            icon={<PersonAvailableRegular />}
            disabled={setEnabled.isPending}
            onClick={() => {
              setEnabled.reset();
              setEnabled.mutate({ id: u.id, enabled: true }, { onSuccess: (d) => onDone(d.message) });
            }}
          >
            Enable sign-in
          </WriteToolbarButton>
        ) : (
          <WriteToolbarButton icon={<PersonProhibitedRegular />} onClick={() => blocking.ask(u.id)}>
            Block sign-in
          </WriteToolbarButton>
        )}
        <WriteToolbarButton icon={<EditRegular />} onClick={onEdit}>
          Edit
        </WriteToolbarButton>
        <WriteToolbarButton icon={<KeyResetRegular />} onClick={() => resetting.ask(u.id)}>
          Reset password
        </WriteToolbarButton>
        <WriteToolbarButton icon={<SignOutRegular />} onClick={() => revoking.ask(u.id)}>
          Revoke sessions
        </WriteToolbarButton>
        <WriteToolbarButton icon={<DeleteRegular />} onClick={() => deleting.ask(u.id)}>
          Delete
        </WriteToolbarButton>
      </Toolbar>
      {resetting.dialog}
      {setEnabled.isError && !asking && <ErrorMessageBar error={setEnabled.error} title="Couldn't change sign-in" />}
      <ConfirmDialog {...blocking.dialog} title={`Block ${name} from signing in?`} confirmLabel="Block sign-in" destructive>
        <Text>
          {name} won't be able to sign in. Sessions already open stay valid until they expire; revoke them too when someone leaves.
          You can enable sign-in again at any time.
        </Text>
      </ConfirmDialog>
      <ConfirmDialog {...revoking.dialog} title={`Sign ${name} out everywhere?`} confirmLabel="Revoke sessions" destructive>
        <Text>
          Every app and device {name} is signed in to will ask them to sign in again, within a few minutes. Their account and
          password don't change.
        </Text>
      </ConfirmDialog>
      <ConfirmDialog {...deleting.dialog} title={`Delete ${name}?`} confirmLabel="Delete user" destructive>
        <Text>
          {name} ({u.userPrincipalName}) can no longer sign in, and their licences are freed. The account goes to deleted users and
          can be restored for 30 days; after that it is removed for good.
        </Text>
      </ConfirmDialog>
    </>
  );
}
