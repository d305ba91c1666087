import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { MemberRow, RoleRow } from "../api";
import { SEED_USERS } from "../test/fixtures";
import { findDialog, mockBackend, renderWithProviders } from "../test/render";
import { RolesPage } from "./RolesPage";
import { copyPage } from "../test/copyPage";
import type { DirectoryQuery } from "../api";

// seed-tenant.json directoryRoles: User Administrator and Global Administrator (Microsoft's template ids).
const USER_ADMIN: RoleRow = {
  roleTemplateId: "fe930be7-5e62-47db-91af-98c3a49a38b1",
  displayName: "User Administrator",
  description: "Can manage all aspects of users and groups, including resetting passwords for limited admins.",
  privileged: true,
  activated: true,
  builtIn: true,
};
const GLOBAL_ADMIN: RoleRow = {
  roleTemplateId: "62e90394-69f5-4237-9190-012177145e10",
  displayName: "Global Administrator",
  description: "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.",
  privileged: true,
  activated: true,
  builtIn: true,
};

const person = (name: string): MemberRow => {
  const u = SEED_USERS.find((s) => s.displayName === name)!;
  return { id: u.id, kind: "user", displayName: u.displayName, userPrincipalName: u.userPrincipalName, mail: u.mail, jobTitle: u.jobTitle, department: null };
};
const HR_GROUP: MemberRow = {
  id: "02bd9fd6-8f93-4758-87c3-1fb73740a315",
  kind: "group",
  displayName: "HR Taskforce",
  userPrincipalName: null,
  mail: "HRTaskforce@contoso.com",
  jobTitle: null,
  department: null,
};

function backend() {
  const holders: Record<string, MemberRow[]> = {
    [USER_ADMIN.roleTemplateId]: [person("Megan Bowen"), HR_GROUP],
    [GLOBAL_ADMIN.roleTemplateId]: [person("MOD Administrator")],
  };
  // The local copy of who holds each role: empty until the role is read from Graph (refresh_role_holders).
  const copy: Record<string, MemberRow[]> = {};
  const calls = mockBackend((cmd, args) => {
    const role = args.roleTemplateId as string;
    switch (cmd) {
      case "list_directory_roles":
        return [USER_ADMIN, GLOBAL_ADMIN];
      case "query_users":
        return copyPage(SEED_USERS, args.query as DirectoryQuery);
      case "query_role_holders":
        return copyPage(copy[role] ?? [], args.query as DirectoryQuery, { asOf: copy[role] ? "2026-12-06T10:42:00Z" : null });
      case "refresh_role_holders":
        copy[role] = [...(holders[role] ?? [])];
        return true;
      case "assign_role":
        holders[role] = [...(holders[role] ?? []), person("Alex Wilber")];
        copy[role] = [...holders[role]];
        return { message: "Alex Wilber now has the User Administrator role." };
      case "unassign_role":
        holders[role] = (holders[role] ?? []).filter((m) => m.id !== args.userId);
        copy[role] = [...holders[role]];
        return { message: "Megan Bowen no longer has the User Administrator role." };
      default:
        return null;
    }
  });
  return calls;
}

async function openRole(user: ReturnType<typeof userEvent.setup>, name: string) {
  renderWithProviders(<RolesPage />);
  await user.click(await screen.findByRole("button", { name: new RegExp(`^${name}`) }));
  return screen.findByRole("dialog", { name });
}

const holderTexts = (drawer: HTMLElement) =>
  within(within(drawer).getByRole("table", { name: "Holders of User Administrator", hidden: true }))
    .getAllByTestId("holder-row")
    .map((row) => row.textContent);

describe("Roles page: who holds this role", () => {
  it("lists holders with their type and refreshes after assigning", async () => {
    const user = userEvent.setup();
    const calls = backend();
    const drawer = await openRole(user, "User Administrator");

    expect(await within(drawer).findByRole("heading", { name: "Who holds this role (2)", hidden: true })).toBeInTheDocument();
    expect(holderTexts(drawer)).toEqual([
      "HR TaskforceGroup · HRTaskforce@contoso.com",
      "Megan BowenPerson · MeganB@M365x214355.onmicrosoft.comUnassign",
    ]);
    // Only people can be unassigned here (the command takes a user).
    expect(within(drawer).getByRole("button", { name: "Unassign Megan Bowen", hidden: true })).toBeInTheDocument();
    expect(within(drawer).queryByRole("button", { name: "Unassign HR Taskforce", hidden: true })).not.toBeInTheDocument();
    // Read from the local copy; the role was read from Graph into it once, because the copy had never read it.
    expect(calls.find((c) => c.cmd === "query_role_holders")?.args).toMatchObject({ roleTemplateId: USER_ADMIN.roleTemplateId });
    expect(calls.filter((c) => c.cmd === "refresh_role_holders").map((c) => c.args)).toEqual([
      { roleTemplateId: USER_ADMIN.roleTemplateId, force: false },
    ]);
    expect(within(drawer).queryByText("Nobody holds this role.")).not.toBeInTheDocument();

    await user.type(within(drawer).getByRole("combobox", { name: "Person to assign", hidden: true }), "alex");
    await user.click(await screen.findByRole("option", { name: /Alex Wilber/ }));
    await user.click(within(drawer).getByRole("button", { name: "Assign role", hidden: true }));

    expect(await within(drawer).findByText("Alex Wilber now has the User Administrator role.")).toBeInTheDocument();
    await waitFor(() => expect(within(drawer).getByRole("heading", { name: "Who holds this role (3)", hidden: true })).toBeInTheDocument());
    expect(holderTexts(drawer)).toContain("Alex WilberPerson · AlexW@contoso.comUnassign");
  });

  it("asks (focus on Cancel) before unassigning a person, then refreshes the holders", async () => {
    const user = userEvent.setup();
    const calls = backend();
    const drawer = await openRole(user, "User Administrator");
    await user.click(await within(drawer).findByRole("button", { name: "Unassign Megan Bowen", hidden: true }));

    const dialog = await screen.findByRole("alertdialog", { name: "Take User Administrator away from Megan Bowen?", hidden: true });
    await waitFor(() => expect(within(dialog).getByRole("button", { name: "Cancel", hidden: true })).toHaveFocus());
    await user.click(within(dialog).getByRole("button", { name: "Cancel", hidden: true }));
    await waitFor(() => expect(screen.queryByRole("alertdialog", { hidden: true })).not.toBeInTheDocument());
    expect(calls.some((c) => c.cmd === "unassign_role")).toBe(false);

    await user.click(within(drawer).getByRole("button", { name: "Unassign Megan Bowen", hidden: true }));
    const again = await findDialog("alertdialog");
    await user.click(within(again).getByRole("button", { name: "Unassign role", hidden: true }));

    expect(await within(drawer).findByText("Megan Bowen no longer has the User Administrator role.")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "unassign_role")?.args).toEqual({
      userId: "48d31887-5fad-4d73-a9f5-3c356e68a038",
      roleTemplateId: USER_ADMIN.roleTemplateId,
    });
    await waitFor(() => expect(within(drawer).getByRole("heading", { name: "Who holds this role (1)", hidden: true })).toBeInTheDocument());
    expect(holderTexts(drawer)).toEqual(["HR TaskforceGroup · HRTaskforce@contoso.com"]);
  });
});
