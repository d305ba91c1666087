import type { RoleRow, ScopeRow } from "../../api";

/** The role a key names: its id (any case; built-in template ids and custom role ids) or its exact name. */
export function roleChoice(roles: RoleRow[], key: string): RoleRow | undefined {
  const k = key.trim().toLowerCase();
  if (!k) return undefined;
  return roles.find((r) => r.roleTemplateId.toLowerCase() === k) ?? roles.find((r) => r.displayName.toLowerCase() === k);
}

/** What a scope choice ("/" or an administrative unit's id) says: its label and what it means. */
export function scopeChoice(units: ScopeRow[], scope: string): { label: string; hint: string } {
  const unit = scope === "/" ? undefined : units.find((u) => u.id === scope);
  if (!unit) return { label: "Whole directory", hint: "The role applies to everyone and everything in the directory." };
  return {
    label: `${unit.displayName} (administrative unit)`,
    hint: `The role applies only to the people, groups and devices in ${unit.displayName}.`,
  };
}
