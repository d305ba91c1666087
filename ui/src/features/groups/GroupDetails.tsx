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
  Spinner,
  Subtitle2,
  Text,
  Toolbar,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowUploadRegular, DeleteRegular, EditRegular, PersonAddRegular, PersonDeleteRegular } from "@fluentui/react-icons";
import { ImportDialog } from "../import/ImportDialog";
import { type ReactNode, useMemo, useState } from "react";
import {
  type AppError,
  type GroupDetails as Group,
  type MemberPage,
  type MemberRow,
  type WindowedSource,
  type PreviewAction,
  memberSource,
  ownerSource,
  useAddGroupMembers,
  useDeleteGroup,
  useGroup,
  useAddGroupOwner,
  useRemoveGroupMember,
  useRemoveGroupOwner,
} from "../../api";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataTable } from "../../components/DataTable";
import { DetailsDrawer } from "../../components/DetailsDrawer";
import { DoneBar } from "../../components/DoneBar";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import type { Choice } from "../../components/SearchPicker";
import { useConfirmedAction } from "../../components/useConfirmedAction";
import { useWindowedTable } from "../../components/useDataTable";
import { SelectionActions } from "../bulk/SelectionActions";
import { plural } from "../../lib/format";
import { MEMBER_CSV, byId, memberColumns, memberName } from "../directory/memberColumns";
import { UserPicker } from "../users/UserPicker";
import { EditGroupDialog } from "./EditGroupDialog";
import { GroupProperties } from "./GroupProperties";
import { GroupMemberSearch } from "./MemberSearch";
import { GROUP_KINDS, groupName } from "./labels";
import { WriteButton, WriteToolbarButton } from "../../components/WriteAccess";
import { ShowRequest } from "../../components/ShowRequest";

const MEMBER_ACTIONS = ["removeFromGroup"] as const;
const useStyles = makeStyles({
  badges: { display: "flex", columnGap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, overflow: "hidden", textOverflow: "ellipsis" },
  toolbar: { padding: 0, flexWrap: "wrap" },
  preview: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

const NO_SORTS: ReadonlySet<string> = new Set();
/** Members and owners are read by name (the copy sorts them so); drawers show this many rows at most before scrolling. */
const DRAWER_TABLE_HEIGHT = 360;

/** Whether Microsoft keeps a deleted group for 30 days: Microsoft 365 groups yes; others not reliably. */
export function deleteWarning(group: Group): string {
  return group.kind === "microsoft365"
    ? "It goes to deleted groups and can be restored for 30 days, with its mailbox, files and members."
    : "Security groups and distribution lists may not be restorable: Microsoft doesn't always keep them. Its members lose any access the group gave them.";
}

type PickPeopleProps = {
  title: string;
  label: string;
  hint: string;
  exclude: ReadonlySet<string>;
  single?: boolean;
  /** The action's state: running, and its failure (shown under the picker). */
  pending: boolean;
  error: AppError | null;
  errorTitle: string;
  actionLabel: (chosen: Choice[]) => string;
  onPick: (chosen: Choice[]) => void;
  onClose: () => void;
  /** What will happen, said under the picker once someone is chosen. */
  preview?: (chosen: Choice[]) => ReactNode;
  /** The action with the people chosen, for "Show the request". */
  request: (chosen: Choice[]) => PreviewAction;
};

/** A dialog to choose people for a group (members or an owner) and run the action on them. */
function PickPeopleDialog(p: PickPeopleProps) {
  const [chosen, setChosen] = useState<Choice[]>([]);
  return (
    <Dialog open onOpenChange={(_, data) => !data.open && !p.pending && p.onClose()}>
      <DialogSurface>
        <DialogBody>
          <ActivateModal />
          <DialogTitle>{p.title}</DialogTitle>
          <DialogContent>
            <Field label={p.label} hint={p.hint}>
              <UserPicker label={p.label} selected={chosen} onChange={setChosen} exclude={p.exclude} single={p.single} />
            </Field>
            {chosen.length > 0 && p.preview?.(chosen)}
            {chosen.length > 0 && <ShowRequest action={p.request(chosen)} />}
            {p.error && <ErrorMessageBar error={p.error} title={p.errorTitle} />}
          </DialogContent>
          <DialogActions>
            <WriteButton appearance="primary" disabled={chosen.length === 0 || p.pending} onClick={() => p.onPick(chosen)}>
              {p.pending ? "Adding…" : p.actionLabel(chosen)}
            </WriteButton>
            <Button onClick={p.onClose} disabled={p.pending}>
              Cancel
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function AddMembersDialog({ group, existing, onClose, onDone }: { group: Group; existing: ReadonlySet<string>; onClose: () => void; onDone: (message: string) => void }) {
  const styles = useStyles();
  const add = useAddGroupMembers();
  const name = groupName(group);
  return (
    <PickPeopleDialog
      title={`Add members to ${name}`}
      label="People to add"
      hint="Choose several people in a row."
      exclude={existing}
      pending={add.isPending}
      error={add.isError ? add.error : null}
      errorTitle="Couldn't add the members"
      actionLabel={(chosen) => (chosen.length > 1 ? `Add ${chosen.length} members` : "Add member")}
      onPick={(chosen) => add.mutate({ groupId: group.id, memberIds: chosen.map((c) => c.id) }, { onSuccess: (result) => onDone(result.message) })}
      request={(chosen) => ({ action: "addGroupMembers", groupId: group.id, memberIds: chosen.map((c) => c.id) })}
      onClose={onClose}
      preview={(chosen) => (
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
    />
  );
}

/**
 * A group's members or owners from the local copy, each row with Remove (which asks first: `ask`), and who is
 * in the window read (left out of the picker: someone already in is not offered again).
 */
function useGroupPeople(sourceOf: (groupId: string) => WindowedSource<MemberRow, MemberPage>, group: Group, as: "member" | "owner", ask: (m: MemberRow) => void) {
  const name = groupName(group);
  // Dynamic groups' members come from the rule; owners are always chosen by hand.
  const fixed = as === "member" && group.dynamic;
  const columns = useMemo(
    () =>
      memberColumns((m) => (
        <WriteButton
          size="small"
          appearance="subtle"
          icon={<PersonDeleteRegular />}
          disabled={fixed}
          aria-label={as === "member" ? `Remove ${memberName(m)}` : `Remove ${memberName(m)} as owner`}
          title={as === "member" ? `Remove ${memberName(m)} from ${name}` : `${memberName(m)} stops being an owner of ${name}`}
          onClick={(event) => {
            event.stopPropagation();
            ask(m);
          }}
        >
          Remove
        </WriteButton>
      )),
    [fixed, as, name, ask],
  );
  const source = useMemo(() => sourceOf(group.id), [sourceOf, group.id]);
  const table = useWindowedTable({ source, columns, getRowId: byId, sortable: NO_SORTS });
  const rows = table.page?.rows;
  const existing = useMemo(() => new Set((rows ?? []).map((m) => m.id)), [rows]);
  return { table, existing };
}

// Long: the table, its selection actions, Add members and Remove's confirmation share the group's state.
/** A group's members: search, select (for bulk actions), add, and remove one (asks first). */
function Members({ group, onDone }: { group: Group; onDone: (message: string) => void }) {
  const styles = useStyles();
  const remove = useRemoveGroupMember();
  const removing = useConfirmedAction(
    remove,
    (m: MemberRow) => ({ groupId: group.id, memberId: m.id }),
    (done) => onDone(done.message),
    (m) => ({ action: "removeGroupMember", groupId: group.id, memberId: m.id }),
  );
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const name = groupName(group);
  const { table: members, existing } = useGroupPeople(memberSource, group, "member", removing.ask);
  const total = members.count;

  return (
    <section className={styles.section} aria-labelledby="group-members">
      <Subtitle2 as="h3" id="group-members" className={styles.heading}>
        Members
      </Subtitle2>
      {group.dynamic && (
        <Text className={styles.secondary}>Members come from the group's rule; they can't be added or removed by hand.</Text>
      )}
      <DataTable
        model={members}
        ariaLabel={`Members of ${name}`}
        toolbarLabel="Members"
        rowHeight={48}
        maxHeight={DRAWER_TABLE_HEIGHT}
        testId="members-table"
        rowTestId="member-row"
        errorTitle="Couldn't load the members"
        loadingLabel="Loading members…"
        search={{ label: "Search members", placeholder: "Search members" }}
        countText={members.isPending ? undefined : members.searching ? plural(total, "match", "matches") : plural(total, "member")}
        csv={{ fileName: "members", extra: MEMBER_CSV }}
        selectable={group.dynamic ? undefined : { rowLabel: memberName }}
        panel={
          <SelectionActions
            model={members}
            actions={MEMBER_ACTIONS}
            idOf={(m) => m.id}
            noun="members"
            target={{ groupId: group.id, groupName: name }}
            labels={{ removeFromGroup: `Remove from ${name}` }}
          />
        }
        actions={
          <>
            <WriteToolbarButton icon={<PersonAddRegular />} disabled={group.dynamic} onClick={() => setAdding(true)}>
              Add members
            </WriteToolbarButton>
            <WriteToolbarButton icon={<ArrowUploadRegular />} disabled={group.dynamic} onClick={() => setImporting(true)}>
              Import from CSV
            </WriteToolbarButton>
          </>
        }
        empty={
          !members.error && (
            <Text className={styles.secondary}>{members.searching ? "No members match your search." : "This group has no members."}</Text>
          )
        }
      />
      <ImportDialog open={importing} onClose={() => setImporting(false)} initialKind="addMembers" group={{ id: group.id, name }} />
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
        {...removing.dialog}
        title={`Remove ${removing.target ? memberName(removing.target) : ""} from ${name}?`}
        confirmLabel="Remove"
        destructive
      >
        <Text>
          {removing.target ? memberName(removing.target) : ""} loses what membership of {name} gives: its mail, files, apps and
          access. The account itself is not changed.
        </Text>
      </ConfirmDialog>
    </section>
  );
}

function AddOwnerDialog({ group, existing, onClose, onDone }: { group: Group; existing: ReadonlySet<string>; onClose: () => void; onDone: (message: string) => void }) {
  const add = useAddGroupOwner();
  return (
    <PickPeopleDialog
      title={`Add an owner to ${groupName(group)}`}
      label="New owner"
      hint="Owners manage the group: its settings and its members. Being an owner doesn't make them a member."
      exclude={existing}
      single
      pending={add.isPending}
      error={add.isError ? add.error : null}
      errorTitle="Couldn't add the owner"
      actionLabel={() => "Add owner"}
      onPick={([owner]) => owner && add.mutate({ groupId: group.id, ownerId: owner.id }, { onSuccess: (result) => onDone(result.message) })}
      request={(chosen) => ({ action: "addGroupOwner", groupId: group.id, ownerId: chosen[0]?.id ?? "" })}
      onClose={onClose}
    />
  );
}

/** The group's owners, from the local copy (owners can manage the group and its members): add and remove. */
function Owners({ group, onDone }: { group: Group; onDone: (message: string) => void }) {
  const styles = useStyles();
  const remove = useRemoveGroupOwner();
  const removing = useConfirmedAction(
    remove,
    (m: MemberRow) => ({ groupId: group.id, ownerId: m.id }),
    (done) => onDone(done.message),
    (m) => ({ action: "removeGroupOwner", groupId: group.id, ownerId: m.id }),
  );
  const [adding, setAdding] = useState(false);
  const name = groupName(group);
  const { table: owners, existing } = useGroupPeople(ownerSource, group, "owner", removing.ask);
  const only = owners.count === 1;
  return (
    <section className={styles.section} aria-labelledby="group-owners">
      <Subtitle2 as="h3" id="group-owners" className={styles.heading}>
        Owners{owners.page ? ` (${owners.count.toLocaleString()})` : ""}
      </Subtitle2>
      <Text className={styles.secondary}>
        {owners.page && owners.count === 0
          ? "This group has no owners: only administrators can manage it."
          : "Owners manage the group and its members. Microsoft keeps at least one owner on a group that has owners: add another before removing the last one."}
      </Text>
      <DataTable
        model={owners}
        ariaLabel={`Owners of ${name}`}
        toolbarLabel="Owners"
        rowHeight={48}
        maxHeight={DRAWER_TABLE_HEIGHT}
        testId="owners-table"
        rowTestId="owner-row"
        errorTitle="Couldn't load the owners"
        loadingLabel="Loading owners…"
        actions={
          <WriteToolbarButton icon={<PersonAddRegular />} onClick={() => setAdding(true)}>
            Add owner
          </WriteToolbarButton>
        }
        empty={!owners.error && <Text className={styles.secondary}>No owners.</Text>}
      />
      {adding && (
        <AddOwnerDialog
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
        {...removing.dialog}
        title={`Remove ${removing.target ? memberName(removing.target) : ""} as owner of ${name}?`}
        confirmLabel="Remove owner"
        destructive
      >
        <Text>
          {only
            ? `${removing.target ? memberName(removing.target) : "They"} is the only owner. Microsoft keeps at least one owner on a group that has owners, so this will be refused: add another owner first.`
            : `${removing.target ? memberName(removing.target) : "They"} can no longer manage ${name}. Their membership and account are not changed.`}
        </Text>
      </ConfirmDialog>
    </section>
  );
}

type Props = { groupId: string | null; onClose: () => void; onDeleted: (message: string) => void };

/** Read Group with its members, and the actions on it: add/remove members, delete. */
export function GroupDetailsDrawer({ groupId, onClose, onDeleted }: Props) {
  const styles = useStyles();
  const group = useGroup(groupId);
  const del = useDeleteGroup();
  const deleting = useConfirmedAction(del, (id: string) => id, (result) => onDeleted(result.message), (key) => ({ action: "deleteGroup", key }));
  const [done, setDone] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  // Another group opened: what was said about the one before (and an open edit form) goes.
  const [shownFor, setShownFor] = useState(groupId);
  if (shownFor !== groupId) {
    setShownFor(groupId);
    setDone(null);
    setEditing(false);
  }
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
            {g.isAssignableToRole && <Badge appearance="outline">Roles can be given</Badge>}
            {g.visibility === "HiddenMembership" && <Badge appearance="outline">Hidden membership</Badge>}
          </div>
          <Toolbar className={styles.toolbar} aria-label="Group actions">
            <WriteToolbarButton icon={<EditRegular />} onClick={() => setEditing(true)}>
              Edit
            </WriteToolbarButton>
            <WriteToolbarButton
              icon={<DeleteRegular />}
              onClick={() => deleting.ask(g.id)}
            >
              Delete group
            </WriteToolbarButton>
          </Toolbar>
          <DoneBar message={done} onDismiss={() => setDone(null)} />
          <GroupProperties group={g} />
          <Owners group={g} onDone={setDone} />
          <Members group={g} onDone={setDone} />
          <GroupMemberSearch group={g} />
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
          <ConfirmDialog {...deleting.dialog} title={`Delete ${groupName(g)}?`} confirmLabel="Delete group" destructive>
            <Text>{deleteWarning(g)}</Text>
          </ConfirmDialog>
        </>
      )}
    </DetailsDrawer>
  );
}
