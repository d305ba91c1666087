import {
  Badge,
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
import { DRAWER_SECTION, DRAWER_LIST } from "../../components/drawerStyles";
import {
  type ScopeRow,
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
import { WriteButton } from "../../components/WriteAccess";
import { ShowRequest } from "../../components/ShowRequest";

const useStyles = makeStyles({
  ...DRAWER_SECTION,
  ...DRAWER_LIST,
  name: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalXS },
});

/**
 * A person's directory roles: each assignment (built-in or custom, whole directory or an administrative unit)
 * can be unassigned (asks first); a role is assigned by choosing it or by its id, in a scope.
 */
export function UserRoles({ user, onDone }: { user: UserDetails; onDone: (message: string) => void }) {
  const styles = useStyles();
  const held = useUserRoles(user.id);
  const unassign = useUnassignRoleAssignment();
  const removing = useConfirmedAction(
    unassign,
    (r: UserRoleRow) => ({ userId: user.id, assignmentId: r.assignmentId }),
    (result) => onDone(result.message),
    (r) => ({ action: "unassignRoleAssignment", userId: user.id, assignmentId: r.assignmentId }),
  );
  const name = user.displayName ?? user.id;

  return (
    <section className={styles.section} aria-labelledby="user-roles">
      <Subtitle2 as="h3" id="user-roles" className={styles.heading}>
        Roles
      </Subtitle2>
      {held.isPending && <Spinner size="tiny" label="Loading…" />}
      {held.isError && <ErrorMessageBar error={held.error} title="Couldn't read the roles" />}
      {held.isSuccess && held.data.length === 0 && <Text className={styles.secondary}>No administrator roles.</Text>}
      <HeldRoles name={name} roles={held.data ?? []} onUnassign={removing.ask} />
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

/** The roles a person holds: each with its scope, custom roles marked, and Unassign. */
function HeldRoles({ name, roles, onUnassign }: { name: string; roles: UserRoleRow[]; onUnassign: (role: UserRoleRow) => void }) {
  const styles = useStyles();
  return (
    <ul className={styles.list} aria-label={`Roles of ${name}`}>
      {roles.map((r) => (
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
          <WriteButton size="small" appearance="subtle" aria-label={`Unassign ${r.displayName} (${r.scopeLabel})`} onClick={() => onUnassign(r)}>
            Unassign
          </WriteButton>
        </li>
      ))}
    </ul>
  );
}

/** The role to give: chosen from the built-in then custom roles, or typed by its id (the role it names is shown). */
function RoleField({
  mode,
  roleId,
  typedId,
  onChoose,
  onType,
}: {
  mode: "list" | "id";
  roleId: string;
  typedId: string;
  onChoose: (id: string) => void;
  onType: (id: string) => void;
}) {
  const styles = useStyles();
  const roles = useRoles();
  const custom = useCustomRoles();
  const chosen = roleChoice([...(roles.data ?? []), ...(custom.data ?? [])], mode === "list" ? roleId : typedId);
  if (mode === "id") {
    return (
      <Field
        label="Role id"
        hint={chosen ? chosen.displayName : "A role definition id (custom roles too), a built-in role's template id, or the id of an activated directory role."}
      >
        <Input className={styles.picker} value={typedId} onChange={(_, d) => onType(d.value)} />
      </Field>
    );
  }
  return (
    <Field label="Assign a role" hint={chosen?.description ?? undefined}>
      <Dropdown
        className={styles.picker}
        placeholder={roles.isPending ? "Loading roles…" : "Choose a role"}
        value={chosen?.displayName ?? ""}
        selectedOptions={roleId ? [roleId] : []}
        onOptionSelect={(_, d) => onChoose(d.optionValue ?? "")}
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
  );
}

/** Where the role applies: the whole directory or one of its administrative units. */
function ScopeField({ units, scope, onChange }: { units: ScopeRow[]; scope: string; onChange: (scope: string) => void }) {
  const styles = useStyles();
  const where = scopeChoice(units, scope);
  return (
    <Field label="Where it applies" hint={where.hint}>
      <Dropdown className={styles.picker} value={where.label} selectedOptions={[scope]} onOptionSelect={(_, d) => onChange(d.optionValue ?? "/")}>
        <Option value="/">Whole directory</Option>
        {units.map((u) => (
          <Option key={u.id} value={u.id} text={`${u.displayName} (administrative unit)`}>
            {`${u.displayName} (administrative unit)`}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}

/** Assign Role: a role from the list or typed by its id, and where it applies. */
function AssignRole({ userId, onDone }: { userId: string; onDone: (message: string) => void }) {
  const styles = useStyles();
  const units = useAdministrativeUnits();
  const assign = useAssignRole();
  const [mode, setMode] = useState<"list" | "id">("list");
  const [roleId, setRoleId] = useState("");
  const [typedId, setTypedId] = useState("");
  const [scope, setScope] = useState("/");
  const key = mode === "list" ? roleId : typedId.trim();
  // Any change to the form forgets what the last attempt said.
  const changed =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      assign.reset();
      set(v);
    };

  return (
    <>
      <RadioGroup layout="horizontal" aria-label="Assign a role by" value={mode} onChange={(_, d) => changed(setMode)(d.value === "id" ? "id" : "list")}>
        <Radio value="list" label="Choose a role" />
        <Radio value="id" label="Enter a role id" />
      </RadioGroup>
      <div className={styles.row}>
        <RoleField mode={mode} roleId={roleId} typedId={typedId} onChoose={changed(setRoleId)} onType={changed(setTypedId)} />
        <ScopeField units={units.data ?? []} scope={scope} onChange={changed(setScope)} />
        <WriteButton
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
        </WriteButton>
      </div>
      {key && <ShowRequest action={{ action: "assignRole", userId, roleTemplateId: key, scope }} />}
      {units.isError && <ErrorMessageBar error={units.error} title="Couldn't read the administrative units: roles can be given for the whole directory only" />}
      {assign.isError && <ErrorMessageBar error={assign.error} title="Couldn't assign the role" />}
    </>
  );
}
