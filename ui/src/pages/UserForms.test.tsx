import { act, screen, waitFor, within } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { UserDetails } from "../api";
import { ADELE_DETAILS } from "../test/fixtures";
import { findDialog, renderWithProviders } from "../test/render";
import { TEMPORARY_PASSWORD, openAdele, usersBackend } from "../test/usersPage";
import { UsersPage } from "./UsersPage";

// Adele Vance with every property Read User gives set (seed-tenant.json's user, details filled in).
const ADELE: UserDetails = {
  ...ADELE_DETAILS,
  ageGroup: "Adult",
  consentProvidedForMinor: "NotRequired",
  department: "Retail",
  companyName: "Contoso",
  employeeId: "E-1001",
  employeeType: "Employee",
  employeeHireDate: "2019-04-01T00:00:00Z",
  mobilePhone: "+1 425 555 0110",
  faxNumber: "+1 425 555 0111",
  streetAddress: "1 Microsoft Way",
  city: "Redmond",
  state: "WA",
  postalCode: "98052",
  country: "United States",
  usageLocation: "US",
  createdDateTime: "2019-03-01T10:00:00Z",
  otherMails: ["adele@fabrikam.com"],
  proxyAddresses: ["SMTP:AdeleV@contoso.com", "smtp:adele.vance@contoso.com"],
  aboutMe: "Likes golf.",
};

function backend(handler?: (cmd: string, args: Record<string, unknown>) => unknown) {
  return usersBackend(ADELE, handler);
}


const textbox = (within_: HTMLElement, name: string | RegExp) => within(within_).getByRole("textbox", { name, hidden: true });

describe("Read User", () => {
  it("shows every property in readable sections, choices in words and the hire date as a day", async () => {
    const user = userEvent.setup();
    backend();
    const drawer = await openAdele(user);
    await within(drawer).findByText("Likes golf.");
    const address = within(drawer).getByRole("region", { name: "Address", hidden: true });
    expect(address).toHaveTextContent("1 Microsoft Way");
    expect(address).toHaveTextContent("98052");
    const job = within(drawer).getByRole("region", { name: "Job", hidden: true });
    expect(job).toHaveTextContent("E-1001");
    expect(job).toHaveTextContent("2019-04-01");
    const age = within(drawer).getByRole("region", { name: "Age and consent", hidden: true });
    expect(age).toHaveTextContent("Not required");
    expect(within(drawer).getByRole("region", { name: "Contact", hidden: true })).toHaveTextContent("adele@fabrikam.com");
    expect(within(drawer).getByRole("region", { name: "Contact", hidden: true })).toHaveTextContent("+1 425 555 0111");
    expect(within(drawer).getByRole("region", { name: "Region and language", hidden: true })).toHaveTextContent("en-US");
    expect(within(drawer).getByText("smtp:adele.vance@contoso.com")).toBeInTheDocument();
  });
});

describe("Update User", () => {
  it("sends only what changed: new values set, emptied fields null, lists replaced, the sign-in name and about me included", async () => {
    const user = userEvent.setup();
    const calls = backend((cmd) => (cmd === "update_user" ? ADELE : undefined));
    const drawer = await openAdele(user);
    await user.click(within(drawer).getByRole("button", { name: "Edit", hidden: true }));
    const dialog = await findDialog();
    await user.clear(textbox(dialog, "Sign-in name"));
    await user.type(textbox(dialog, "Sign-in name"), "adele.vance@contoso.com");
    await user.clear(textbox(dialog, "Fax number"));
    await user.clear(textbox(dialog, "Other email addresses"));
    await user.type(textbox(dialog, "Other email addresses"), "a@fabrikam.com, b@fabrikam.com");
    await user.clear(textbox(dialog, "Hire date"));
    await user.type(textbox(dialog, "Hire date"), "2020-01-15");
    await user.clear(textbox(dialog, "Preferred language"));
    await user.type(textbox(dialog, "Preferred language"), "fr-fr");
    await user.clear(textbox(dialog, "About me"));
    await user.click(within(dialog).getByRole("combobox", { name: "Age group", hidden: true }));
    await user.click(screen.getByRole("option", { name: "Not set", hidden: true }));
    await user.click(within(dialog).getByRole("button", { name: "Save", hidden: true }));
    expect(await screen.findByText("Adele Vance's details were saved.")).toBeInTheDocument();
    const sent = calls.filter((c) => c.cmd === "update_user").map((c) => c.args);
    expect(sent).toEqual([
      {
        key: ADELE.id,
        changes: {
          userPrincipalName: "adele.vance@contoso.com",
          faxNumber: null,
          otherMails: ["a@fabrikam.com", "b@fabrikam.com"],
          employeeHireDate: "2020-01-15T00:00:00Z",
          preferredLanguage: "fr-FR",
          ageGroup: null,
          aboutMe: null,
        },
      },
    ]);
  });

  it("refuses what Rust would refuse, in Rust's words, and sends nothing", async () => {
    const user = userEvent.setup();
    const calls = backend();
    const drawer = await openAdele(user);
    await user.click(within(drawer).getByRole("button", { name: "Edit", hidden: true }));
    const dialog = await findDialog();
    await user.clear(textbox(dialog, "Hire date"));
    await user.type(textbox(dialog, "Hire date"), "15/01/2020");
    await user.clear(textbox(dialog, "Other email addresses"));
    await user.type(textbox(dialog, "Other email addresses"), "adele at fabrikam");
    await user.type(textbox(dialog, "Employee ID"), "-and-a-much-longer-id");
    await user.click(within(dialog).getByRole("button", { name: "Save", hidden: true }));
    expect(await within(dialog).findByText("“15/01/2020” is not a date. Write the hire date as year-month-day, for example 2026-03-01.")).toBeInTheDocument();
    expect(within(dialog).getByText("“adele at fabrikam” is not an email address, such as kim@fabrikam.com.")).toBeInTheDocument();
    expect(within(dialog).getByText("The employee id can be at most 16 characters long.")).toBeInTheDocument();
    expect(calls.some((c) => c.cmd === "update_user")).toBe(false);
  });

  it("says a usage location can be changed but not removed, and sends nothing", async () => {
    const user = userEvent.setup();
    const calls = backend();
    const drawer = await openAdele(user);
    await user.click(within(drawer).getByRole("button", { name: "Edit", hidden: true }));
    const dialog = await findDialog();
    await user.clear(textbox(dialog, "Usage location"));
    await user.click(within(dialog).getByRole("button", { name: "Save", hidden: true }));
    expect(await within(dialog).findByText(/keeps a usage location once it is set/)).toBeInTheDocument();
    expect(calls.some((c) => c.cmd === "update_user")).toBe(false);
  });
});

describe("Reset password", () => {
  it("asks first, then shows the password Rust made once, with a copy button", async () => {
    const user = userEvent.setup();
    const calls = backend((cmd) =>
      cmd === "reset_password"
        ? {
            password: "Hx7#kP2m!QwZr9tB",
            mustChange: true,
            summary: "Adele Vance has a new temporary password. Give it to them: they must choose their own when they next sign in.",
          }
        : undefined,
    );
    const drawer = await openAdele(user);
    await user.click(within(drawer).getByRole("button", { name: "Reset password", hidden: true }));
    const confirm = await findDialog("alertdialog");
    expect(calls.some((c) => c.cmd === "reset_password")).toBe(false);
    expect(within(confirm).getByRole("checkbox", { name: /must choose a new password/i, hidden: true })).toBeChecked();
    await user.click(within(confirm).getByRole("button", { name: "Reset password", hidden: true }));
    expect(await within(drawer).findByText("Hx7#kP2m!QwZr9tB")).toBeInTheDocument();
    expect(within(drawer).getByRole("button", { name: "Copy password", hidden: true })).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === "reset_password").map((c) => c.args)).toEqual([{ key: ADELE.id, mustChange: true }]);
    await user.click(within(drawer).getByRole("button", { name: "I've given it to them", hidden: true }));
    expect(within(drawer).queryByText("Hx7#kP2m!QwZr9tB")).not.toBeInTheDocument();
  });
});

describe("Create Cloud User", () => {
  async function openForm(handler?: (cmd: string, args: Record<string, unknown>) => unknown) {
    const user = userEvent.setup();
    const calls = backend(handler);
    renderWithProviders(<UsersPage />);
    await screen.findByText(/^8 users\b/);
    await user.click(screen.getByRole("button", { name: "New user" }));
    const dialog = await findDialog();
    await user.type(textbox(dialog, /display name/i), "Kim Lee");
    await user.type(textbox(dialog, /sign-in name/i), "kim.lee");
    return { user, calls, dialog };
  }

  it("sends the profile, the disabled account, the manager, groups and licence, and shows each step", async () => {
    const { user, calls, dialog } = await openForm((cmd) =>
      cmd === "create_user"
        ? {
            user: { ...ADELE, id: "k1", displayName: "Kim Lee", userPrincipalName: "kim.lee@contoso.com" },
            steps: [
              { kind: "done", what: "manager: Adele Vance" },
              { kind: "waited", seconds: 3 },
              { kind: "done", what: "added to HR Taskforce" },
              { kind: "failed", what: "Office 365 E5 not given", reason: "No Office 365 E5 licences are free any more." },
            ],
            complete: false,
            summary:
              "Kim Lee was created · manager: Adele Vance · waited 3 s for Microsoft · added to HR Taskforce. The account exists, but this was not done: Office 365 E5 not given (No Office 365 E5 licences are free any more.). Do it from Kim Lee's page.",
          }
        : undefined,
    );
    await user.click(within(dialog).getByRole("checkbox", { name: /create the account disabled/i, hidden: true }));
    await user.type(textbox(dialog, "First name"), "Kim");
    await user.type(textbox(dialog, "Street address"), "1 Main Street");
    await user.type(textbox(dialog, "City"), "Oslo");
    await user.type(textbox(dialog, "Postal code"), "0150");
    await user.type(textbox(dialog, "Employee ID"), "E-77");
    await user.type(textbox(dialog, "Usage location"), "no");
    await user.type(textbox(dialog, "On-premises immutable ID"), "kim-0001");
    await user.click(within(dialog).getByRole("combobox", { name: "Age group", hidden: true }));
    await user.click(screen.getByRole("option", { name: "Adult", hidden: true }));
    await user.type(within(dialog).getByRole("combobox", { name: "Manager", hidden: true }), "Adele");
    await user.click(await screen.findByRole("option", { name: /Adele Vance/, hidden: true }));
    await user.type(within(dialog).getByRole("combobox", { name: "Groups", hidden: true }), "HR");
    await user.click(await screen.findByRole("option", { name: /HR Taskforce/, hidden: true }));
    await user.click(within(dialog).getByRole("combobox", { name: "Licence", hidden: true }));
    await user.click(screen.getByRole("option", { name: /Office 365 E5/, hidden: true }));
    await user.click(within(dialog).getByRole("button", { name: "Create user", hidden: true }));

    expect(await within(dialog).findByText("The account exists, but not everything was done")).toBeInTheDocument();
    const steps = within(dialog).getByRole("list", { name: "What was done", hidden: true });
    expect(within(steps).getAllByRole("listitem", { hidden: true }).map((li) => li.textContent?.trim())).toEqual([
      "created",
      "manager: Adele Vance",
      "waited 3 s for Microsoft to finish creating the account",
      "added to HR Taskforce",
      "Office 365 E5 not given: No Office 365 E5 licences are free any more.",
    ]);
    const sent = (calls.find((c) => c.cmd === "create_user")?.args as { request: Record<string, unknown> }).request;
    expect(sent).toEqual({
      user: {
        displayName: "Kim Lee",
        userPrincipalName: "kim.lee@contoso.com",
        mailNickname: "kim.lee",
        passwordProfile: { password: expect.any(String) as unknown, forceChangePasswordNextSignIn: true },
        accountEnabled: false,
        givenName: "Kim",
        streetAddress: "1 Main Street",
        city: "Oslo",
        postalCode: "0150",
        employeeId: "E-77",
        usageLocation: "NO",
        onPremisesImmutableId: "kim-0001",
        ageGroup: "Adult",
      },
      manager: "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
      groups: ["02bd9fd6-8f93-4758-87c3-1fb73740a315"],
      license: "c7df2760-2c81-4ef7-b578-5b5392b571df",
    });
  });

  it("shows each step while the chain runs, as Rust tells it, then the result; the password is Rust's", async () => {
    let finish: (value: unknown) => void = () => undefined;
    const { user, dialog } = await openForm((cmd) => (cmd === "create_user" ? new Promise((resolve) => (finish = resolve)) : undefined));
    expect(textbox(dialog, /temporary password/i)).toHaveValue(TEMPORARY_PASSWORD);
    await user.type(within(dialog).getByRole("combobox", { name: "Groups", hidden: true }), "HR");
    await user.click(await screen.findByRole("option", { name: /HR Taskforce/, hidden: true }));
    await user.click(within(dialog).getByRole("button", { name: "Create user", hidden: true }));
    const progress = await within(dialog).findByRole("list", { name: "Progress", hidden: true });
    const shown = () => within(progress).getAllByRole("listitem", { hidden: true }).map((li) => li.textContent?.trim());
    expect(shown()).toEqual(["creating the account…"]);

    await act(() => emit("new-user-progress", { progress: { created: "Kim Lee", steps: [], waiting: false } }));
    expect(shown()).toEqual(["created", "add to HR Taskforce"]);
    await act(() => emit("new-user-progress", { progress: { created: "Kim Lee", steps: [], waiting: true } }));
    expect(shown()).toEqual(["created", "waiting for Microsoft to finish creating the account…", "add to HR Taskforce"]);
    const steps = [
      { kind: "waited", seconds: 3 },
      { kind: "done", what: "added to HR Taskforce" },
    ];
    await act(() => emit("new-user-progress", { progress: { created: "Kim Lee", steps, waiting: false } }));
    expect(shown()).toEqual(["created", "waited 3 s for Microsoft to finish creating the account", "added to HR Taskforce"]);

    finish({
      user: { ...ADELE, id: "k1", displayName: "Kim Lee", userPrincipalName: "kim.lee@contoso.com" },
      steps,
      complete: true,
      summary: "Kim Lee was created · waited 3 s for Microsoft · added to HR Taskforce.",
    });
    expect(await within(dialog).findByText("Kim Lee was created · waited 3 s for Microsoft · added to HR Taskforce.")).toBeInTheDocument();
    expect(within(dialog).getByText(TEMPORARY_PASSWORD)).toBeInTheDocument();
  });

  it("asks for a usage location before a licence, and sends nothing", async () => {
    const { user, calls, dialog } = await openForm();
    await user.click(within(dialog).getByRole("combobox", { name: "Licence", hidden: true }));
    await user.click(screen.getByRole("option", { name: /Office 365 E5/, hidden: true }));
    await user.click(within(dialog).getByRole("button", { name: "Create user", hidden: true }));
    await waitFor(() => expect(textbox(dialog, "Usage location")).toHaveAccessibleDescription(/requires a usage location/));
    expect(calls.some((c) => c.cmd === "create_user")).toBe(false);
  });
});
