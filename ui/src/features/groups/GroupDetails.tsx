import { ActivateModal } from "../../components/ActivateModal";
import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  SearchBox,
  Spinner,
  Subtitle2,
  Text,
  Toolbar,
  ToolbarButton,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { DeleteRegular, EditRegular, PersonAddRegular, PersonDeleteRegular } from "@fluentui/react-icons";
import { useMemo, useState } from "react";
import {
  type GroupDetails as Group,
  type MemberRow,
  useAddGroupMembers,
  useDeleteGroup,
  useGroup,
  useGroupMembers,
  useGroupOwners,
  useRemoveGroupMember,
} from "../../api";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DetailsDrawer, PropertyList } from "../../components/DetailsDrawer";
import { DoneBar } from "../../components/DoneBar";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import type { Choice } from "../../components/SearchPicker";
import { formatDateTime, plural } from "../../lib/format";
import { useDebounced } from "../../lib/useDebounced";
import { UserPicker } from "../users/UserPicker";
import { EditGroupDialog } from "./EditGroupDialog";
import { GROUP_KINDS, groupName } from "./labels";

const useStyles = makeStyles({
  badges: { display: "flex", columnGap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  members: { listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column" },
  member: {
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
  },
  memberText: { flex: 1, minWidth: 0, display: "flex", flexDirection: "column" },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, overflow: "hidden", textOverflow: "ellipsis" },
  toolbar: { padding: 0, flexWrap: "wrap" },
  preview: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

const MEMBER_KIND: Record<MemberRow["kind"], string> = {
  user: "Person",
  group: "Group",
  device: "Device",
  servicePrincipal: "App",
  orgContact: "Contact",
  other: "Other",
};

function memberName(m: MemberRow): string {
  return m.displayName ?? m.userPrincipalName ?? m.mail ?? m.id;
}

/** A member's or owner's name, with what it is and its sign-in name or address. */
function MemberText({ member }: { member: MemberRow }) {
  const styles = useStyles();
  return (
    <div className={styles.memberText}>
      <span>{memberName(member)}</span>
      <span className={styles.secondary}>
        {MEMBER_KIND[member.kind]}
        {member.userPrincipalName ? ` · ${member.userPrincipalName}` : member.mail ? ` · ${member.mail}` : ""}
      </span>
    </div>
  );
}

/** Whether Microsoft keeps a deleted group for 30 days: Microsoft 365 groups yes; others not reliably. */
export function deleteWarning(group: Group): string {
  return group.kind === "microsoft365"
    ? "It goes to deleted groups and can be restored for 30 days, with its mailbox, files and members."
    : "Security groups and distribution lists may not be restorable: Microsoft doesn't always keep them. Its members lose any access the group gave them.";
}

function AddMembersDialog({ group, existing, onClose, onDone }: { group: Group; existing: ReadonlySet<string>; onClose: () => void; onDone: (message: string) => void }) {
  const styles = useStyles();
  const add = useAddGroupMembers();
  const [chosen, setChosen] = useState<Choice[]>([]);
  const name = groupName(group);
  return (
    <Dialog open onOpenChange={(_, data) => !data.open && !add.isPending && onClose()}>
      <DialogSurface>
        <DialogBody>
            <ActivateModal />
          <DialogTitle>Add members to {name}</DialogTitle>
          <DialogContent>
            <Field label="People to add" hint="Choose several people in a row.">
              <UserPicker label="People to add" selected={chosen} onChange={setChosen} exclude={existing} />
            </Field>
            {chosen.length > 0 && (
              <div role="status">
                <Text>
                  {plural(chosen.length, "person", "people")} will be added to {name}:
                </Text>
                <ul className={styles.preview}>
                  {chosen.map((c) => (
                    <li key={c.id}>{c.name}</li>
                  ))}
                </ul>
              </div>
            )}
            {add.isError && <ErrorMessageBar error={add.error} title="Couldn't add the members" />}
          </DialogContent>
          <DialogActions>
            <Button
              appearance="primary"
              disabled={chosen.length === 0 || add.isPending}
              onClick={() =>
                add.mutate({ groupId: group.id, memberIds: chosen.map((c) => c.id) }, { onSuccess: (result) => onDone(result.message) })
              }
            >
              {add.isPending ? "Adding…" : chosen.length > 1 ? `Add ${chosen.length} members` : "Add member"}
            </Button>
            <Button onClick={onClose} disabled={add.isPending}>
              Cancel
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function Members({ group, onDone }: { group: Group; onDone: (message: string) => void }) {
  const styles = useStyles();
  const [search, setSearch] = useState("");
  const members = useGroupMembers(group.id, useDebounced(search.trim()));
  const remove = useRemoveGroupMember();
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const [adding, setAdding] = useState(false);
  const rows = members.data?.rows;
  const existing = useMemo(() => new Set((rows ?? []).map((m) => m.id)), [rows]);
  const name = groupName(group);

  return (
    <section className={styles.section} aria-labelledby="group-members">
      <Subtitle2 as="h3" id="group-members" className={styles.heading}>
        Members
      </Subtitle2>
      {group.dynamic && (
        <Text className={styles.secondary}>Members come from the group's rule; they can't be added or removed by hand.</Text>
      )}
      <Toolbar className={styles.toolbar} aria-label="Members">
        <SearchBox placeholder="Search members" aria-label="Search members" value={search} onChange={(_, d) => setSearch(d.value)} />
        <ToolbarButton icon={<PersonAddRegular />} disabled={group.dynamic} onClick={() => setAdding(true)}>
          Add members
        </ToolbarButton>
      </Toolbar>
      {members.isError && <ErrorMessageBar error={members.error} title="Couldn't load the members" />}
      {members.isPending && <Spinner size="tiny" label="Loading members…" />}
      {members.isSuccess && members.data.total === 0 && (
        <Text className={styles.secondary}>{search.trim() ? "No members match your search." : "This group has no members."}</Text>
      )}
      {members.isSuccess && members.data.total > 0 && (
        <Text className={styles.secondary} aria-live="polite">
          {members.data.total > members.data.rows.length
            ? `The first ${members.data.rows.length.toLocaleString()} of ${plural(members.data.total, "member")} — search to find others.`
            : search.trim()
              ? plural(members.data.total, "match", "matches")
              : plural(members.data.total, "member")}
        </Text>
      )}
      <ul className={styles.members} aria-label={`Members of ${name}`}>
        {(rows ?? []).map((m) => (
          <li key={m.id} className={styles.member}>
            <MemberText member={m} />
            <Button
              size="small"
              appearance="subtle"
              icon={<PersonDeleteRegular />}
              disabled={group.dynamic}
              aria-label={`Remove ${memberName(m)}`}
              title={`Remove ${memberName(m)} from ${name}`}
              onClick={() => {
                remove.reset();
                setRemoving(m);
              }}
            >
              Remove
            </Button>
          </li>
        ))}
      </ul>
      {adding && (
        <AddMembersDialog
          group={group}
          existing={existing}
          onClose={() => setAdding(false)}
          onDone={(message) => {
            setAdding(false);
            onDone(message);
          }}
        />
      )}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing ? memberName(removing) : ""} from ${name}?`}
        confirmLabel="Remove"
        destructive
        pending={remove.isPending}
        error={remove.isError ? remove.error : null}
        onCancel={() => setRemoving(null)}
        onConfirm={() =>
          removing &&
          remove.mutate(
            { groupId: group.id, memberId: removing.id },
            {
              onSuccess: (done) => {
                setRemoving(null);
                onDone(done.message);
              },
            },
          )
        }
      >
        <Text>
          {removing ? memberName(removing) : ""} loses what membership of {name} gives: its mail, files, apps and access. The
          account itself is not changed.
        </Text>
      </ConfirmDialog>
    </section>
  );
}

/** The group's owners, from the local copy (owners can manage the group and its members). */
function Owners({ group }: { group: Group }) {
  const styles = useStyles();
  const owners = useGroupOwners(group.id);
  const name = groupName(group);
  return (
    <section className={styles.section} aria-labelledby="group-owners">
      <Subtitle2 as="h3" id="group-owners" className={styles.heading}>
        Owners{owners.isSuccess ? ` (${owners.data.total.toLocaleString()})` : ""}
      </Subtitle2>
      {owners.isError && <ErrorMessageBar error={owners.error} title="Couldn't load the owners" />}
      {owners.isPending && <Spinner size="tiny" label="Loading owners…" />}
      {owners.isSuccess && owners.data.total === 0 && (
        <Text className={styles.secondary}>This group has no owners: only administrators can manage it.</Text>
      )}
      {owners.isSuccess && owners.data.total > 0 && (
        <ul className={styles.members} aria-label={`Owners of ${name}`}>
          {owners.data.rows.map((m) => (
            <li key={m.id} className={styles.member}>
              <MemberText member={m} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type Props = { groupId: string | null; onClose: () => void; onDeleted: (message: string) => void };

/** Read Group with its members, and the actions on it: add/remove members, delete. */
export function GroupDetailsDrawer({ groupId, onClose, onDeleted }: Props) {
  const styles = useStyles();
  const group = useGroup(groupId);
  const del = useDeleteGroup();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const g = group.data;

  return (
    <DetailsDrawer open={groupId !== null} title={g ? groupName(g) : "Group"} onClose={onClose}>
      {group.isPending && <Spinner label="Loading the group…" />}
      {group.fromCopy && !group.error && <Spinner size="extra-tiny" labelPosition="after" label="Refreshing from Microsoft Graph…" />}
      {group.error && (
        <ErrorMessageBar
          error={group.error}
          title={g ? "Couldn't refresh the group from Microsoft Graph; showing the local copy" : "Couldn't load the group"}
        />
      )}
      {g && (
        <>
          <div className={styles.badges}>
            <Badge appearance="tint" color={GROUP_KINDS[g.kind].color}>
              {GROUP_KINDS[g.kind].label}
            </Badge>
            {g.dynamic && <Badge appearance="outline">Dynamic membership</Badge>}
            {g.onPremisesSyncEnabled && <Badge appearance="outline">Synced from on-premises</Badge>}
          </div>
          <Toolbar className={styles.toolbar} aria-label="Group actions">
            <ToolbarButton icon={<EditRegular />} onClick={() => setEditing(true)}>
              Edit
            </ToolbarButton>
            <ToolbarButton
              icon={<DeleteRegular />}
              onClick={() => {
                del.reset();
                setConfirmDelete(true);
              }}
            >
              Delete group
            </ToolbarButton>
          </Toolbar>
          <DoneBar message={done} onDismiss={() => setDone(null)} />
          <PropertyList
            items={[
              ["Description", g.description],
              ["Email", g.mail],
              ["Mail nickname", g.mailNickname],
              ["Privacy", g.visibility],
              ["Created", g.createdDateTime ? formatDateTime(g.createdDateTime) : null],
              ...(g.dynamic ? ([["Membership rule", g.membershipRule]] as [string, string | null][]) : []),
              ["Object ID", g.id],
            ]}
          />
          <Owners group={g} />
          <Members group={g} onDone={setDone} />
          {editing && (
            <EditGroupDialog
              group={g}
              onClose={() => setEditing(false)}
              onSaved={() => {
                setEditing(false);
                setDone("The group's details were saved.");
              }}
            />
          )}
          <ConfirmDialog
            open={confirmDelete}
            title={`Delete ${groupName(g)}?`}
            confirmLabel="Delete group"
            destructive
            pending={del.isPending}
            error={del.isError ? del.error : null}
            onCancel={() => setConfirmDelete(false)}
            onConfirm={() =>
              del.mutate(g.id, {
                onSuccess: (result) => {
                  setConfirmDelete(false);
                  onDeleted(result.message);
                },
              })
            }
          >
            <Text>{deleteWarning(g)}</Text>
          </ConfirmDialog>
        </>
      )}
    </DetailsDrawer>
  );
}
