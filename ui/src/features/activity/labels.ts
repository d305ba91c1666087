import type { BadgeProps } from "@fluentui/react-components";
import type { ActivityEvent, EventKind, PropertyChange } from "../../api";

type KindInfo = { label: string; color: NonNullable<BadgeProps["color"]> };

/** Every event kind the watcher reports, in the order people think about them. */
export const EVENT_KINDS: Record<EventKind, KindInfo> = {
  userCreated: { label: "User created", color: "success" },
  userUpdated: { label: "User updated", color: "brand" },
  userDeleted: { label: "User deleted", color: "danger" },
  userRestored: { label: "User restored", color: "warning" },
  groupCreated: { label: "Group created", color: "success" },
  groupUpdated: { label: "Group updated", color: "brand" },
  groupDeleted: { label: "Group deleted", color: "danger" },
  groupRestored: { label: "Group restored", color: "warning" },
  memberAdded: { label: "Member added", color: "success" },
  memberRemoved: { label: "Member removed", color: "severe" },
};

export const KIND_ORDER = Object.keys(EVENT_KINDS) as EventKind[];

export function kindLabel(kind: EventKind): string {
  return EVENT_KINDS[kind].label;
}

/** "department: Sales → Marketing"; a missing value reads "(empty)". */
export function formatChange(change: PropertyChange): string {
  return `${change.property}: ${change.old ?? "(empty)"} → ${change.new ?? "(empty)"}`;
}

/** Everything the text filter looks at, lower-cased. */
export function activitySearchText(event: ActivityEvent): string {
  return [
    kindLabel(event.kind),
    event.objectName,
    event.summary,
    event.groupName,
    event.memberName,
    ...event.changes.map(formatChange),
  ]
    .filter(Boolean)
    .join("\u0000")
    .toLowerCase();
}
