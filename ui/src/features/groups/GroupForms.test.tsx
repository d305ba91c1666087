import { waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { GroupDetails } from "../../api";
import { findDialog, mockBackend, rejectWith, renderWithProviders } from "../../test/render";
import { EditGroupDialog } from "./EditGroupDialog";
import { NewGroupDialog } from "./NewGroupDialog";

// The docs' Read Group example (HR Taskforce, a Microsoft 365 group), as get_group sends it.
const HR: GroupDetails = {
  id: "02bd9fd6-8f93-4758-87c3-1fb73740a315",
  displayName: "HR Taskforce",
  description: "Welcome to the HR Taskforce team.",
  mail: "HRTaskforce@contoso.com",
  mailNickname: "HRTaskforce",
  kind: "microsoft365",
  dynamic: false,
  membershipRule: null,
  visibility: "Private",
  classification: null,
  createdDateTime: "2017-07-31T18:56:16Z",
  renewedDateTime: null,
  isAssignableToRole: null,
  onPremisesSyncEnabled: null,
  proxyAddresses: [],
  mailEnabled: true,
  securityEnabled: false,
  membershipRuleProcessingState: null,
  expirationDateTime: null,
  preferredDataLocation: null,
  preferredLanguage: null,
  securityIdentifier: null,
  resourceProvisioningOptions: ["Team"],
  assignedLicenseSkuIds: [],
  allowExternalSenders: false,
  autoSubscribeNewMembers: true,
  hideFromAddressLists: false,
  hideFromOutlookClients: false,
  isSubscribedByMail: null,
  unseenCount: null,
};

const CREATED = { group: { ...HR, id: "new-group" }, message: "The group Sales people was created." };

function newGroupBackend() {
  return mockBackend((cmd, args) => {
    switch (cmd) {
      case "check_membership_rule": {
        const rule = String(args.rule);
        if (!rule.endsWith(")"))
          return rejectWith({ kind: "validation", field: "membershipRule", message: "The “(” at character 1 is never closed: add a “)”." });
        return { explanation: "people whose department is “Sales”", devices: false };
      }
      case "create_group":
        return CREATED;
      case "query_users":
      case "query_groups":
        return { rows: [], total: 0, offset: 0, asOf: null, syncing: false };
      default:
        return null;
    }
  });
}

describe("New group", () => {
  it("says a dynamic rule in plain words as it is typed, shows Rust's problem, and sends the rule without members", async () => {
    const user = userEvent.setup();
    const calls = newGroupBackend();
    const onCreated = vi.fn();
    renderWithProviders(<NewGroupDialog open onClose={() => undefined} onCreated={onCreated} />);
    const dialog = await findDialog();
    await user.type(within(dialog).getByRole("textbox", { name: /^Name/, hidden: true }), "Sales people");
    await user.click(within(dialog).getByRole("radio", { name: "Dynamic: from a rule", hidden: true }));
    expect(within(dialog).queryByRole("combobox", { name: "Members", hidden: true })).not.toBeInTheDocument();
    const rule = within(dialog).getByRole("textbox", { name: /^Membership rule/, hidden: true });
    await user.type(rule, '(user.department -eq "Sales"');
    expect(await within(dialog).findByText("The “(” at character 1 is never closed: add a “)”.")).toBeInTheDocument();
    await user.type(rule, ")");
    expect(await within(dialog).findByText("Members will be people whose department is “Sales”.")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Create group", hidden: true }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(CREATED));
    expect(calls.find((c) => c.cmd === "create_group")?.args).toEqual({
      group: {
        kind: "microsoft365",
        displayName: "Sales people",
        mailNickname: "Salespeople",
        description: null,
        visibility: "Private",
        membershipRule: '(user.department -eq "Sales")',
        isAssignableToRole: false,
        owners: [],
        members: [],
      },
    });
  });

  it("makes a group that can be given roles private and offers no dynamic membership for it", async () => {
    const user = userEvent.setup();
    const calls = newGroupBackend();
    renderWithProviders(<NewGroupDialog open onClose={() => undefined} onCreated={() => undefined} />);
    const dialog = await findDialog();
    await user.click(within(dialog).getByRole("radio", { name: /^Security/, hidden: true }));
    await user.type(within(dialog).getByRole("textbox", { name: /^Name/, hidden: true }), "Helpdesk admins");
    await user.click(within(dialog).getByRole("checkbox", { name: "Microsoft Entra roles can be given to this group", hidden: true }));
    expect(within(dialog).getByRole("radio", { name: "Dynamic: from a rule", hidden: true })).toBeDisabled();
    expect(within(dialog).getByRole("combobox", { name: "Groups as members", hidden: true })).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Create group", hidden: true }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "create_group")).toBe(true));
    expect(calls.find((c) => c.cmd === "create_group")?.args).toMatchObject({
      group: { kind: "security", isAssignableToRole: true, visibility: "Private", membershipRule: null },
    });
  });
});

describe("Edit group", () => {
  it("sends only the mail setting that changed", async () => {
    const user = userEvent.setup();
    const calls = mockBackend((cmd) => (cmd === "update_group" ? HR : null));
    const onSaved = vi.fn();
    renderWithProviders(<EditGroupDialog group={HR} onClose={() => undefined} onSaved={onSaved} />);
    const dialog = await findDialog();
    const external = within(dialog).getByRole("switch", { name: "People outside the organisation can email the group", hidden: true });
    expect(external).not.toBeChecked();
    expect(within(dialog).getByRole("switch", { name: "New members get the group's emails in their inbox", hidden: true })).toBeChecked();
    await user.click(external);
    await user.click(within(dialog).getByRole("button", { name: "Save", hidden: true }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(calls.find((c) => c.cmd === "update_group")?.args).toEqual({ key: HR.id, changes: { allowExternalSenders: true } });
  });
});
