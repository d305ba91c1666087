import { Dropdown, Field, Option, Spinner, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { type UserDetails, type UserRoleRow, useAssignRole, useRoles, useUnassignRole, useUserRoles } from "../../api";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { useConfirmedAction } from "../../components/useConfirmedAction";
import { WriteButton } from "../../components/WriteAccess";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  list: { listStyle: "none", margin: 0, padding: 0 },
  item: {
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
  },
  grow: { flex: 1, minWidth: 0, display: "flex", flexDirection: "column" },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  row: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
  picker: { minWidth: "260px" },
});

/** A person's directory roles: unassign (asks first) and assign a built-in role directory-wide. */
export function UserRoles({ user, onDone }: { user: UserDetails; onDone: (message: string) => void }) {
  const styles = useStyles();
  const held = useUserRoles(user.id);
  const roles = useRoles();
  const assign = useAssignRole();
  const unassign = useUnassignRole();
  const removing = useConfirmedAction(unassign, (r: UserRoleRow) => ({ userId: user.id, roleTemplateId: r.roleTemplateId }), (result) => onDone(result.message));
  const [roleId, setRoleId] = useState("");
  const heldIds = new Set((held.data ?? []).map((r) => r.roleTemplateId));
  const offered = (roles.data ?? []).filter((r) => !heldIds.has(r.roleTemplateId));
  const chosen = offered.find((r) => r.roleTemplateId === roleId);
  const name = user.displayName ?? user.id;

  return (
    <section className={styles.section} aria-labelledby="user-roles">
      <Subtitle2 as="h3" id="user-roles" className={styles.heading}>
        Roles
      </Subtitle2>
      {held.isPending && <Spinner size="tiny" label="Loading…" />}
      {held.isError && <ErrorMessageBar error={held.error} title="Couldn't read the roles" />}
      {held.isSuccess && held.data.length === 0 && <Text className={styles.secondary}>No administrator roles.</Text>}
      <ul className={styles.list} aria-label={`Roles of ${name}`}>
        {(held.data ?? []).map((r) => (
          <li key={r.assignmentId} className={styles.item}>
            <span className={styles.grow}>
              <span>{r.displayName}</span>
              <span className={styles.secondary}>{r.scope === "/" ? "Whole directory" : `Scope ${r.scope}`}</span>
            </span>
            <WriteButton
              size="small"
              appearance="subtle"
              onClick={() => removing.ask(r)}
            >
              Unassign
            </WriteButton>
          </li>
        ))}
      </ul>
      <div className={styles.row}>
        <Field label="Assign a role" hint={chosen?.description ?? undefined}>
          <Dropdown
            className={styles.picker}
            placeholder={roles.isPending ? "Loading roles…" : "Choose a role"}
            value={chosen?.displayName ?? ""}
            selectedOptions={roleId ? [roleId] : []}
            onOptionSelect={(_, d) => {
              assign.reset();
              setRoleId(d.optionValue ?? "");
            }}
          >
            {offered.map((r) => (
              <Option key={r.roleTemplateId} value={r.roleTemplateId} text={r.displayName}>
                {r.privileged ? `${r.displayName} (privileged)` : r.displayName}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <WriteButton
          appearance="primary"
          disabled={!roleId || assign.isPending}
          onClick={() =>
            assign.mutate(
              { userId: user.id, roleTemplateId: roleId },
              {
                onSuccess: (done) => {
                  setRoleId("");
                  onDone(done.message);
                },
              },
            )
          }
        >
          {assign.isPending ? "Assigning…" : "Assign role"}
        </WriteButton>
      </div>
      {assign.isError && <ErrorMessageBar error={assign.error} title="Couldn't assign the role" />}
      <ConfirmDialog
        {...removing.dialog}
        title={`Take ${removing.target?.displayName ?? ""} away from ${name}?`}
        confirmLabel="Unassign role"
        destructive
      >
        <Text>{name} loses what this role allows them to do in the admin centres, within a few minutes.</Text>
      </ConfirmDialog>
    </section>
  );
}
