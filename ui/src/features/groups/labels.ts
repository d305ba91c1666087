import type { BadgeProps } from "@fluentui/react-components";
import type { GroupKind, GroupRow } from "../../api";

export const GROUP_KINDS: Record<GroupKind, { label: string; color: NonNullable<BadgeProps["color"]> }> = {
  microsoft365: { label: "Microsoft 365", color: "brand" },
  security: { label: "Security", color: "informative" },
  mailEnabledSecurity: { label: "Mail-enabled security", color: "informative" },
  distribution: { label: "Distribution list", color: "subtle" },
  other: { label: "Other", color: "subtle" },
};

export function groupName(group: { displayName: string | null; id: string }): string {
  return group.displayName ?? group.id;
}

/** Lower-cased name, mail, nickname and description, for the search box. */
export function groupSearchText(group: GroupRow): string {
  return [group.displayName, group.mail, group.mailNickname, group.description, GROUP_KINDS[group.kind].label]
    .filter(Boolean)
    .join("\u0000")
    .toLowerCase();
}
