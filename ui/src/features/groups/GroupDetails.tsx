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
  memberSource,
  useRemoveGroupMember,
} from "../../api";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataTable } from "../../components/DataTable";
import { useConfirmedAction } from "../../components/useConfirmedAction";
import { useDataTable } from "../../components/useDataTable";
import { DetailsDrawer, PropertyList } from "../../components/DetailsDrawer";
import { DoneBar } from "../../components/DoneBar";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import type { Choice } from "../../components/SearchPicker";
import { formatDateTime, plural } from "../../lib/format";
import { MEMBER_CSV, memberColumns, memberName } from "../directory/memberColumns";
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
  const name = groupName(group);
  const removal = useConfirmedAction(
    useRemoveGroupMember(),
    (m: MemberRow) => ({ groupId: group.id, memberId: m.id }),
    (done) => onDone(done.message),
  );
  const [adding, setAdding] = useState(false);
  const { ask } = removal;
  const columns = useMemo(
    () =>
      memberColumns((m) => (
        <Button
          size="small"
          appearance="subtle"
          icon={<PersonDeleteRegular />}
          disabled={group.dynamic}
          aria-label={`Remove ${memberName(m)}`}
          title={`Remove ${memberName(m)} from ${name}`}
          onClick={(event) => {
            event.stopPropagation();
            ask(m);
          }}
        >
          Remove
        </Button>
      )),
    [group.dynamic, name, ask],
  );
  const members = useDataTable({ columns, getRowId: (m: MemberRow) => m.id, source: memberSource(group.id) });
  const loaded = members.table.getCoreRowModel().rows;
  const existing = useMemo(() => new Set(loaded.map((r) => r.original.id)), [loaded]);
  const target = removal.target;

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
        rowHeight={48}
        maxHeight={360}
        testId="members-table"
        rowTestId="member-row"
        search={{ label: "Search members", placeholder: "Search members" }}
        noun={["member", "members"]}
        errorTitle="Couldn't load the members"
        loadingLabel="Loading members…"
        csv={{ fileName: `members-${name}`, extra: MEMBER_CSV }}
        actions={
          <ToolbarButton icon={<PersonAddRegular />} disabled={group.dynamic} onClick={() => setAdding(true)}>
            Add members
          </ToolbarButton>
        }
        empty={<Text className={styles.secondary}>{members.view.text ? "No members match your search." : "This group has no members."}</Text>}
      />
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
      <ConfirmDialog {...removal.dialog} title={`Remove ${target ? memberName(target) : ""} from ${name}?`} confirmLabel="Remove" destructive>
        <Text>
          {target ? memberName(target) : ""} loses what membership of {name} gives: its mail, files, apps and access. The account
          itself is not changed.
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
  const deletion = useConfirmedAction(useDeleteGroup(), (id: string) => id, (result) => onDeleted(result.message));
  const [done, setDone] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const g = group.data;

  return (
    <DetailsDrawer open={groupId !== null} title={g ? groupName(g) : "Group"} onClose={onClose}>
      {group.isPending && <Spinner label="Loading the group…" />}
      {group.isError && <ErrorMessageBar error={group.error} title="Couldn't load the group" />}
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
              onClick={() => deletion.ask(g.id)}
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
          <ConfirmDialog {...deletion.dialog} title={`Delete ${groupName(g)}?`} confirmLabel="Delete group" destructive>
            <Text>{deleteWarning(g)}</Text>
          </ConfirmDialog>
        </>
      )}
    </DetailsDrawer>
  );
}
