import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { AppSnapshot, DirectoryQuery, IpcError, WatchSettings } from "../api";
import { copyPage } from "../test/copyPage";
import { ORG_ACCOUNT, PRACTICE_ACCOUNT, SEED_GROUP_CHOICES, SEED_USERS, defaultWatchSettings, signedIn } from "../test/fixtures";
import { type Call, findDialog, mockBackend, rejectWith, renderWithProviders } from "../test/render";
import { SettingsPage } from "./SettingsPage";

type Backend = {
  snapshot?: AppSnapshot;
  reset?: () => unknown;
  settings?: WatchSettings;
  save?: (settings: WatchSettings) => unknown;
  startAtLogin?: boolean;
};

function backend({ snapshot = signedIn(ORG_ACCOUNT), reset, settings = defaultWatchSettings(), save, startAtLogin = false }: Backend = {}): Call[] {
  let login = startAtLogin;
  return mockBackend((cmd, args) => {
    switch (cmd) {
      case "get_app_state":
        return snapshot;
      case "reset_practice_tenant":
        return reset ? reset() : null;
      case "get_watch_settings":
        return settings;
      case "set_watch_settings":
        return save ? save(args.settings as WatchSettings) : args.settings;
      case "search_watch_groups": {
        const text = String(args.text).toLowerCase();
        return SEED_GROUP_CHOICES.filter((g) => g.name.toLowerCase().includes(text));
      }
      case "get_start_at_login":
        return login;
      case "set_start_at_login":
        login = Boolean(args.enabled);
        return login;
      case "check_now":
        return null;
      case "query_users":
        return copyPage(SEED_USERS, args.query as DirectoryQuery);
      default:
        return null;
    }
  });
}

const saved = (calls: Call[]) =>
  calls.filter((c) => c.cmd === "set_watch_settings").map((c) => (c.args as { settings: WatchSettings }).settings);

describe("Settings page", () => {
  it("shows the saved rules: every kind with readable labels, the interval in minutes and the history length", async () => {
    backend({ settings: { ...defaultWatchSettings(), pollIntervalSecs: 300, retentionDays: 90 } });
    renderWithProviders(<SettingsPage />);

    const kinds = await screen.findByRole("table", { name: "Kinds of change" });
    expect(within(kinds).getAllByRole("row")).toHaveLength(11);
    expect(within(kinds).getByText("Member added")).toBeInTheDocument();
    expect(screen.getByRole("switch", { name: "Show User deleted" })).toBeChecked();
    expect(screen.getByRole("spinbutton", { name: "Check the directory every" })).toHaveValue(5);
    expect(screen.getByRole("combobox", { name: "Unit" })).toHaveTextContent("minutes");
    expect(screen.getByRole("spinbutton", { name: /keep history for/i })).toHaveValue(90);
    expect(screen.getByRole("radio", { name: "All groups" })).toBeChecked();
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
  });

  it("turns a kind off: its notification switch is then off and disabled, and Save sends both off", async () => {
    const user = userEvent.setup();
    const calls = backend();
    renderWithProviders(<SettingsPage />);
    const show = await screen.findByRole("switch", { name: "Show Member removed" });
    const notify = screen.getByRole("switch", { name: "Notify Member removed" });
    expect(notify).toBeEnabled();

    await user.click(show);
    expect(notify).toBeDisabled();
    expect(notify).not.toBeChecked();
    await user.click(screen.getByRole("switch", { name: "Notify User updated" }));

    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Saved. The new settings apply from the next check.")).toBeInTheDocument();
    const [sent] = saved(calls);
    expect(sent?.kinds.find((k) => k.kind === "memberRemoved")).toEqual({ kind: "memberRemoved", enabled: false, notify: false });
    expect(sent?.kinds.find((k) => k.kind === "userUpdated")).toEqual({ kind: "userUpdated", enabled: true, notify: false });
    expect(sent?.kinds.find((k) => k.kind === "userCreated")).toEqual({ kind: "userCreated", enabled: true, notify: true });
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
  });

  it("refuses an interval under 15 seconds in plain words next to the field, and sends nothing", async () => {
    const user = userEvent.setup();
    const calls = backend();
    renderWithProviders(<SettingsPage />);
    const interval = await screen.findByRole("spinbutton", { name: "Check the directory every" });

    await user.click(screen.getByRole("combobox", { name: "Unit" }));
    await user.click(await screen.findByRole("option", { name: "seconds" }));
    await user.clear(interval);
    await user.type(interval, "10");
    await user.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByText("Check at most every 15 seconds. Checking more often doesn't find changes sooner.")).toBeInTheDocument();
    expect(interval).toHaveAttribute("aria-invalid", "true");
    expect(saved(calls)).toHaveLength(0);

    await user.clear(interval);
    await user.type(interval, "30");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(saved(calls)).toHaveLength(1));
    expect(saved(calls)[0]?.pollIntervalSecs).toBe(30);
  });

  it("puts Rust's validation message next to the field it names and keeps what was typed", async () => {
    const user = userEvent.setup();
    const refusal: IpcError = { kind: "validation", message: "Keep the history for 1 to 3,650 days.", field: "retentionDays" };
    backend({ save: () => rejectWith(refusal) });
    renderWithProviders(<SettingsPage />);
    const days = await screen.findByRole("spinbutton", { name: /keep history for/i });
    await user.clear(days);
    await user.type(days, "365");
    await user.click(screen.getByRole("button", { name: "Save" }));

    const message = await screen.findByText("Keep the history for 1 to 3,650 days.");
    // The message belongs to the history field (its Field wraps both), not to a banner at the bottom.
    expect(days).toHaveAccessibleDescription("Keep the history for 1 to 3,650 days.");
    expect(message).toBeInTheDocument();
    expect(days).toHaveValue(365);
    expect(screen.queryByText("Couldn't save the settings")).not.toBeInTheDocument();
  });

  it("shows why saving failed and keeps the form as typed", async () => {
    const user = userEvent.setup();
    backend({
      save: () =>
        rejectWith({ kind: "internal", message: "The watch rules file could not be written: disk full." }),
    });
    renderWithProviders(<SettingsPage />);
    const days = await screen.findByRole("spinbutton", { name: /keep history for/i });
    await user.clear(days);
    await user.type(days, "400");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Couldn't save the settings")).toBeInTheDocument();
    expect(screen.getByText("The watch rules file could not be written: disk full.")).toBeInTheDocument();
    expect(days).toHaveValue(400);
  });

  it("watches only chosen groups: search, pick several, remove one, and save them by id", async () => {
    const user = userEvent.setup();
    const calls = backend();
    renderWithProviders(<SettingsPage />);
    await user.click(await screen.findByRole("radio", { name: "Only these groups" }));

    // Saving with no group chosen is refused next to the picker.
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Choose at least one group, or watch all groups.")).toBeInTheDocument();

    const picker = screen.getByRole("combobox", { name: "Groups to watch" });
    await user.type(picker, "golf");
    await user.click(await screen.findByRole("option", { name: "Golf Assist" }));
    await user.type(picker, "golf");
    // The search's results (the chosen tags are options too, in their own list); a chosen group is not offered again.
    const results = () =>
      screen.getAllByRole("option").filter((o) => !o.closest("[aria-label='Chosen: Groups to watch']"));
    await waitFor(() => expect(results().map((o) => o.textContent)).toEqual(["Golf Discussion"]));
    await user.click(results()[0]!);
    await user.type(picker, "hr");
    await user.click(await screen.findByRole("option", { name: "HR Taskforce" }));

    const chosen = screen.getByRole("listbox", { name: "Chosen: Groups to watch" });
    expect(within(chosen).getByText("Golf Assist")).toBeInTheDocument();
    await user.click(within(chosen).getByRole("option", { name: "Remove Golf Discussion" }));
    await waitFor(() => expect(within(chosen).queryByText("Golf Discussion")).not.toBeInTheDocument());
    expect(screen.queryByText("Choose at least one group, or watch all groups.")).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(saved(calls)).toHaveLength(1));
    expect(saved(calls)[0]).toMatchObject({
      watchAllGroups: false,
      watchedGroups: [
        { id: "45b7d2e7-b882-4a80-ba97-10b7a63b8fa4", name: "Golf Assist" },
        { id: "02bd9fd6-8f93-4758-87c3-1fb73740a315", name: "HR Taskforce" },
      ],
    });
  });

  it("follows owners or both, and watches only chosen people for User updated", async () => {
    const user = userEvent.setup();
    const calls = backend();
    renderWithProviders(<SettingsPage />);
    await user.click(await screen.findByRole("radio", { name: "Members and owners" }));
    await user.click(screen.getByRole("radio", { name: "Only these people" }));
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Choose at least one person, or watch everyone.")).toBeInTheDocument();
    expect(saved(calls)).toHaveLength(0);

    const picker = screen.getByRole("combobox", { name: "People to watch" });
    await user.type(picker, "adele");
    await user.click(await screen.findByRole("option", { name: /Adele Vance/ }));
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(saved(calls)).toHaveLength(1));
    const adele = SEED_USERS.find((u) => u.displayName === "Adele Vance")!;
    expect(saved(calls)[0]).toMatchObject({
      memberType: "both",
      watchAllUsers: false,
      watchedUsers: [{ id: adele.id, name: "Adele Vance" }],
    });
  });

  it("Reset puts back the saved settings", async () => {
    const user = userEvent.setup();
    backend();
    renderWithProviders(<SettingsPage />);
    const days = await screen.findByRole("spinbutton", { name: /keep history for/i });
    await user.clear(days);
    await user.type(days, "7");
    expect(screen.getByText("You have unsaved changes.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Reset" }));
    expect(days).toHaveValue(180);
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
  });

  it("turns start at login on at once, and asks for a check now", async () => {
    const user = userEvent.setup();
    const calls = backend();
    renderWithProviders(<SettingsPage />);
    const login = await screen.findByRole("switch", { name: "Start Entra Desk when I sign in to this computer" });
    await waitFor(() => expect(login).toBeEnabled());
    expect(login).not.toBeChecked();
    await user.click(login);
    await waitFor(() => expect(login).toBeChecked());
    expect(calls.find((c) => c.cmd === "set_start_at_login")?.args).toEqual({ enabled: true });

    await user.click(screen.getByRole("button", { name: "Check now" }));
    expect(await screen.findByText("Checking the directory. New changes appear in Activity.")).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === "check_now")).toHaveLength(1);
  });
});

describe("Settings: practice tenant", () => {
  it("Start over asks first and which organisation, then resets the practice tenant, reloads its data and says it is done", async () => {
    const user = userEvent.setup();
    const calls = backend({ snapshot: signedIn(PRACTICE_ACCOUNT) });
    renderWithProviders(<SettingsPage />);

    const section = await screen.findByRole("region", { name: "Practice tenant" });
    await screen.findByRole("table", { name: "Kinds of change" });
    const settingsReadsBefore = calls.filter((c) => c.cmd === "get_watch_settings").length;
    await user.click(within(section).getByRole("button", { name: "Start over" }));

    // It opens on Cancel, the safer choice: Enter right away does not reset anything.
    const opened = await screen.findByRole("alertdialog", { hidden: true });
    await waitFor(() => expect(within(opened).getByRole("button", { name: "Cancel", hidden: true })).toHaveFocus());
    const dialog = await findDialog("alertdialog");
    expect(dialog).toHaveTextContent(
      "Start the practice tenant over? Everything you changed there and its activity history will be gone. Which organisation should it hold?",
    );
    // Three organisations to choose from; the sample one is chosen unless the person picks another.
    const sizes = within(dialog).getAllByRole("radio", { hidden: true });
    expect(sizes).toHaveLength(3);
    expect(sizes[0]).toBeChecked();
    await user.click(within(dialog).getByRole("radio", { name: /2,000 people/, hidden: true }));
    expect(calls.some((c) => c.cmd === "reset_practice_tenant")).toBe(false);

    await user.click(within(dialog).getByRole("button", { name: "Start over", hidden: true }));
    expect(
      await screen.findByText("The practice tenant now holds a generated organisation of 2,000 people, with no activity history."),
    ).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === "reset_practice_tenant").map((c) => c.args)).toEqual([{ size: "people2000" }]);
    // Account-scoped data was dropped and read again.
    await waitFor(() => expect(calls.filter((c) => c.cmd === "get_watch_settings").length).toBeGreaterThan(settingsReadsBefore));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
  });

  it("Cancel leaves the practice tenant alone; a failure shows inside the dialog", async () => {
    const user = userEvent.setup();
    const calls = backend({
      snapshot: signedIn(PRACTICE_ACCOUNT),
      reset: () => rejectWith({ kind: "internal", message: "The practice tenant could not be reset: its database is in use." }),
    });
    renderWithProviders(<SettingsPage />);
    const section = await screen.findByRole("region", { name: "Practice tenant" });

    await user.click(within(section).getByRole("button", { name: "Start over" }));
    let dialog = await findDialog("alertdialog");
    await user.click(within(dialog).getByRole("button", { name: "Cancel", hidden: true }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
    expect(calls.some((c) => c.cmd === "reset_practice_tenant")).toBe(false);

    await user.click(within(section).getByRole("button", { name: "Start over", hidden: true }));
    dialog = await findDialog("alertdialog");
    await user.click(within(dialog).getByRole("button", { name: "Start over", hidden: true }));
    expect(await within(dialog).findByText("The practice tenant could not be reset: its database is in use.")).toBeInTheDocument();
  });

  it("is not offered for an organization account", async () => {
    backend({ snapshot: signedIn(ORG_ACCOUNT) });
    renderWithProviders(<SettingsPage />);
    await screen.findByRole("table", { name: "Kinds of change" });
    expect(screen.queryByRole("region", { name: "Practice tenant" })).not.toBeInTheDocument();
    // Custom API requests have their own page now.
    expect(screen.queryByText(/Graph request/)).not.toBeInTheDocument();
  });
});
