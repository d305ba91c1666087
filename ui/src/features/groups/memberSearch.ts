import type { FoundMemberRow, MemberRelation } from "../../api";

/** How someone Search Group Members found belongs to the group, in words. */
export function howTheyBelong(f: FoundMemberRow): string {
  const member = f.nested ? "Member through a group inside" : "Member";
  if (f.isMember && f.isOwner) return f.nested ? `${member}, and owner` : "Member and owner";
  return f.isMember ? member : "Owner";
}

export const RELATIONS: { value: MemberRelation; label: string }[] = [
  { value: "members", label: "Members" },
  { value: "owners", label: "Owners" },
  { value: "both", label: "Members and owners" },
];
