import type { JournalAction, JournalEntry } from "../../api";

type Kind = JournalAction["kind"];

/** Each kind of change in plain words, as the filter and the table name it. */
export const ACTION_LABELS: Record<Kind, string> = {
  addMember: "Added to a group",
  removeMember: "Removed from a group",
  addOwner: "Made a group owner",
  removeOwner: "No longer a group owner",
  assignLicence: "Licence assigned",
  removeLicence: "Licence removed",
  assignRole: "Role assigned",
  unassignRole: "Role removed",
  setManager: "Manager set",
  removeManager: "Manager removed",
  updateUser: "Person's details changed",
  updateGroup: "Group's details changed",
  block: "Blocked from signing in",
  unblock: "Allowed to sign in",
  revokeSessions: "Signed out everywhere",
  resetPassword: "Password reset",
  createUser: "Person created",
  inviteGuest: "Guest invited",
  createGroup: "Group created",
  createContact: "Contact created",
  deleteUser: "Person deleted",
  deleteGroup: "Group deleted",
  restore: "Restored from Deleted items",
  deleteForGood: "Deleted for good",
  customRequest: "Custom request",
};

export const ACTION_ORDER = Object.keys(ACTION_LABELS) as Kind[];

/** What the change was about besides its target: the group, the licence, the role, the manager. */
export function actionDetail(action: JournalAction): string {
  switch (action.kind) {
    case "addMember":
    case "removeMember":
    case "addOwner":
    case "removeOwner":
      return action.group.name;
    case "assignLicence":
    case "removeLicence":
      return action.disabledPlans.length === 0
        ? action.licence
        : `${action.licence} (${action.disabledPlans.length} services switched off)`;
    case "assignRole":
    case "unassignRole":
      return `${action.role.name} · ${action.scope.name}`;
    case "setManager":
      return action.previous ? `${action.manager.name} (was ${action.previous.name})` : `${action.manager.name} (had none)`;
    case "removeManager":
      return action.previous ? `was ${action.previous.name}` : "";
    case "deleteGroup":
      return action.restorable ? "can be restored for 30 days" : "security group: gone for good";
    case "customRequest":
      return `${action.method} ${action.path}`;
    default:
      return "";
  }
}

/** `jobTitle` → "Job title". */
export function propertyLabel(property: string): string {
  const words = property.replace(/([A-Z])/g, " $1").toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value before or after, as a person reads it. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "(empty)";
  if (Array.isArray(value) && value.length === 0) return "(empty)";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "Yes" : "No";
  return JSON.stringify(value);
}

/** The words the table's search box looks in. */
export function changeSearchText(entry: JournalEntry): string {
  return [
    ACTION_LABELS[entry.action.kind],
    entry.target.name,
    entry.target.id,
    actionDetail(entry.action),
    entry.account.name,
    entry.requestId ?? "",
    entry.outcome.result === "failed" ? entry.outcome.reason : "",
  ].join(" ");
}
