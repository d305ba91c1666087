import { Badge, Field, SearchBox, Spinner, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { PersonDeleteRegular } from "@fluentui/react-icons";
import { useMemo, useState } from "react";
import { type MemberRow, type RoleRow, useAssignRole, useRoleMembers, useRoles, useUnassignRole } from "../api";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { DataTable } from "../components/DataTable";
import { DetailsDrawer } from "../components/DetailsDrawer";
import { DoneBar } from "../components/DoneBar";
import { ErrorMessageBar } from "../components/ErrorMessageBar";
import { PageHeader } from "../components/PageHeader";
import type { Choice } from "../components/SearchPicker";
import { useConfirmedAction } from "../components/useConfirmedAction";
import { useClientTable } from "../components/useDataTable";
import { MEMBER_CSV, byId, memberColumns, memberName } from "../features/directory/memberColumns";
import { UserPicker } from "../features/users/UserPicker";
import { formatClock, plural } from "../lib/format";
import { WriteButton } from "../components/WriteAccess";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, flex: 1, minHeight: 0 },
  toolbar: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalM },
  count: { color: tokens.colorNeutralForeground2, marginLeft: "auto" },
  list: {
    listStyle: "none",
    margin: 0,
    padding: 0,
    overflowY: "auto",
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  item: { borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}` },
  button: {
    display: "flex",
    flexDirection: "column",
    rowGap: "2px",
    width: "100%",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    textAlign: "left",
    font: "inherit",
    color: "inherit",
    border: "none",
    background: "none",
    cursor: "pointer",
    ":hover": { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  name: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "center" },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  row: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
});

const BY_NAME = [{ id: "displayName", desc: false }];

/** Who holds the role directory-wide; people can have it taken away here (after a confirmation). */
function RoleMembers({ role, onDone }: { role: RoleRow; onDone: (message: string) => void }) {
  const styles = useStyles();
  const members = useRoleMembers(role.roleTemplateId);
  const unassign = useUnassignRole();
  const removing = useConfirmedAction(
    unassign,
    (m: MemberRow) => ({ userId: m.id, roleTemplateId: role.roleTemplateId }),
    (done) => onDone(done.message),
  );
  const { ask } = removing;
  const columns = useMemo(
    () =>
      memberColumns((m) =>
        // Only people can be unassigned here (the command takes a user).
        m.kind === "user" ? (
          <WriteButton
            size="small"
            appearance="subtle"
            icon={<PersonDeleteRegular />}
            aria-label={`Unassign ${memberName(m)}`}
            title={`Take ${role.displayName} away from ${memberName(m)}`}
            onClick={() => ask(m)}
          >
            Unassign
          </WriteButton>
        ) : null,
      ),
    [role.displayName, ask],
  );
  const holders = useClientTable({
    rows: members.data,
    columns,
    getRowId: byId,
    initialSort: BY_NAME,
    status: { isPending: members.isPending, isFetching: members.isFetching, error: members.error },
  });
  const others = (members.data ?? []).some((m) => m.kind !== "user");
  return (
    <section className={styles.section} aria-labelledby="role-members">
      <Subtitle2 as="h3" id="role-members" className={styles.heading}>
        Who holds this role{members.data ? ` (${members.data.length.toLocaleString()})` : ""}
      </Subtitle2>
      {members.asOf && (
        <Text className={styles.secondary}>Read from Microsoft Graph at {formatClock(members.asOf)}; changes made here show at once.</Text>
      )}
      {members.data?.length === 0 ? (
        <Text className={styles.secondary}>Nobody holds this role.</Text>
      ) : (
        <DataTable
          model={holders}
          ariaLabel={`Holders of ${role.displayName}`}
          rowHeight={48}
          maxHeight={360}
          testId="holders-table"
          rowTestId="holder-row"
          errorTitle="Couldn't load who holds this role"
          loadingLabel="Loading who holds it…"
          csv={{ fileName: "role-holders", extra: MEMBER_CSV }}
        />
      )}
      {others && (
        <Text className={styles.secondary}>Groups and apps that hold the role are shown for reference; change those in the Entra admin center.</Text>
      )}
      <ConfirmDialog
        {...removing.dialog}
        title={`Take ${role.displayName} away from ${removing.target ? memberName(removing.target) : ""}?`}
        confirmLabel="Unassign role"
        destructive
      >
        <Text>
          {removing.target ? memberName(removing.target) : ""} loses what {role.displayName} allows across the whole directory.
          Their account and any other roles are not changed.
        </Text>
      </ConfirmDialog>
    </section>
  );
}

function AssignRole({ role, onDone }: { role: RoleRow; onDone: (message: string) => void }) {
  const styles = useStyles();
  const assign = useAssignRole();
  const [person, setPerson] = useState<Choice[]>([]);
  return (
    <section className={styles.section} aria-labelledby="role-assign">
      <Subtitle2 as="h3" id="role-assign" className={styles.heading}>
        Assign to a person
      </Subtitle2>
      <Text className={styles.secondary}>The role applies to the whole directory. To take it away, use Unassign below.</Text>
      <div className={styles.row}>
        <Field label="Person">
          <UserPicker label="Person to assign" single selected={person} onChange={setPerson} />
        </Field>
        <WriteButton
          appearance="primary"
          disabled={person.length === 0 || assign.isPending}
          onClick={() =>
            person[0] &&
            assign.mutate(
              { userId: person[0].id, roleTemplateId: role.roleTemplateId },
              {
                onSuccess: (d) => {
                  onDone(d.message);
                  setPerson([]);
                },
              },
            )
          }
        >
          {assign.isPending ? "Assigning…" : "Assign role"}
        </WriteButton>
      </div>
      {role.privileged && person.length > 0 && (
        <Text role="status">
          {role.displayName} is a privileged role: {person[0]?.name} will be able to change security settings or other
          administrators. Give it only to people who need it.
        </Text>
      )}
      {assign.isError && <ErrorMessageBar error={assign.error} title="Couldn't assign the role" />}
    </section>
  );
}

export function RolesPage() {
  const styles = useStyles();
  const roles = useRoles();
  const [search, setSearch] = useState("");
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const visible = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const all = [...(roles.data ?? [])].sort((a, b) => a.displayName.localeCompare(b.displayName));
    return needle ? all.filter((r) => `${r.displayName}\u0000${r.description ?? ""}`.toLowerCase().includes(needle)) : all;
  }, [roles.data, search]);
  const chosen = roles.data?.find((r) => r.roleTemplateId === open) ?? null;
  const total = roles.data?.length ?? 0;

  return (
    <section className={styles.page}>
      <PageHeader title="Roles" description="Built-in Microsoft Entra administrator roles. Open one to see who holds it, give it to a person or take it away." />
      {roles.isError && <ErrorMessageBar error={roles.error} title="Couldn't load roles" />}
      <div className={styles.toolbar}>
        <SearchBox placeholder="Search roles by name or what they allow" aria-label="Search roles" value={search} onChange={(_, d) => setSearch(d.value)} style={{ width: 340 }} />
        <Text className={styles.count}>{roles.isPending ? "Loading roles…" : visible.length === total ? plural(total, "role") : `${visible.length} of ${plural(total, "role")}`}</Text>
      </div>
      {roles.isPending && <Spinner label="Loading roles…" />}
      {roles.isSuccess && visible.length === 0 && <Text>No roles match your search.</Text>}
      <ul className={styles.list} aria-label="Roles">
        {visible.map((r) => (
          <li key={r.roleTemplateId} className={styles.item}>
            <button type="button" className={styles.button} onClick={() => {
                setDone(null);
                setOpen(r.roleTemplateId);
              }}>
              <span className={styles.name}>
                <strong>{r.displayName}</strong>
                {r.privileged && (
                  <Badge appearance="tint" color="danger" size="small">
                    Privileged
                  </Badge>
                )}
                {r.activated && (
                  <Badge appearance="outline" size="small">
                    In use
                  </Badge>
                )}
              </span>
              <span className={styles.secondary}>{r.description}</span>
            </button>
          </li>
        ))}
      </ul>
      <DetailsDrawer open={chosen !== null} title={chosen?.displayName ?? "Role"} onClose={() => setOpen(null)}>
        {chosen && (
          <>
            <Text>{chosen.description}</Text>
            <DoneBar message={done} onDismiss={() => setDone(null)} />
            <AssignRole key={chosen.roleTemplateId} role={chosen} onDone={setDone} />
            <RoleMembers role={chosen} onDone={setDone} />
          </>
        )}
      </DetailsDrawer>
    </section>
  );
}
