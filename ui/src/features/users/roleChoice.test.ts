import { describe, expect, it } from "vitest";
import type { RoleRow, ScopeRow } from "../../api";
import { roleChoice, scopeChoice } from "./roleChoice";

const role = (roleTemplateId: string, displayName: string, builtIn = true): RoleRow => ({
  roleTemplateId,
  displayName,
  description: null,
  privileged: false,
  activated: false,
  builtIn,
});
const roles = [role("729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator"), role("5c4d3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", "Contoso Password Helper", false)];
const units: ScopeRow[] = [{ id: "8a2f6b1c-3d4e-4f5a-9b6c-7d8e9f0a1b2c", displayName: "Seattle office", description: null }];

describe("the role a person picks or types", () => {
  it("is found by its id in any case, or by its name", () => {
    expect(roleChoice(roles, "729827E3-9C14-49F7-BB1B-9608F156BBB8")?.displayName).toBe("Helpdesk Administrator");
    expect(roleChoice(roles, " contoso password helper ")?.builtIn).toBe(false);
    expect(roleChoice(roles, "")).toBeUndefined();
    expect(roleChoice(roles, "00000000-0000-0000-0000-000000000000")).toBeUndefined();
  });
});

describe("where a role applies", () => {
  it("says the whole directory or names the administrative unit", () => {
    expect(scopeChoice(units, "/").label).toBe("Whole directory");
    expect(scopeChoice(units, units[0]!.id)).toEqual({
      label: "Seattle office (administrative unit)",
      hint: "The role applies only to the people, groups and devices in Seattle office.",
    });
  });
});
