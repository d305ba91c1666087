import {
  Badge,
  Button,
  Dropdown,
  Field,
  Input,
  Option,
  OptionGroup,
  Radio,
  RadioGroup,
  Spinner,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import {
  type UserDetails,
  type UserRoleRow,
  useAdministrativeUnits,
  useAssignRole,
  useCustomRoles,
  useRoles,
  useUnassignRoleAssignment,
  useUserRoles,
} from "../../api";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { useConfirmedAction } from "../../components/useConfirmedAction";
import { roleChoice, scopeChoice } from "./roleChoice";

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
  name: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalXS },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  row: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
  picker: { minWidth: "260px" },
});

/**
 * A person's directory roles: each assignment (built-in or custom, whole directory or an administrative unit)
 * can be unassigned (asks first); a role is assigned by choosing it or by its id, in a scope.
 */
export function UserRoles({ user, onDone }: { user: UserDetails; onDone: (message: string) => void }) {
  const styles = useStyles();
  const held = useUserRoles(user.id);
  const unassign = useUnassignRoleAssignment();
  const removing = useConfirmedAction(unassign, (r: UserRoleRow) => ({ userId: user.id, assignmentId: r.assignmentId }), (result) => onDone(result.message));
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
              <span className={styles.name}>
                {r.displayName}
                {!r.builtIn && (
                  <Badge appearance="outline" size="small">
                    custom
                  </Badge>
                )}
              </span>
              <span className={styles.secondary}>{r.scopeLabel}</span>
            </span>
            <Button size="small" appearance="subtle" aria-label={`Unassign ${r.displayName} (${r.scopeLabel})`} onClick={() => removing.ask(r)}>
              Unassign
            </Button>
          </li>
        ))}
      </ul>
      <AssignRole userId={user.id} onDone={onDone} />
      <ConfirmDialog
        {...removing.dialog}
        title={`Take ${removing.target?.displayName ?? ""} away from ${name}?`}
        confirmLabel="Unassign role"
        destructive
      >
        <Text>
          {name} loses what this role allows them to do{removing.target && removing.target.scope !== "/" ? ` in ${removing.target.scopeLabel}` : ""} in the admin
          centres, within a few minutes.
        </Text>
      </ConfirmDialog>
    </section>
  );
}

/** Assign Role: a role from the list (built-in, then custom) or typed by its id, and where it applies. */
function AssignRole({ userId, onDone }: { userId: string; onDone: (message: string) => void }) {
  const styles = useStyles();
  const roles = useRoles();
  const custom = useCustomRoles();
  const units = useAdministrativeUnits();
  const assign = useAssignRole();
  const [mode, setMode] = useState<"list" | "id">("list");
  const [roleId, setRoleId] = useState("");
  const [typedId, setTypedId] = useState("");
  const [scope, setScope] = useState("/");
  const all = [...(roles.data ?? []), ...(custom.data ?? [])];
  const chosen = roleChoice(all, mode === "list" ? roleId : typedId);
  const where = scopeChoice(units.data ?? [], scope);
  const key = mode === "list" ? roleId : typedId.trim();

  return (
    <>
      <RadioGroup
        layout="horizontal"
        aria-label="Assign a role by"
        value={mode}
        onChange={(_, d) => {
          assign.reset();
          setMode(d.value === "id" ? "id" : "list");
        }}
      >
        <Radio value="list" label="Choose a role" />
        <Radio value="id" label="Enter a role id" />
      </RadioGroup>
      <div className={styles.row}>
        {mode === "list" ? (
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
              <OptionGroup label="Built-in roles">
                {(roles.data ?? []).map((r) => (
                  <Option key={r.roleTemplateId} value={r.roleTemplateId} text={r.displayName}>
                    {r.privileged ? `${r.displayName} (privileged)` : r.displayName}
                  </Option>
                ))}
              </OptionGroup>
              {(custom.data ?? []).length > 0 && (
                <OptionGroup label="Custom roles">
                  {(custom.data ?? []).map((r) => (
                    <Option key={r.roleTemplateId} value={r.roleTemplateId} text={r.displayName}>
                      {`${r.displayName} (custom)`}
                    </Option>
                  ))}
                </OptionGroup>
              )}
            </Dropdown>
          </Field>
        ) : (
          <Field
            label="Role id"
            hint={chosen ? chosen.displayName : "A role definition id (custom roles too), a built-in role's template id, or the id of an activated directory role."}
          >
            <Input
              className={styles.picker}
              value={typedId}
              onChange={(_, d) => {
                assign.reset();
                setTypedId(d.value);
              }}
            />
          </Field>
        )}
        <Field label="Where it applies" hint={where.hint}>
          <Dropdown
            className={styles.picker}
            value={where.label}
            selectedOptions={[scope]}
            onOptionSelect={(_, d) => {
              assign.reset();
              setScope(d.optionValue ?? "/");
            }}
          >
            <Option value="/">Whole directory</Option>
            {(units.data ?? []).map((u) => (
              <Option key={u.id} value={u.id} text={`${u.displayName} (administrative unit)`}>
                {`${u.displayName} (administrative unit)`}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Button
          appearance="primary"
          disabled={!key || assign.isPending}
          onClick={() =>
            assign.mutate(
              { userId, roleTemplateId: key, scope },
              {
                onSuccess: (done) => {
                  setRoleId("");
                  setTypedId("");
                  onDone(done.message);
                },
              },
            )
          }
        >
          {assign.isPending ? "Assigning…" : "Assign role"}
        </Button>
      </div>
      {units.isError && <ErrorMessageBar error={units.error} title="Couldn't read the administrative units: roles can be given for the whole directory only" />}
      {assign.isError && <ErrorMessageBar error={assign.error} title="Couldn't assign the role" />}
    </>
  );
}
