import { describe, expect, it } from "vitest";
import type { FoundMemberRow } from "../../api";
import { howTheyBelong } from "./memberSearch";

const found = (isMember: boolean, isOwner: boolean, nested: boolean): FoundMemberRow => ({
  member: { id: "1", kind: "user", displayName: "Adele Vance", userPrincipalName: null, mail: null, jobTitle: null, department: null },
  isMember,
  isOwner,
  nested,
});

describe("how someone belongs to the group", () => {
  it("says member, owner, both, and through a group inside", () => {
    expect(howTheyBelong(found(true, false, false))).toBe("Member");
    expect(howTheyBelong(found(true, false, true))).toBe("Member through a group inside");
    expect(howTheyBelong(found(false, true, false))).toBe("Owner");
    expect(howTheyBelong(found(true, true, false))).toBe("Member and owner");
    expect(howTheyBelong(found(true, true, true))).toBe("Member through a group inside, and owner");
  });
});
