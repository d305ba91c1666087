import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { UserDetails } from "../api";
import { ADELE_DETAILS, SEED_USERS } from "../test/fixtures";
import { findDialog, rejectWith, renderWithProviders } from "../test/render";
import { openAdele, usersBackend } from "../test/usersPage";
import { UsersPage } from "./UsersPage";

const ADELE = ADELE_DETAILS;

/** The Users page with the New user form open on the default backend: the form, and the commands sent. */
async function openNewUserForm() {
  const user = userEvent.setup();
  const calls = backend();
  renderWithProviders(<UsersPage />);
  await screen.findByText(/^8 users\b/);
  await user.click(screen.getByRole("button", { name: "New user" }));
  const dialog = await findDialog();
  expect(dialog).toHaveAccessibleName("New user");
  return { user, calls, dialog };
}

function backend(handler?: (cmd: string, args: Record<string, unknown>) => unknown) {
  return usersBackend(ADELE, handler);
}


// jsdom + Tabster: Fluent's focus manager may mark an open dialog or the drawer behind it aria-hidden for a moment
// (it never does in the browser, where focus really moves), so controls inside them are found with hidden: true.
describe("User actions", () => {
  it("shows the local copy's row at once, then what Microsoft Graph says", async () => {
    const user = userEvent.setup();
    let answerLive: (u: UserDetails) => void = () => {};
    const calls = backend((cmd) => {
      if (cmd === "copy_user") return { ...ADELE, jobTitle: "Retail Lead (copy)" };
      if (cmd === "get_user") return new Promise<UserDetails>((resolve) => (answerLive = resolve));
      return undefined;
    });
    const drawer = await openAdele(user);
    expect(await within(drawer).findByText("Retail Lead (copy)")).toBeInTheDocument();
    expect(within(drawer).getByText("Refreshing from Microsoft Graph…")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "copy_user")?.args).toEqual({ key: ADELE.id });
    answerLive(ADELE);
    expect(await within(drawer).findByText("Retail Manager")).toBeInTheDocument();
    expect(within(drawer).queryByText("Retail Lead (copy)")).not.toBeInTheDocument();
    expect(within(drawer).queryByText("Refreshing from Microsoft Graph…")).not.toBeInTheDocument();
  });

  it("keeps the copy's row when Microsoft Graph cannot be asked, and says so", async () => {
    const user = userEvent.setup();
    backend((cmd) => {
      if (cmd === "copy_user") return ADELE;
      if (cmd === "get_user")
        return rejectWith({ kind: "network", message: "Microsoft Graph could not be reached. Check your connection." });
      return undefined;
    });
    const drawer = await openAdele(user);
    expect(await within(drawer).findByText("Couldn't refresh this person from Microsoft Graph; showing the local copy")).toBeInTheDocument();
    expect(within(drawer).getByText("Retail Manager")).toBeInTheDocument();
  });

  it("opens a person's details from the table", async () => {
    const user = userEvent.setup();
    const calls = backend();
    const drawer = await openAdele(user);
    expect(await within(drawer).findByText("Retail Manager")).toBeInTheDocument();
    expect(within(drawer).getByText("No manager")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "get_user")?.args).toEqual({ key: ADELE.id });
    // Direct reports come from the local copy.
    const reports = await within(drawer).findByRole("list", { name: "Direct reports of Adele Vance", hidden: true });
    expect(reports).toHaveTextContent(SEED_USERS[2]!.displayName!);
    expect(within(drawer).getByRole("heading", { name: "Direct reports (1)", hidden: true })).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "query_direct_reports")?.args).toMatchObject({ userId: ADELE.id });
  });

  it("asks before deleting, says it can be restored for 30 days, and deletes only after confirming", async () => {
    const user = userEvent.setup();
    const calls = backend((cmd) =>
      cmd === "delete_user" ? { message: "Adele Vance was deleted. It can be restored from Deleted items for 30 days." } : undefined,
    );
    const drawer = await openAdele(user);
    await user.click(within(drawer).getByRole("button", { name: "Delete", hidden: true }));

    // Focus starts on Cancel, not on the red button: a stray Enter deletes nobody.
    const opened = await screen.findByRole("alertdialog", { hidden: true });
    await waitFor(() => expect(within(opened).getByRole("button", { name: "Cancel", hidden: true })).toHaveFocus());
    const confirm = await findDialog("alertdialog");
    expect(confirm).toHaveAccessibleName("Delete Adele Vance?");
    expect(confirm).toHaveTextContent("can be restored for 30 days");
    expect(calls.some((c) => c.cmd === "delete_user")).toBe(false);

    await user.click(within(confirm).getByRole("button", { name: "Cancel", hidden: true }));
    expect(calls.some((c) => c.cmd === "delete_user")).toBe(false);

    // (jsdom: focus isn't restored to the drawer after the dialog closes, so Tabster may still mark it hidden.)
    await user.click(within(drawer).getByRole("button", { name: "Delete", hidden: true }));
    await user.click(within(await screen.findByRole("alertdialog", { hidden: true })).getByRole("button", { name: "Delete user" }));
    expect(
      await screen.findByText("Adele Vance was deleted. It can be restored from Deleted items for 30 days."),
    ).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === "delete_user").map((c) => c.args)).toEqual([{ key: ADELE.id }]);
  });

  it("forgets what it said about one person when another is opened", async () => {
    const user = userEvent.setup();
    const megan = SEED_USERS.find((u) => u.displayName === "Megan Bowen")!;
    backend((cmd, args) => {
      if (cmd === "revoke_sessions") return { message: "Adele Vance is signed out everywhere." };
      if (cmd === "get_user" && args.key === megan.id) return { ...ADELE, id: megan.id, displayName: "Megan Bowen", userPrincipalName: megan.userPrincipalName };
      return undefined;
    });
    const drawer = await openAdele(user);
    await user.click(within(drawer).getByRole("button", { name: "Revoke sessions", hidden: true }));
    await user.click(within(await screen.findByRole("alertdialog", { hidden: true })).getByRole("button", { name: "Revoke sessions" }));
    expect(await screen.findByText("Adele Vance is signed out everywhere.")).toBeInTheDocument();

    await user.click(within(drawer).getByRole("button", { name: "Close", hidden: true }));
    await user.click(screen.getAllByTestId("user-row").find((r) => r.textContent?.includes("Megan Bowen"))!);
    await screen.findByRole("dialog", { name: "Megan Bowen", hidden: true });
    expect(screen.queryByText("Adele Vance is signed out everywhere.")).not.toBeInTheDocument();
  });

  it("keeps the confirmation open with Graph's request id when a delete is refused", async () => {
    const user = userEvent.setup();
    backend((cmd) =>
      cmd === "delete_user"
        ? rejectWith({
            kind: "forbidden",
            message: "Insufficient privileges to complete the operation.",
            needed: null,
            code: "Authorization_RequestDenied",
            requestId: "5e7d2a1c-3f0b-4c5e-9d1a-2b3c4d5e6f70",
          })
        : undefined,
    );
    const drawer = await openAdele(user);
    await user.click(within(drawer).getByRole("button", { name: "Delete", hidden: true }));
    const confirm = await screen.findByRole("alertdialog", { hidden: true });
    await user.click(within(confirm).getByRole("button", { name: "Delete user", hidden: true }));
    expect(await within(confirm).findByText("Insufficient privileges to complete the operation.")).toBeInTheDocument();
    expect(within(confirm).getByText(/Request ID: 5e7d2a1c-3f0b-4c5e-9d1a-2b3c4d5e6f70/)).toBeInTheDocument();
  });

  it("new user: keeps everything typed when Rust refuses the sign-in name, with its message next to that field", async () => {
    const user = userEvent.setup();
    const calls = backend((cmd) =>
      cmd === "create_user"
        ? rejectWith({
            kind: "validation",
            message: "Another object with the same value for property userPrincipalName already exists.",
            field: "userPrincipalName",
          })
        : undefined,
    );
    renderWithProviders(<UsersPage />);
    await screen.findByText(/^8 users\b/);
    await user.click(screen.getByRole("button", { name: "New user" }));
    const dialog = await findDialog();
    expect(dialog).toHaveAccessibleName("New user");

    await user.type(within(dialog).getByRole("textbox", { name: /display name/i, hidden: true }), "Adele Vance");
    const alias = within(dialog).getByRole("textbox", { name: /sign-in name/i, hidden: true });
    await user.type(alias, "AdeleV");
    // The mail nickname follows the sign-in name; the domain is the organisation's default one.
    expect(within(dialog).getByRole("textbox", { name: /mail nickname/i, hidden: true })).toHaveValue("AdeleV");
    expect(within(dialog).getByRole("combobox", { name: "Domain", hidden: true })).toHaveTextContent("contoso.com");
    await user.type(within(dialog).getByRole("textbox", { name: /job title/i, hidden: true }), "Retail Manager");
    const password = within(dialog).getByRole<HTMLInputElement>("textbox", { name: /temporary password/i }).value;
    expect(password).toHaveLength(16);

    await user.click(within(dialog).getByRole("button", { name: "Create user", hidden: true }));
    expect(await within(dialog).findByText("Another object with the same value for property userPrincipalName already exists.")).toBeInTheDocument();
    expect(alias).toHaveAccessibleDescription("Another object with the same value for property userPrincipalName already exists.");
    expect(alias).toHaveValue("AdeleV");
    expect(within(dialog).getByRole("textbox", { name: /display name/i, hidden: true })).toHaveValue("Adele Vance");
    expect(within(dialog).getByRole("textbox", { name: /job title/i, hidden: true })).toHaveValue("Retail Manager");
    expect(within(dialog).getByRole("textbox", { name: /temporary password/i, hidden: true })).toHaveValue(password);

    const sent = calls.find((c) => c.cmd === "create_user")?.args as { request: { user: Record<string, unknown> } };
    expect(sent.request.user).toEqual({
      displayName: "Adele Vance",
      userPrincipalName: "AdeleV@contoso.com",
      mailNickname: "AdeleV",
      passwordProfile: { password, forceChangePasswordNextSignIn: true },
      accountEnabled: true,
      jobTitle: "Retail Manager",
    });
  });

  it("new user: the domain picker offers the organisation's verified domains with the default preselected", async () => {
    const user = userEvent.setup();
    // The default is the onmicrosoft.com domain although most people sign in with contoso.com: the form must not guess.
    const calls = backend((cmd) => {
      if (cmd === "list_domains")
        return [
          { id: "M365x214355.onmicrosoft.com", isDefault: true, isVerified: true },
          { id: "contoso.com", isDefault: false, isVerified: true },
          { id: "fabrikam.com", isDefault: false, isVerified: false },
        ];
      if (cmd === "create_user")
        return {
          user: { ...ADELE, id: "a1", userPrincipalName: "AnnaS@contoso.com", displayName: "Anna Smith" },
          steps: [],
          complete: true,
          summary: "Anna Smith was created.",
        };
      return undefined;
    });
    renderWithProviders(<UsersPage />);
    await screen.findByText(/^8 users\b/);
    await user.click(screen.getByRole("button", { name: "New user" }));
    const dialog = await findDialog();
    const picker = within(dialog).getByRole("combobox", { name: "Domain", hidden: true });
    await waitFor(() => expect(picker).toHaveTextContent("M365x214355.onmicrosoft.com"));

    await user.click(picker);
    const options = (await screen.findAllByRole("option", { hidden: true })).map((o) => o.textContent);
    expect(options).toEqual(["M365x214355.onmicrosoft.com", "contoso.com"]);
    await user.click(screen.getByRole("option", { name: "contoso.com", hidden: true }));
    await user.type(within(dialog).getByRole("textbox", { name: /display name/i, hidden: true }), "Anna Smith");
    await user.type(within(dialog).getByRole("textbox", { name: /sign-in name/i, hidden: true }), "AnnaS");
    await user.click(within(dialog).getByRole("button", { name: "Create user", hidden: true }));

    await waitFor(() => expect(calls.some((c) => c.cmd === "create_user")).toBe(true));
    const sent = calls.find((c) => c.cmd === "create_user")?.args as { request: { user: Record<string, unknown> } };
    expect(sent.request.user.userPrincipalName).toBe("AnnaS@contoso.com");
  });

  it("new user: when the domains can't be read, says so and offers the domains people already sign in with", async () => {
    const user = userEvent.setup();
    const calls = backend((cmd) =>
      cmd === "list_domains"
        ? rejectWith({
            kind: "forbidden",
            message: "Insufficient privileges to complete the operation.",
            needed: null,
            code: "Authorization_RequestDenied",
            requestId: "7c1f3e2a-9b4d-4e8a-a6c2-1d0e5f4b3a29",
          })
        : undefined,
    );
    renderWithProviders(<UsersPage />);
    await screen.findByText(/^8 users\b/);
    await user.click(screen.getByRole("button", { name: "New user" }));
    const dialog = await findDialog();

    expect(await within(dialog).findByText("Couldn't read your organisation's domains")).toBeInTheDocument();
    expect(within(dialog).getByText(/7c1f3e2a-9b4d-4e8a-a6c2-1d0e5f4b3a29/)).toBeInTheDocument();
    expect(within(dialog).getByText(/shows the domains people here already sign in with/)).toBeInTheDocument();
    // The most used domain among the seed users' sign-in names.
    expect(within(dialog).getByRole("combobox", { name: "Domain", hidden: true })).toHaveTextContent("contoso.com");
    expect(calls.some((c) => c.cmd === "list_domains")).toBe(true);
  });

  it("new user: refuses a sign-in name with a space before sending anything", async () => {
    const { user, calls, dialog } = await openNewUserForm();
    await user.type(within(dialog).getByRole("textbox", { name: /display name/i, hidden: true }), "Anna Smith");
    await user.type(within(dialog).getByRole("textbox", { name: /sign-in name/i, hidden: true }), "anna smith");
    await user.click(within(dialog).getByRole("button", { name: "Create user", hidden: true }));
    expect(
      await within(dialog).findByText("The sign-in name cannot contain “ ”. Use only letters A–Z without accents, digits and ' . - _ ! # ^ ~ before the @."),
    ).toBeInTheDocument();
    await waitFor(() => expect(calls.some((c) => c.cmd === "create_user")).toBe(false));
  });

  it("new user: refuses a password that contains the sign-in name before sending anything, as Rust would", async () => {
    const { user, calls, dialog } = await openNewUserForm();
    await user.type(within(dialog).getByRole("textbox", { name: /display name/i, hidden: true }), "Adele Vance");
    await user.type(within(dialog).getByRole("textbox", { name: /sign-in name/i, hidden: true }), "adele");
    const password = within(dialog).getByRole("textbox", { name: /temporary password/i, hidden: true });
    await user.clear(password);
    await user.type(password, "Adele2024!");
    await user.click(within(dialog).getByRole("button", { name: "Create user", hidden: true }));
    expect(await within(dialog).findByText("The password must not contain the person's sign-in name.")).toBeInTheDocument();
    expect(password).toHaveAccessibleDescription("The password must not contain the person's sign-in name.");
    await waitFor(() => expect(calls.some((c) => c.cmd === "create_user")).toBe(false));
  });

  it("licence: Rust's “no usage location” answer appears next to a Usage location field, and setting it assigns the licence", async () => {
    const user = userEvent.setup();
    const noLocation = "Adele Vance has no usage location. Microsoft requires the country where a person uses their licence before one can be assigned: set Usage location on Adele Vance's profile (for example US or GB), then assign the licence.";
    let located = false;
    const calls = backend((cmd) => {
      if (cmd === "assign_license") {
        return located
          ? { message: "Adele Vance now has Office 365 E5.", licenses: [] }
          : rejectWith({ kind: "validation", message: noLocation, field: "usageLocation" });
      }
      if (cmd === "set_usage_location") {
        located = true;
        return { ...ADELE, usageLocation: "GB" };
      }
      return undefined;
    });
    const drawer = await openAdele(user);
    await user.click(await within(drawer).findByRole("combobox", { name: "Assign a licence", hidden: true }));
    await user.click(await screen.findByRole("option", { name: /Office 365 E5 — 11 of 25 free/ }));
    await user.click(within(drawer).getByRole("button", { name: "Assign licence", hidden: true }));

    const location = await within(drawer).findByRole("textbox", { name: "Usage location", hidden: true });
    await waitFor(() => expect(location).toHaveAccessibleDescription(noLocation));
    expect(location).toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByText("Couldn't assign the licence")).not.toBeInTheDocument();

    await user.type(location, "gb");
    await user.click(within(drawer).getByRole("button", { name: "Set and assign", hidden: true }));
    expect(await within(drawer).findByText("Adele Vance now has Office 365 E5.")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "set_usage_location")?.args).toEqual({ userId: ADELE.id, usageLocation: "GB" });
    expect(calls.filter((c) => c.cmd === "assign_license").at(-1)?.args).toEqual({
      userId: ADELE.id,
      skuId: "c7df2760-2c81-4ef7-b578-5b5392b571df",
      disabledPlans: [],
    });
  });

  it("edit sends only what changed (an emptied field clears it) and keeps the dialog's input when refused", async () => {
    const user = userEvent.setup();
    let refuse = true;
    const calls = backend((cmd) => {
      if (cmd !== "update_user") return undefined;
      if (refuse) {
        refuse = false;
        return rejectWith({ kind: "validation", message: "Use the two-letter country code, like US or GB.", field: "usageLocation" });
      }
      return { ...ADELE, jobTitle: "Retail Director" };
    });
    const drawer = await openAdele(user);
    await user.click(within(drawer).getByRole("button", { name: "Edit", hidden: true }));
    const dialog = await findDialog();
    const job = within(dialog).getByRole("textbox", { name: "Job title", hidden: true });
    await user.clear(job);
    await user.type(job, "Retail Director");
    await user.clear(within(dialog).getByRole("textbox", { name: "Office", hidden: true }));
    await user.type(within(dialog).getByRole("textbox", { name: "Usage location", hidden: true }), "gb");
    await user.click(within(dialog).getByRole("button", { name: "Save", hidden: true }));
    expect(await within(dialog).findByText("Use the two-letter country code, like US or GB.")).toBeInTheDocument();
    expect(job).toHaveValue("Retail Director");

    await user.click(within(dialog).getByRole("button", { name: "Save", hidden: true }));
    expect(await screen.findByText("Adele Vance's details were saved.")).toBeInTheDocument();
    const sent = calls.filter((c) => c.cmd === "update_user").map((c) => c.args);
    expect(sent.at(-1)).toEqual({ key: ADELE.id, changes: { jobTitle: "Retail Director", officeLocation: null, usageLocation: "GB" } });
  });
});

// Microsoft's Create Contact / List Contact Folders documentation examples (user-post-contacts, user-list-contactfolders).
const CONTACTS_FOLDER = { id: "AQMkADYAAAIBDgAAAA==", displayName: "Contacts", parentFolderId: "AQMkADYAAAIBCAAAAA==", childFolders: [] };
const SUPPLIERS_FOLDER = {
  id: "AQMkADYAAAIBDwAAAA==",
  displayName: "Suppliers",
  parentFolderId: "AQMkADYAAAIBDgAAAA==",
  childFolders: [{ id: "AQMkADYAAAIBEAAAAA==", displayName: "Printing", parentFolderId: "AQMkADYAAAIBDwAAAA==", childFolders: [] }],
};
const PAVEL = {
  id: "AAMkAGI2THVSAAA=",
  parentFolderId: "AQMkADYAAAIBDgAAAA==",
  displayName: "Pavel Bansky",
  givenName: "Pavel",
  surname: "Bansky",
  emails: ["pavelb@contoso.com"],
  companyName: null,
  jobTitle: null,
  businessPhones: ["+1 732 555 0102"],
  mobilePhone: null,
};

describe("User contacts", () => {
  it("opens on request, lists the folders, and a search shows the matching contacts", async () => {
    const user = userEvent.setup();
    const calls = backend((cmd) => {
      if (cmd === "list_contact_folders") return [CONTACTS_FOLDER, SUPPLIERS_FOLDER];
      if (cmd === "search_contacts") return { contacts: [PAVEL], more: false };
      return undefined;
    });
    const drawer = await openAdele(user);
    const section = await within(drawer).findByRole("region", { name: "Contacts", hidden: true });
    // Opening someone's details never reads their mailbox.
    expect(calls.some((c) => c.cmd === "list_contact_folders" || c.cmd === "search_contacts")).toBe(false);

    await user.click(within(section).getByRole("button", { name: "Show Outlook contacts", hidden: true }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "list_contact_folders")?.args).toEqual({ userId: ADELE.id }));

    await user.click(within(section).getByRole("combobox", { name: "Folder", hidden: true }));
    await user.click(await screen.findByRole("option", { name: "Suppliers", hidden: true }));
    expect(screen.getByRole("option", { name: "Printing", hidden: true })).toBeInTheDocument();

    await user.type(within(section).getByRole("textbox", { name: "Search for", hidden: true }), "Pavel");
    await user.click(within(section).getByRole("button", { name: "Search", hidden: true }));

    const results = await within(section).findByRole("table", { name: "Contacts found in Adele Vance's mailbox", hidden: true });
    const rows = within(results).getAllByRole("row", { hidden: true });
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveTextContent("Pavel Bansky");
    expect(rows[1]).toHaveTextContent("pavelb@contoso.com");
    expect(rows[1]).toHaveTextContent("+1 732 555 0102");
    expect(calls.find((c) => c.cmd === "search_contacts")?.args).toEqual({
      userId: ADELE.id,
      folderId: SUPPLIERS_FOLDER.id,
      text: "Pavel",
      includeChildFolders: true,
      resultSet: "first200",
    });
  });

  it("keeps the result set chosen and says when more contacts match than it keeps", async () => {
    const user = userEvent.setup();
    const calls = backend((cmd) => {
      if (cmd === "list_contact_folders") return [CONTACTS_FOLDER];
      if (cmd === "search_contacts") return { contacts: [PAVEL], more: true };
      return undefined;
    });
    const drawer = await openAdele(user);
    const section = await within(drawer).findByRole("region", { name: "Contacts", hidden: true });
    await user.click(within(section).getByRole("button", { name: "Show Outlook contacts", hidden: true }));
    await user.click(within(section).getByRole("combobox", { name: "Results", hidden: true }));
    await user.click(await screen.findByRole("option", { name: "The first match", hidden: true }));
    await user.type(within(section).getByRole("textbox", { name: "Search for", hidden: true }), "Pav");
    await user.click(within(section).getByRole("button", { name: "Search", hidden: true }));
    expect(await within(section).findByText("More contacts match: showing the first one. Choose All matches to see every one.")).toBeInTheDocument();
    expect((calls.find((c) => c.cmd === "search_contacts")?.args as { resultSet: string }).resultSet).toBe("first");
  });

  it("says when nothing matches, and shows Graph's refusal with its request id", async () => {
    const user = userEvent.setup();
    let refuse = false;
    backend((cmd) => {
      if (cmd === "list_contact_folders") return [CONTACTS_FOLDER];
      if (cmd === "search_contacts")
        return refuse
          ? rejectWith({ kind: "forbidden", needed: null, code: "ErrorAccessDenied", message: "Access is denied. Check credentials and try again.", requestId: "5f2b0c1e-8d3a-4f6b-9c2d-1e0a7b6c5d4e" })
          : { contacts: [], more: false };
      return undefined;
    });
    const drawer = await openAdele(user);
    const section = await within(drawer).findByRole("region", { name: "Contacts", hidden: true });
    await user.click(within(section).getByRole("button", { name: "Show Outlook contacts", hidden: true }));
    const box = within(section).getByRole("textbox", { name: "Search for", hidden: true });
    await user.type(box, "garth@contoso.com");
    await user.click(within(section).getByRole("button", { name: "Search", hidden: true }));
    expect(await within(section).findByText("No contact matches “garth@contoso.com”.")).toBeInTheDocument();

    refuse = true;
    await user.clear(box);
    await user.type(box, "Garth");
    await user.click(within(section).getByRole("button", { name: "Search", hidden: true }));
    expect(await within(section).findByText("Access is denied. Check credentials and try again.")).toBeInTheDocument();
    expect(within(section).getByText(/5f2b0c1e-8d3a-4f6b-9c2d-1e0a7b6c5d4e/)).toBeInTheDocument();
  });

  it("New contact checks the form, sends it to the chosen folder and says it was added", async () => {
    const user = userEvent.setup();
    const calls = backend((cmd) => {
      if (cmd === "list_contact_folders") return [CONTACTS_FOLDER];
      if (cmd === "create_contact") return PAVEL;
      return undefined;
    });
    const drawer = await openAdele(user);
    const section = await within(drawer).findByRole("region", { name: "Contacts", hidden: true });
    await user.click(within(section).getByRole("button", { name: "Show Outlook contacts", hidden: true }));
    await user.click(within(section).getByRole("button", { name: "New contact", hidden: true }));
    const form = within(section).getByRole("form", { name: "New contact", hidden: true });

    await user.type(within(form).getByRole("textbox", { name: "Email addresses", hidden: true }), "pavelb@contoso");
    await user.click(within(form).getByRole("button", { name: "Create contact", hidden: true }));
    expect(await within(form).findByText("Enter the contact's first name.")).toBeInTheDocument();
    expect(within(form).getByText("“pavelb@contoso” is not an email address, such as kim@fabrikam.com.")).toBeInTheDocument();
    expect(calls.some((c) => c.cmd === "create_contact")).toBe(false);

    await user.type(within(form).getByRole("textbox", { name: /^First name/, hidden: true }), "Pavel");
    await user.type(within(form).getByRole("textbox", { name: "Last name", hidden: true }), "Bansky");
    await user.type(within(form).getByRole("textbox", { name: "Email addresses", hidden: true }), ".com");
    await user.click(within(form).getByRole("button", { name: "Create contact", hidden: true }));

    expect(await within(drawer).findByText("Pavel Bansky was added to Adele Vance's contacts.")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "create_contact")?.args).toEqual({
      userId: ADELE.id,
      folderId: null,
      contact: {
        givenName: "Pavel",
        surname: "Bansky",
        emailAddresses: [{ address: "pavelb@contoso.com", name: null }],
      },
    });
  });
});

describe("User roles", () => {
  const SEATTLE = { id: "8a2f6b1c-3d4e-4f5a-9b6c-7d8e9f0a1b2c", displayName: "Seattle office", description: null };
  const HELPER = "5c4d3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a";
  const held = {
    roleTemplateId: HELPER,
    displayName: "Contoso Password Helper",
    description: null,
    scope: `/administrativeUnits/${SEATTLE.id}`,
    scopeLabel: "Seattle office (administrative unit)",
    assignmentId: "a-42",
    builtIn: false,
  };

  it("unassigns a custom role scoped to an administrative unit by its assignment, and assigns a role typed by its id in a unit", async () => {
    const user = userEvent.setup();
    const calls = backend((cmd) => {
      if (cmd === "user_roles") return [held];
      if (cmd === "list_custom_roles") return [{ roleTemplateId: HELPER, displayName: "Contoso Password Helper", description: null, privileged: false, activated: false, builtIn: false }];
      if (cmd === "list_administrative_units") return [SEATTLE];
      if (cmd === "unassign_role_assignment") return { message: "Adele Vance no longer has the Contoso Password Helper role in the Seattle office administrative unit." };
      if (cmd === "assign_role") return { message: "Adele Vance is now Contoso Password Helper in the Seattle office administrative unit." };
      return undefined;
    });
    const drawer = await openAdele(user);
    const roles = await within(drawer).findByRole("list", { name: "Roles of Adele Vance", hidden: true });
    const row = await within(roles).findByRole("listitem", { hidden: true });
    expect(row).toHaveTextContent("Contoso Password Helpercustom");
    expect(row).toHaveTextContent("Seattle office (administrative unit)");
    await user.click(within(row).getByRole("button", { name: "Unassign Contoso Password Helper (Seattle office (administrative unit))", hidden: true }));
    const confirm = await findDialog("alertdialog");
    await user.click(within(confirm).getByRole("button", { name: "Unassign role", hidden: true }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "unassign_role_assignment")?.args).toEqual({ userId: ADELE.id, assignmentId: "a-42" }));

    await user.click(within(drawer).getByRole("radio", { name: "Enter a role id", hidden: true }));
    await user.type(within(drawer).getByRole("textbox", { name: "Role id", hidden: true }), HELPER.toUpperCase());
    expect(within(drawer).getByText("Contoso Password Helper", { selector: "div[id]" })).toBeInTheDocument();
    await user.click(within(drawer).getByRole("combobox", { name: "Where it applies", hidden: true }));
    await user.click(await screen.findByRole("option", { name: "Seattle office (administrative unit)", hidden: true }));
    await user.click(within(drawer).getByRole("button", { name: "Assign role", hidden: true }));
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === "assign_role")?.args).toEqual({ userId: ADELE.id, roleTemplateId: HELPER.toUpperCase(), scope: SEATTLE.id }),
    );
  });
});
